package main

import (
	"context"
	"flag"
	"fmt"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// includeUsage is the help of --include, the flag that asks for sensitive
// fields by name.
const includeUsage = "sensitive fields to show, by name: passport,birth_date (visitors'; left out unless asked for)"

// registerInclude adds --include to a verb that prints records.
func registerInclude(fs *flag.FlagSet) *string { return fs.String("include", "", includeUsage) }

// sensitiveKept reads --include.
func sensitiveKept(v string) ([]string, error) {
	keep, err := data.ParseSensitive("include", v)
	if err != nil {
		return nil, usagef("--%v", err)
	}
	return keep, nil
}

// warnLeadTime prints on stderr, for each visit just added, the warning of
// a visit starting inside its posting's lead time. It is a warning: the
// visit is saved and the command succeeds.
func warnLeadTime(ctx context.Context, c *cli, s *store.Store, recs []data.Record) {
	for _, rec := range recs {
		v, ok := rec.(*data.Visit)
		if !ok {
			continue
		}
		w, err := s.VisitLeadTimeWarning(ctx, v)
		if err != nil {
			fmt.Fprintf(c.stderr, "liaisondesk add: warning: the lead time of visit %s could not be read: %v\n", v.ID, err)
			continue
		}
		if w != "" {
			fmt.Fprintf(c.stderr, "liaisondesk add: warning: visit %s: %s\n", v.ID, w)
		}
	}
}

// runVisitStatus moves a visit request along its workflow: drafted →
// sent_to_defence_wing → submitted → approved or denied → held →
// report_done.
func runVisitStatus(ctx context.Context, c *cli, pos []string, note, at, date string) error {
	if err := wantArgs(pos, "visit", "ID", "NEW_STATUS"); err != nil {
		return err
	}
	if at != "" || date != "" {
		return usagef("--at and --date are for requests and exchanges; a visit's status changes now")
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetVisitStatus(ctx, pos[1], data.VisitStatus(pos[2]), note); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "visit %s is now %s\n", pos[1], pos[2])
	return nil
}
