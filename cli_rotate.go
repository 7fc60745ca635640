package main

// Rotation and hand-over (docs/ARCHITECTURE.md §4.4): identity rotate
// gives this device new keys, signed over by the old ones; actions
// handover moves a departing officer's open actions to the successor.

import (
	"context"
	"flag"
	"fmt"
)

func runIdentityRotate(ctx context.Context, c *cli, args []string) error {
	_, s, err := c.begin(ctx, flag.NewFlagSet("identity rotate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Rotate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "this device has new keys from its change %d on; its changes before stay signed by the old key\n", res.Statement.R.FromSeq)
	fmt.Fprintln(c.stdout, "peers and hubs take the new key at the next sync; in an organisation, HQ certifies it again with:")
	fmt.Fprintf(c.stdout, "  liaisondesk org enrol '%s' --name NAME\n", res.Identity)
	fmt.Fprintln(c.stdout, res.Identity)
	return nil
}

func runActions(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("actions", flag.ContinueOnError)
	from := fs.String("from", "", "the departing owner, as the actions name them")
	to := fs.String("to", "", "the new owner")
	pos, s, err := c.begin(ctx, fs, args, "handover")
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] != "handover" {
		return usagef("unknown actions command %q", pos[0])
	}
	if *from == "" || *to == "" {
		return usagef("actions handover needs --from NAME and --to NAME")
	}
	n, err := s.ReassignActions(ctx, *from, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "moved %d open or in-progress action(s) from %s to %s\n", n, *from, *to)
	return nil
}
