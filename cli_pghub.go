package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"liaisondesk/data"
	"liaisondesk/data/pgstore"
	"liaisondesk/data/replication"
)

// A hub's replica can live in PostgreSQL (docs/HUB.md): --db then is a
// postgres:// or postgresql:// URL, and only the hub's verbs answer.

// hubDBVerbs are the verbs that work on a hub's replica in PostgreSQL.
func hubDBVerbs() map[string]func(ctx context.Context, c *cli, args []string) error {
	return map[string]func(ctx context.Context, c *cli, args []string) error{
		"hub":        runHub, // init and --listen, through openHubReplica
		"identity":   runIdentityDB,
		"peers":      runPeers, // on either store (cli_sync.go)
		"digest":     runDigestDB,
		"check":      runCheckDB,
		"org":        runOrgDB,
		"quarantine": runQuarantine, // on either store (cli_sync.go)
	}
}

// runOnHubDB is the verb to run for name when --db is a database URL: a
// hub's verb, or a refusal.
func runOnHubDB(name string) func(ctx context.Context, c *cli, args []string) error {
	if run, ok := hubDBVerbs()[name]; ok {
		return run
	}
	return func(context.Context, *cli, []string) error { return &data.HubDatabaseError{Verb: name} }
}

// peerKeeper is what the peers verb needs of a store: a laptop's or a
// hub's (SQLite), or a hub's in PostgreSQL.
type peerKeeper interface {
	AddPeer(ctx context.Context, name, identityLine string) (data.Peer, error)
	RevokePeer(ctx context.Context, name string) error
	Peers(ctx context.Context) ([]data.Peer, error)
	Close() error
}

// reviewKeeper is what the quarantine verb needs of a store: a laptop's
// or a hub's (SQLite), or a hub's in PostgreSQL.
type reviewKeeper interface {
	Quarantine(ctx context.Context) ([]data.QuarantineEntry, error)
	ReleaseQuarantine(ctx context.Context, id string) (data.ImportResult, error)
	DiscardQuarantine(ctx context.Context, id string) (int, error)
	Close() error
}

// openReviewKeeper opens the store --db names, whichever kind it is.
func (c *cli) openReviewKeeper(ctx context.Context) (reviewKeeper, error) {
	if data.IsDatabaseURL(c.dbPath) {
		return c.openHubDB(ctx, false)
	}
	return c.openStore(ctx)
}

// openPeerKeeper opens the store --db names, whichever kind it is.
func (c *cli) openPeerKeeper(ctx context.Context) (peerKeeper, error) {
	if data.IsDatabaseURL(c.dbPath) {
		return c.openHubDB(ctx, false)
	}
	return c.openStore(ctx)
}

// openHubDB opens the hub's database; unlock opens its sealed keys too,
// for a verb that signs or decrypts.
func (c *cli) openHubDB(ctx context.Context, unlock bool) (*pgstore.Store, error) {
	s, err := pgstore.Open(ctx, c.dbPath)
	if err != nil {
		return nil, err
	}
	if c.now != nil {
		s.Now = c.now
	}
	if !s.Initialised() {
		s.Close()
		return nil, fmt.Errorf("hub database %s: %w", redactURL(c.dbPath), data.ErrNotInitialised)
	}
	if unlock {
		if err := c.unlockHubDB(ctx, s); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// unlockHubDB opens the hub's keys with the passphrase from
// LIAISONDESK_PASSPHRASE_FILE, else asked on the terminal (three tries).
func (c *cli) unlockHubDB(ctx context.Context, s *pgstore.Store) error {
	pass, ok, err := passphraseFromFile()
	if err != nil {
		return err
	}
	if ok {
		return s.Unlock(ctx, pass)
	}
	t, err := openTerminal()
	if err != nil {
		return err
	}
	defer t.Close()
	for attempt := 1; ; attempt++ {
		pass, err := t.ask("Passphrase for the hub in " + redactURL(c.dbPath) + ": ")
		if err != nil {
			return err
		}
		err = s.Unlock(ctx, pass)
		if err == nil || !errors.Is(err, data.ErrWrongPassphrase) || attempt == 3 {
			return err
		}
		fmt.Fprintln(t.out, "Wrong passphrase.")
	}
}

// initHubDB makes the hub's identity in the database, sealed under a new
// passphrase that every hub process on it is started with.
func (c *cli) initHubDB(ctx context.Context, o data.Officer) error {
	s, err := pgstore.Open(ctx, c.dbPath)
	if err != nil {
		return err
	}
	defer s.Close()
	if c.now != nil {
		s.Now = c.now
	}
	pass, err := c.newPassphrase("The hub's keys are sealed in its database under a passphrase; every hub process on it starts with that passphrase.")
	if err != nil {
		return err
	}
	if err := s.Init(ctx, o, pass); err != nil {
		return err
	}
	id, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created hub %s in %s\nidentity: %s\n", o.Name, redactURL(c.dbPath), id)
	return nil
}

// openHubReplica opens the hub's replica for serving, in a file or in
// PostgreSQL, unlocked.
func (c *cli) openHubReplica(ctx context.Context) (replication.Replica, func() error, error) {
	if data.IsDatabaseURL(c.dbPath) {
		s, err := c.openHubDB(ctx, true)
		if err != nil {
			return nil, nil, err
		}
		return s, s.Close, nil
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// redactURL is a database URL without its password, for messages.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	user := u[scheme+3 : at]
	if i := strings.Index(user, ":"); i >= 0 {
		return u[:scheme+3] + user[:i] + ":xxxxx" + u[at:]
	}
	return u
}

func runIdentityDB(ctx context.Context, c *cli, args []string) error {
	if len(args) > 0 && args[0] == "rotate" {
		return &data.HubDatabaseError{Verb: "identity rotate"}
	}
	if _, err := parseFlags(flag.NewFlagSet("identity", flag.ContinueOnError), args); err != nil {
		return err
	}
	s, err := c.openHubDB(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, id)
	return nil
}

func runDigestDB(ctx context.Context, c *cli, args []string) error {
	if _, err := parseFlags(flag.NewFlagSet("digest", flag.ContinueOnError), args); err != nil {
		return err
	}
	s, err := c.openHubDB(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.Digest(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, d)
	return nil
}

func runCheckDB(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := c.openHubDB(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Check(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := c.printJSON(r); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(c.stdout, "commits verified: %d\nchanges verified: %d\n", r.Commits, r.Changes)
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

// runOrgDB is what a hub does of the organisation: trust its key (after
// comparing the fingerprint), and show the roster it holds. HQ's verbs
// (init, enrol, revoke, the key's export and import) are a laptop's.
func runOrgDB(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("org", flag.ContinueOnError)
	var o orgFlags // HQ's flags too, so its verbs are refused in words, not as mistyped
	fs.StringVar(&o.name, "name", "", "")
	fs.StringVar(&o.role, "role", "", "")
	fs.StringVar(&o.until, "until", "", "")
	fs.StringVar(&o.reason, "reason", "", "")
	asJSON := fs.Bool("json", false, "roster: print a JSON array")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if pos, err = orgArgs(pos); err != nil {
		return err
	}
	switch pos[0] {
	case "fingerprint", "trust", "roster":
	default:
		return &data.HubDatabaseError{Verb: "org " + pos[0]}
	}
	if pos[0] == "fingerprint" {
		return runOrg(ctx, c, args) // needs no store
	}
	s, err := c.openHubDB(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "roster" {
		return c.orgRoster(ctx, s, *asJSON)
	}
	org, err := s.TrustOrg(ctx, pos[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "trusting organisation %s\nfingerprint  %s\n(compare it by phone with HQ: the same twelve groups)\n", org.Name, org.Fingerprint())
	return nil
}
