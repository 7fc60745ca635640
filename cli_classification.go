package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
)

// runClassification lists the classification levels or adds one right
// after another, as Settings does. The built-in levels' ranks are fixed in
// code and an added level never moves, so there is no verb to re-rank.
func runClassification(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("classification", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "list: print a JSON array")
	after := fs.String("after", "", "add: the level the new one goes right after")
	colour := fs.String("colour", "", "add: the banner colour, #RRGGBB (default a neutral grey)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if len(pos) == 0 {
		return usagef("missing list or add")
	}
	switch pos[0] {
	case "list":
		if err := wantArgs(pos[1:]); err != nil {
			return err
		}
		for _, f := range []string{"after", "colour"} {
			if given[f] {
				return usagef("--%s is for add, not list", f)
			}
		}
	case "add":
		if len(pos) < 2 {
			return usagef("missing LEVEL")
		}
		if given["json"] {
			return usagef("--json is for list, not add")
		}
		if strings.TrimSpace(*after) == "" {
			return usagef("missing --after LEVEL: the level the new one goes right after")
		}
	default:
		return usagef("unknown classification command %q (list or add)", pos[0])
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "add" {
		// A name of several words may come unquoted: TOP SECRET.
		id := strings.Join(pos[1:], " ")
		col := strings.TrimSpace(*colour)
		if col != "" && !strings.HasPrefix(col, "#") {
			col = "#" + col
		}
		l, err := s.AddClassification(ctx, id, *after, col)
		if err != nil {
			return err
		}
		levels, err := s.Classifications(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "added %s at rank %d, %s, colour %s; it never moves\n", l.ID, l.Rank, placeOf(levels, l.ID), l.Colour)
		return nil
	}
	levels, err := s.Classifications(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Level   string `json:"level"`
			Rank    int    `json:"rank"`
			Colour  string `json:"colour"`
			BuiltIn bool   `json:"built_in"`
		}
		out := make([]row, 0, len(levels))
		for _, l := range levels {
			out = append(out, row{l.ID, l.Rank, l.Colour, l.BuiltIn()})
		}
		return c.printJSON(out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LEVEL\tRANK\tCOLOUR\tBUILT-IN")
	for _, l := range levels {
		builtIn := "no"
		if l.BuiltIn() {
			builtIn = "yes"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", l.ID, l.Rank, l.Colour, builtIn)
	}
	return tw.Flush()
}

// placeOf says where a level sits: "between CONFIDENTIAL and SECRET", or
// "above SECRET" at the top.
func placeOf(levels []data.Classification, id string) string {
	for i, l := range levels {
		if l.ID != id || i == 0 {
			continue
		}
		if i+1 < len(levels) {
			return "between " + levels[i-1].ID + " and " + levels[i+1].ID
		}
		return "above " + levels[i-1].ID
	}
	return "at the bottom"
}
