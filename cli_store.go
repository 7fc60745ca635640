package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

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
	pos, s, err := c.begin(ctx, flag.NewFlagSet("backup", flag.ContinueOnError), args, "FILE")
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "backed up %s to %s\n", c.dbPath, pos[0])
	return nil
}

func runRestore(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace an existing store")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "FILE"); err != nil {
		return err
	}
	r, err := store.RestoreBackup(ctx, pos[0], c.dbPath, *force)
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
