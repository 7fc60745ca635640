package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
)

func runIdentity(ctx context.Context, c *cli, args []string) error {
	_, s, err := c.begin(ctx, flag.NewFlagSet("identity", flag.ContinueOnError), args)
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

func runPeers(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("peers", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array (list)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing add, list or revoke")
	}
	var names []string
	switch pos[0] {
	case "add":
		names = []string{"NAME", "IDENTITY"}
		if len(pos) > 3 { // an identity line pasted without quotes
			pos = append(pos[:2], strings.Join(pos[2:], " "))
		}
	case "list":
	case "revoke":
		names = []string{"NAME"}
	default:
		return usagef("unknown peers command %q (add, list or revoke)", pos[0])
	}
	if err := wantArgs(pos[1:], names...); err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "add":
		p, err := s.AddPeer(ctx, pos[1], pos[2])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "trusting %s: site %s, officer %s\n", p.Name, p.Identity.Site, p.Identity.Officer)
		return nil
	case "revoke":
		if err := s.RevokePeer(ctx, pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "revoked %s\n", pos[1])
		return nil
	}
	peers, err := s.Peers(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			data.Peer
			Site     string `json:"site"`
			Officer  string `json:"officer"`
			Identity string `json:"identity"`
		}
		out := make([]row, 0, len(peers))
		for _, p := range peers {
			out = append(out, row{p, p.Identity.Site.String(), p.Identity.Officer, p.Identity.String()})
		}
		return c.printJSON(out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tOFFICER\tSITE\tADDED\tREVOKED")
	for _, p := range peers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Identity.Officer, p.Identity.Site, p.AddedAt, cell(p.RevokedAt))
	}
	return tw.Flush()
}
