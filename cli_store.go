package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"filippo.io/age"
	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/store"
)

func runCheck(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	_, s, err := c.begin(ctx, fs, args)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Check(ctx)
	if err != nil {
		return err
	}
	c.warnClockLead(ctx, s)
	if *asJSON {
		if err := c.printJSON(r); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(c.stdout, "integrity: %s\ncommits verified: %d\nrows compared with a rebuild from the change log: %d\n", r.Integrity, r.Commits, r.Rows)
		for _, t := range []string{"exchanges", "requests", "request_lines", "request_history", "actions", "contacts", "postings", "classifications", "changes"} {
			fmt.Fprintf(c.stdout, "%-16s %d\n", t, r.Counts[t])
		}
		for _, p := range r.Problems {
			fmt.Fprintf(c.stdout, "PROBLEM: %s\n", p)
		}
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("%d problem(s) found", len(r.Problems))
	}
	if !*asJSON {
		fmt.Fprintln(c.stdout, "ok")
	}
	return nil
}

func runBackup(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	to := fs.String("to", "", "encrypt to these age public keys (comma-separated), such as HQ's backup key, instead of the passphrase")
	plain := fs.Bool("plain", false, "write an unencrypted copy (records in the clear; still no keys)")
	pos, s, err := c.begin(ctx, fs, args, "FILE")
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case *plain && *to != "":
		return usagef("give --plain or --to, not both")
	case *plain:
		err = s.Backup(ctx, pos[0])
	default:
		var recipients []age.Recipient
		if recipients, err = c.backupRecipients(*to); err != nil {
			return err
		}
		err = s.BackupEncrypted(ctx, pos[0], recipients...)
	}
	if err != nil {
		return err
	}
	how := "encrypted to the store's passphrase"
	switch {
	case *plain:
		how = "unencrypted"
	case *to != "":
		how = "encrypted to " + *to
	}
	fmt.Fprintf(c.stdout, "backed up %s to %s (%s)\n", c.dbPath, pos[0], how)
	return nil
}

// backupRecipients are the --to keys, else the passphrase the store was
// unlocked with.
func (c *cli) backupRecipients(to string) ([]age.Recipient, error) {
	if to == "" {
		if c.passphrase == "" {
			return nil, errNoTerminal
		}
		r, err := store.ScryptRecipient(c.passphrase)
		if err != nil {
			return nil, err
		}
		return []age.Recipient{r}, nil
	}
	var out []age.Recipient
	for _, k := range strings.Split(to, ",") {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(k))
		if err != nil {
			return nil, usagef("--to %q is not an age public key (age1...): %v", k, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func runRestore(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace an existing store")
	keyFile := fs.String("identity", "", "open a backup made --to a key with that key's file (age identity)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "FILE"); err != nil {
		return err
	}
	o := store.RestoreOptions{Force: *force}
	switch {
	case *keyFile != "":
		if o.Identities, err = readIdentities(*keyFile); err != nil {
			return err
		}
		o.Passphrase, err = c.newPassphrase("The restored store's keys are sealed under a passphrase.")
	case store.IsEncryptedBackup(pos[0]):
		// The backup's passphrase opens it and seals the restored store.
		o.Passphrase, err = c.backupPassphrase(pos[0])
		if err == nil {
			var id age.Identity
			id, err = store.ScryptIdentity(o.Passphrase)
			o.Identities = []age.Identity{id}
		}
	default:
		o.Passphrase, err = c.newPassphrase("The restored store's keys are sealed under a passphrase.")
	}
	if err != nil {
		return err
	}
	r, err := store.RestoreWith(ctx, pos[0], c.dbPath, o)
	if err != nil {
		return err
	}
	dev := r.Device
	fmt.Fprintf(c.stdout, "restored %s from %s\nnew identity: site %s (device code %s), officer %s (%s), posting %s\npeers must enrol this device again\n%s\n",
		c.dbPath, pos[0], dev.Site, dev.Site.ShortCode(), dev.Officer, dev.Rank, dev.Posting, restoredAdvice(r))
	return nil
}

// restoredAdvice says what the officer must do at the peers and the hub
// after a restore: revoke the old device there, and enrol the new identity.
func restoredAdvice(r *data.Restored) string {
	return fmt.Sprintf("The old device (site %s, device code %s) is still trusted by its peers and hub: "+
		"revoke it at each of them ('liaisondesk peers revoke NAME', with the name each gave it) and enrol this device's new identity instead. "+
		"This store trusts the old identity as peer %s, so work it made after the backup is applied when it arrives; "+
		"revoke it here too ('liaisondesk peers revoke %s') if the old device may be in other hands.",
		r.OldSite, r.OldSite.ShortCode(), r.OldPeer, r.OldPeer)
}

// backupPassphrase is the passphrase of an encrypted backup: from the
// file, else asked once on the terminal.
func (c *cli) backupPassphrase(backup string) (string, error) {
	pass, ok, err := passphraseFromFile()
	if ok || err != nil {
		return pass, err
	}
	t, err := openTerminal()
	if err != nil {
		return "", err
	}
	defer t.Close()
	return t.ask("Passphrase of " + backup + " (it becomes the restored store's): ")
}

// readIdentities reads age identities (AGE-SECRET-KEY-1...) from a key file.
func readIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--identity: %w", data.FileError(err))
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("--identity %s: %w", path, err)
	}
	return ids, nil
}

func runDemo(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	n := fs.Int("exchanges", 300, "number of exchanges to make")
	seed := fs.Int64("seed", 1, "random seed (same seed, same data)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos); err != nil {
		return err
	}
	if *n < 1 || *n > 10_000_000 {
		return usagef("--exchanges must be between 1 and 10000000")
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	last := time.Now()
	sum, err := demo.Fill(ctx, s, demo.Options{Exchanges: *n, Now: time.Now(), Seed: *seed,
		Progress: func(done, total int) {
			if time.Since(last) > 2*time.Second {
				last = time.Now()
				fmt.Fprintf(os.Stderr, "demo: %d of %d exchanges\n", done, total)
			}
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "demo: added %d contacts, %d exchanges, %d requests, %d actions in %s\n",
		sum.Contacts, sum.Exchanges, sum.Requests, sum.Actions, time.Since(start).Round(time.Millisecond))
	return nil
}
