package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
)

// runAudit lists what left the system: every report, export and backup
// made on any device this store has synced with, oldest first.
func runAudit(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	var q data.AuditQuery
	fs.StringVar(&q.From, "from", "", "first day, YYYY-MM-DD")
	fs.StringVar(&q.To, "to", "", "last day, YYYY-MM-DD (inclusive)")
	asJSON := fs.Bool("json", false, "print a JSON array, one element per output")
	_, s, err := c.begin(ctx, fs, args)
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.Audit(ctx, q)
	if err != nil {
		var fe *data.FieldError
		if errors.As(err, &fe) {
			return usagef("--%s %s", fe.Field, fe.Problem)
		}
		return err
	}
	if *asJSON {
		return c.printJSON(entries)
	}
	if len(entries) == 0 {
		fmt.Fprintln(c.stdout, "nothing has left the system")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT\tOFFICER\tDEVICE\tOUTPUT\tFORMAT\tMARKING\tFILE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.At, e.Officer, e.Device, strings.TrimSpace(e.What+" "+e.Name), e.Format,
			auditMarking(e.AuditEntry), e.File)
	}
	return tw.Flush()
}

// auditMarking is an output's ceiling as its banner reads: "RESTRICTED
// REL TO USA, IND".
func auditMarking(e data.AuditEntry) string {
	m := e.Classification
	if len(e.Releasability) > 0 {
		m += " REL TO " + strings.Join(e.Releasability, ", ")
	}
	if m == "" {
		return "-"
	}
	return strings.TrimSpace(m)
}
