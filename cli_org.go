package main

// The organisation verbs (docs/ARCHITECTURE.md §4.4): HQ makes the
// organisation's key, enrols and revokes devices; every device trusts the
// organisation once, after comparing its fingerprint by phone.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"filippo.io/age"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// orgKeyMagic starts an exported organisation key, inside its encryption.
const orgKeyMagic = "liaisondesk-org-key-v1"

func runOrg(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("org", flag.ContinueOnError)
	var o orgFlags
	fs.StringVar(&o.name, "name", "", "init: the organisation's name; enrol: the device's name on the roster")
	fs.StringVar(&o.role, "role", string(data.RoleLaptop), "enrol: laptop, staff or hub")
	fs.StringVar(&o.until, "until", "", "enrol: the last day the certificate is valid (YYYY-MM-DD)")
	fs.StringVar(&o.reason, "reason", "", "revoke: why, in words")
	fs.BoolVar(&o.json, "json", false, "roster: print a JSON array")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if pos, err = orgArgs(pos); err != nil {
		return err
	}
	if pos[0] == "fingerprint" { // needs no store
		org, err := data.ParseOrg(pos[1])
		if err != nil {
			return fmt.Errorf("org fingerprint: %w", err)
		}
		fmt.Fprintf(c.stdout, "organisation %s\nfingerprint  %s\n", org.Name, org.Fingerprint())
		return nil
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "init":
		return c.orgInit(ctx, s, o)
	case "identity":
		return c.orgIdentity(ctx, s)
	case "trust":
		org, err := s.TrustOrg(ctx, pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "trusting organisation %s\nfingerprint  %s\n(compare it by phone with HQ: the same twelve groups)\n", org.Name, org.Fingerprint())
		return nil
	case "enrol", "enroll":
		return c.orgEnrol(ctx, s, pos[1], o)
	case "revoke":
		rev, err := s.Revoke(ctx, pos[1], o.reason)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "revoked %s: its changes up to %d stay valid; later ones are held for review wherever the revocation reaches\n", rev.Name, rev.LastSeq)
		return nil
	case "export":
		return c.orgExport(ctx, s, pos[1])
	case "import":
		return c.orgImport(ctx, s, pos[1])
	}
	return c.orgRoster(ctx, s, o.json)
}

// orgFlags are the org verb's flags; each subcommand reads its own.
type orgFlags struct {
	name, role, until, reason string
	json                      bool
}

// orgArgs checks the subcommand and its arguments. Identity and
// organisation lines may be pasted without quotes, so their words are
// joined into one argument.
func orgArgs(pos []string) ([]string, error) {
	if len(pos) == 0 {
		return nil, usagef("missing init, export, import, identity, enrol, revoke, fingerprint, trust or roster")
	}
	joinRest := func() {
		if len(pos) > 2 {
			pos = append(pos[:1], strings.Join(pos[1:], " "))
		}
	}
	var names []string
	switch pos[0] {
	case "init", "identity", "roster":
	case "export", "import":
		names = []string{"FILE"}
	case "enrol", "enroll":
		joinRest()
		names = []string{"IDENTITY"}
	case "revoke":
		names = []string{"NAME"}
	case "fingerprint", "trust":
		joinRest()
		names = []string{"ORG-LINE"}
	default:
		return nil, usagef("unknown org command %q", pos[0])
	}
	return pos, wantArgs(pos[1:], names...)
}

func (c *cli) orgInit(ctx context.Context, s *store.Store, o orgFlags) error {
	if o.name == "" {
		return usagef("org init needs --name NAME")
	}
	org, _, err := s.InitOrg(ctx, o.name)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "organisation %s created; this device is on its roster as %q (staff)\n", org.Name, store.HQRosterName)
	fmt.Fprintf(c.stdout, "fingerprint  %s\n%s\n", org.Fingerprint(), org)
	return nil
}

func (c *cli) orgIdentity(ctx context.Context, s *store.Store) error {
	org, _, err := s.Org(ctx)
	if err != nil {
		return err
	}
	if org == nil {
		return fmt.Errorf("org identity: %w", data.Invalid("organisation", "this store trusts no organisation ('liaisondesk org init' at HQ, 'org trust ORG-LINE' elsewhere)"))
	}
	fmt.Fprintln(c.stdout, org)
	return nil
}

func (c *cli) orgEnrol(ctx context.Context, s *store.Store, identity string, o orgFlags) error {
	if o.name == "" {
		return usagef("org enrol needs --name NAME")
	}
	r, err := data.ParseRole(o.role)
	if err != nil {
		return fmt.Errorf("org enrol: %w", err)
	}
	e, cert, err := s.Enrol(ctx, identity, o.name, r, o.until)
	if err != nil {
		return err
	}
	valid := "no end date"
	if cert.Until != "" {
		valid = "until " + cert.Until
	}
	fmt.Fprintf(c.stdout, "enrolled %s: device %s, officer %s, %s, %s\n%s\n", cert.Name, cert.Site[:4], cert.Officer, cert.Role, valid, e)
	return nil
}

// orgRoster prints the roster as this store holds it.
func (c *cli) orgRoster(ctx context.Context, s interface {
	RosterRows(context.Context) ([]data.RosterRow, error)
}, asJSON bool) error {
	rows, err := s.RosterRows(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return c.printJSON(rows)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDEVICE\tOFFICER\tROLE\tUNTIL\tREVOKED")
	for _, r := range rows {
		revoked := cell(r.Revoked)
		if r.LastSeq != nil {
			revoked = fmt.Sprintf("%s after change %d", r.Revoked[:10], *r.LastSeq)
		}
		until := cell(r.Until)
		if r.Expired {
			until += " (expired)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Device, r.Officer, r.Role, until, revoked)
	}
	return tw.Flush()
}

// orgStore is what the key-moving verbs need of the store.
type orgStore interface {
	OrgKey(ctx context.Context) (data.Org, ed25519.PrivateKey, error)
	ImportOrgKey(ctx context.Context, org data.Org, key ed25519.PrivateKey) error
}

// passphrase is the passphrase of an organisation key file: the store's,
// from LIAISONDESK_PASSPHRASE_FILE, else asked once on the terminal.
func passphrase(verb string) (string, error) {
	pass, ok, err := passphraseFromFile()
	if ok || err != nil {
		return pass, err
	}
	t, err := openTerminal()
	if err != nil {
		return "", fmt.Errorf("%s: %w", verb, err)
	}
	defer t.Close()
	return t.ask("Passphrase of the organisation's key file: ")
}

// orgExport writes the organisation's key to a file encrypted with age to
// a passphrase (scrypt), for moving it to HQ's next machine.
func (c *cli) orgExport(ctx context.Context, s orgStore, file string) error {
	org, key, err := s.OrgKey(ctx)
	if err != nil {
		return fmt.Errorf("org export: %w", err)
	}
	pass, err := passphrase("org export")
	if err != nil {
		return err
	}
	rec, err := age.NewScryptRecipient(pass)
	if err != nil {
		return fmt.Errorf("org export: %w", err)
	}
	err = data.WriteFileAtomic(file, 0o600, func(w io.Writer) error {
		enc, err := age.Encrypt(w, rec)
		if err != nil {
			return err
		}
		fmt.Fprintf(enc, "%s\n%s\n%s\n", orgKeyMagic, org, hex.EncodeToString(key.Seed()))
		return enc.Close()
	})
	if err != nil {
		return fmt.Errorf("org export: %w", err)
	}
	fmt.Fprintf(c.stdout, "wrote the key of organisation %s to %s, encrypted with the passphrase\n", org.Name, file)
	return nil
}

// orgImport takes the organisation's key from a file orgExport wrote.
func (c *cli) orgImport(ctx context.Context, s orgStore, file string) error {
	pass, err := passphrase("org import")
	if err != nil {
		return err
	}
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return fmt.Errorf("org import: %w", err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("org import: cannot read %s: %w", file, data.FileError(err))
	}
	dec, err := age.Decrypt(bytes.NewReader(raw), id)
	if err != nil {
		return fmt.Errorf("org import: %s cannot be opened with this passphrase (wrong passphrase, or not an exported organisation key): %v", file, err)
	}
	plain, err := io.ReadAll(io.LimitReader(dec, 64<<10))
	if err != nil {
		return fmt.Errorf("org import: %s is damaged: %v", file, err)
	}
	lines := strings.Split(strings.TrimSpace(string(plain)), "\n")
	if len(lines) != 3 || lines[0] != orgKeyMagic {
		return fmt.Errorf("org import: %s is not an exported organisation key", file)
	}
	org, err := data.ParseOrg(lines[1])
	if err != nil {
		return fmt.Errorf("org import: %w", err)
	}
	seed, err := hex.DecodeString(lines[2])
	if err != nil || len(seed) != ed25519.SeedSize {
		return fmt.Errorf("org import: %s holds a damaged key", file)
	}
	if err := s.ImportOrgKey(ctx, org, ed25519.NewKeyFromSeed(seed)); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "this store now holds the key of organisation %s\nfingerprint  %s\n", org.Name, org.Fingerprint())
	return nil
}
