package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
)

// runDPAS shows the DPAS clocks whose current text could not be confirmed,
// as this store applies them, or sets one at HQ (data/dpas_clock.go).
func runDPAS(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("dpas", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "clocks: print a JSON array")
	source := fs.String("source", "", "set: where the value was read, e.g. the eCFR text of §700.13 and its date")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if len(pos) == 0 {
		return usagef("missing clocks or set")
	}
	var days int
	switch pos[0] {
	case "clocks":
		if err := wantArgs(pos[1:]); err != nil {
			return err
		}
		if given["source"] {
			return usagef("--source is for set, not clocks")
		}
	case "set":
		if err := wantArgs(pos[1:], "NAME", "DAYS"); err != nil {
			return err
		}
		if given["json"] {
			return usagef("--json is for clocks, not set")
		}
		if days, err = strconv.Atoi(pos[2]); err != nil {
			return usagef("DAYS %q is not a whole number of working days", pos[2])
		}
		if strings.TrimSpace(*source) == "" {
			return usagef("missing --source TEXT: where HQ read the value")
		}
	default:
		return usagef("unknown dpas command %q (clocks or set)", pos[0])
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "set" {
		got, err := s.SetDPASClock(ctx, pos[1], days, *source)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.stdout, "%s (%s) is now %d working days (the table says %d); every request's dates follow, and it reaches the laptops by sync\n",
			got.Name, got.Section, got.WorkingDays, got.TableDays)
		return err
	}
	clocks, err := s.DPASClocks(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(clocks)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLOCK\tSECTION\tWORKING DAYS\tSET BY\tSOURCE")
	for _, k := range clocks {
		by := "table"
		if k.SetByHQ {
			by = "HQ"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", k.Name, k.Section, k.WorkingDays, by, k.Source)
	}
	return tw.Flush()
}
