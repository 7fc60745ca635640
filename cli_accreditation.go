package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
)

// justifyRecords gives each exchange added the justification of --justify
// (the DDL check, data.CheckDDL); it is for exchanges only.
func justifyRecords(recs []data.Record, text string) error {
	if text == "" {
		return nil
	}
	for _, rec := range recs {
		e, ok := rec.(*data.Exchange)
		if !ok {
			return usagef("--justify is for exchanges: the reason information beyond the DDL was received")
		}
		e.DDLJustification = text
	}
	return nil
}

// justifyPatch adds --justify to an exchange's update as its
// ddl_justification field.
func justifyPatch(kind data.Kind, patch []byte, text string) ([]byte, error) {
	if text == "" {
		return patch, nil
	}
	if kind != data.KindExchange {
		return nil, usagef("--justify is for exchanges: the reason information beyond the DDL was received")
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(patch, &keys); err != nil {
		return patch, nil // the store names what is wrong with it
	}
	v, err := json.Marshal(text)
	if err != nil {
		return nil, err
	}
	keys["ddl_justification"] = v
	return json.Marshal(keys)
}

// runCategory lists the eight NDP-1 categories or renames one. Their
// numbers are fixed; their names are data that syncs, like the
// classification levels' colours.
func runCategory(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("category", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "list: print a JSON array")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing list or rename")
	}
	switch pos[0] {
	case "list":
		if err := wantArgs(pos[1:]); err != nil {
			return err
		}
	case "rename":
		if len(pos) < 3 {
			return usagef("usage: category rename N NAME")
		}
		if *asJSON {
			return usagef("--json is for list, not rename")
		}
	default:
		return usagef("unknown category command %q (list or rename)", pos[0])
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "rename" {
		// A name of several words may come unquoted.
		if err := s.SetNDPCategoryName(ctx, pos[1], strings.Join(pos[2:], " ")); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "NDP-1 category %s is now %q\n", pos[1], strings.Join(pos[2:], " "))
		return nil
	}
	cats, err := s.NDPCategories(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cats)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	for _, cat := range cats {
		fmt.Fprintf(tw, "%s\t%s\n", cat.ID, cat.Name)
	}
	return tw.Flush()
}
