package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// runReleasability lists the releasability groups and flagged nations, or,
// on HQ's store, sets them.
func runReleasability(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("releasability", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "list: print JSON")
	nations := fs.String("nations", "", "group: the nations it expands to, e.g. AUS,CAN,GBR")
	title := fs.String("title", "", "group: what it is called in full")
	reason := fs.String("reason", "", "flag: why HQ flags the nation")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing list, group, flag or unflag")
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "list":
		return listReleasability(ctx, c, s, *asJSON)
	case "group":
		if err := wantArgs(pos[1:], "NAME"); err != nil {
			return err
		}
		g := data.RelGroup{ID: strings.ToUpper(pos[1]), Title: *title, Nations: upperList(*nations)}
		if err := s.SetRelGroup(ctx, g); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "group %s: %s\n", g.ID, strings.Join(g.Nations, ", "))
	case "flag":
		if err := wantArgs(pos[1:], "NATION"); err != nil {
			return err
		}
		if err := s.FlagNation(ctx, strings.ToUpper(pos[1]), *reason); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s is flagged\n", strings.ToUpper(pos[1]))
	case "unflag":
		if err := wantArgs(pos[1:], "NATION"); err != nil {
			return err
		}
		if err := s.Delete(ctx, data.KindNationFlag, strings.ToUpper(pos[1])); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s is no longer flagged\n", strings.ToUpper(pos[1]))
	default:
		return usagef("the releasability subcommands are list, group, flag and unflag (got %q)", pos[0])
	}
	return nil
}

func upperList(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.ToUpper(strings.TrimSpace(n)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func listReleasability(ctx context.Context, c *cli, s *store.Store, asJSON bool) error {
	groups, err := s.RelGroups(ctx)
	if err != nil {
		return err
	}
	flags, err := s.NationFlags(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		type group struct {
			data.RelGroup
			BuiltIn bool `json:"built_in"`
		}
		out := struct {
			Groups []group           `json:"groups"`
			Flags  []data.NationFlag `json:"flags"`
		}{Flags: flags}
		for _, g := range groups {
			out.Groups = append(out.Groups, group{g, g.BuiltIn})
		}
		if out.Flags == nil {
			out.Flags = []data.NationFlag{}
		}
		return c.printJSON(out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tTITLE\tNATIONS")
	for _, g := range groups {
		name := g.ID
		if g.BuiltIn {
			name += " (built in)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, g.Title, strings.Join(g.Nations, ", "))
	}
	for _, f := range flags {
		fmt.Fprintf(tw, "FLAGGED %s\t%s\t\n", f.ID, f.Reason)
	}
	return tw.Flush()
}

// markingOf is the marking of a record that carries one.
func markingOf(rec data.Record) *data.Marking {
	switch v := rec.(type) {
	case *data.Exchange:
		return &v.Marking
	case *data.Request:
		return &v.Marking
	}
	return nil
}

// expandGroups turns group names in a releasability list into their
// nations, and warns on stderr of each group used that brings in a nation
// HQ flagged (the record is saved all the same: the window asks first).
func expandGroups(ctx context.Context, c *cli, s *store.Store, verb string, rel []string) ([]string, error) {
	groups, err := s.RelGroups(ctx)
	if err != nil {
		return nil, err
	}
	nations, used := data.ExpandReleasability(rel, groups)
	if len(used) == 0 {
		return rel, nil
	}
	flags, err := s.NationFlags(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if slices.Contains(used, g.ID) {
			if w := data.FlaggedWarning(g, flags); w != "" {
				fmt.Fprintf(c.stderr, "liaisondesk %s: warning: releasability: %s\n", verb, w)
			}
		}
	}
	return nations, nil
}

// expandRecordGroups expands the groups in the markings of records about
// to be added.
func expandRecordGroups(ctx context.Context, c *cli, s *store.Store, recs []data.Record) error {
	for _, rec := range recs {
		if m := markingOf(rec); m != nil && len(m.Releasability) > 0 {
			rel, err := expandGroups(ctx, c, s, "add", m.Releasability)
			if err != nil {
				return err
			}
			m.Releasability = rel
		}
	}
	return nil
}

// expandPatchGroups expands the groups in an update's releasability, if it
// gives one.
func expandPatchGroups(ctx context.Context, c *cli, s *store.Store, patch []byte) ([]byte, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(patch, &fields) != nil || fields["releasability"] == nil {
		return patch, nil
	}
	var rel []string
	if json.Unmarshal(fields["releasability"], &rel) != nil {
		return patch, nil // the update names the problem
	}
	rel, err := expandGroups(ctx, c, s, "update", rel)
	if err != nil {
		return nil, err
	}
	fields["releasability"], _ = json.Marshal(rel)
	return json.Marshal(fields)
}
