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
	leftOff, err := s.LeftOffLevels(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		// The levels in order, then those left off the order, each
		// saying why: records marked with one count as an unknown level.
		type row struct {
			Level   string `json:"level"`
			Rank    int    `json:"rank"`
			Colour  string `json:"colour"`
			BuiltIn bool   `json:"built_in"`
			LeftOff string `json:"left_off,omitempty"`
		}
		out := make([]row, 0, len(levels)+len(leftOff))
		for _, l := range levels {
			out = append(out, row{l.ID, l.Rank, l.Colour, l.BuiltIn(), ""})
		}
		for _, l := range leftOff {
			out = append(out, row{l.ID, l.Rank, l.Colour, false, l.Why})
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
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(leftOff) == 0 {
		return nil
	}
	fmt.Fprintln(c.stdout, "\nLeft off the order: records marked with these levels count as an unknown level "+
		"(left out of every ceiling, at the top of every banner).")
	for _, l := range leftOff {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", l.ID, l.Rank, l.Colour, l.Why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintln(c.stdout, leftOffRemedy)
	return err
}

// leftOffRemedy says what an officer can do about a level left off the
// order: levels never move and are never deleted, so use another name.
const leftOffRemedy = "Levels never move and cannot be deleted: to use such a level again, add it under another name " +
	"(classification add NAME --after LEVEL) and mark its records with that."

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
