package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

func runInit(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	officer := fs.String("officer", "", "officer's name")
	rank := fs.String("rank", "", "officer's rank")
	posting := fs.String("posting", "", "posting code (INDOPACOM, SOCOM, CMF)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos); err != nil {
		return err
	}
	return c.initStore(ctx, data.Officer{Name: *officer, Rank: *rank, Posting: *posting}, "store")
}

// initStore creates the --db store with a new device identity (a laptop's
// or a hub's); an initialised store and bad input are refused before any
// file is created.
func (c *cli) initStore(ctx context.Context, o data.Officer, what string) error {
	if _, err := os.Stat(c.dbPath); err == nil {
		s, err := store.Open(ctx, c.dbPath)
		if err != nil {
			return err
		}
		initialised := s.Initialised()
		s.Close()
		if initialised {
			return fmt.Errorf("%s is already initialised: a store has one identity (use a new --db PATH)", c.dbPath)
		}
	}
	// Validate before creating any file, so bad input leaves nothing behind.
	if err := o.Validate(data.BuiltinPostings()); err != nil {
		return err
	}
	pass, err := c.newPassphrase("A new store: its keys are sealed under a passphrase.")
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, c.dbPath)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.InitWithPassphrase(ctx, o, pass); err != nil {
		return err
	}
	if what == "hub" {
		if err := s.MarkHub(ctx); err != nil {
			return err
		}
	}
	dev, _ := s.Device()
	fmt.Fprintf(c.stdout, "initialised %s %s\nsite %s (device code %s), officer %s (%s), posting %s\n",
		what, c.dbPath, dev.Site, dev.Site.ShortCode(), dev.Officer, dev.Rank, dev.Posting)
	if what == "hub" {
		id, err := s.Identity(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "identity (give it to each device: liaisondesk peers add hub IDENTITY):\n%s\n", id)
	}
	return nil
}

// decodeRecords reads one JSON object or JSON Lines of objects of a kind.
func decodeRecords(r io.Reader, kind data.Kind) ([]data.Record, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	var recs []data.Record
	for n := 1; ; n++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("record %d: input is not valid JSON: %v", n, err)
		}
		if !utf8.Valid(raw) {
			return nil, fmt.Errorf("record %d: input is not valid UTF-8", n)
		}
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
			return nil, fmt.Errorf("record %d: expected a JSON object {...}", n)
		}
		rec, err := store.DecodeRecord(kind, raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", n, err)
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no input: give one JSON object, or JSON Lines, on stdin or with --file")
	}
	return recs, nil
}

func runAdd(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	file := fs.String("file", "", "read JSON from this file instead of stdin")
	justify := fs.String("justify", "", "exchanges: why information beyond the officer's DDL was received")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "KIND"); err != nil {
		return err
	}
	kind := data.Kind(pos[0])
	if _, err := data.UserKind(kind); err != nil || kind == data.KindPosting {
		return usagef("KIND must be one of %s (postings: 'liaisondesk posting add')", data.JoinKinds(slices.DeleteFunc(data.Kinds(), func(k data.Kind) bool { return k == data.KindPosting })))
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := c.readInput(*file)
	if err != nil {
		return err
	}
	defer in.Close()
	recs, err := decodeRecords(in, kind)
	if err != nil {
		return noted{data.Op("add", string(kind), err), " (nothing was added)"}
	}
	if err := expandRecordGroups(ctx, c, s, recs); err != nil {
		return err
	}
	if err := justifyRecords(recs, *justify); err != nil {
		return err
	}
	ids, err := s.Add(ctx, recs...)
	if err != nil {
		return noted{err, " (nothing was added)"}
	}
	warnLeadTime(ctx, c, s, recs)
	w := bufio.NewWriter(c.stdout)
	for _, id := range ids {
		fmt.Fprintln(w, id)
	}
	return w.Flush()
}

func runPosting(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("posting", flag.ContinueOnError)
	name := fs.String("name", "", "the command's name")
	tz := fs.String("tz", "", "IANA time zone, e.g. Europe/London")
	location := fs.String("location", "", "where it is")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "add" {
		return usagef("the only posting subcommand is 'add'")
	}
	if err := wantArgs(pos[1:], "CODE"); err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ids, err := s.Add(ctx, &data.Posting{ID: pos[1], Name: *name, TimeZone: *tz, Location: *location})
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, ids[0])
	return nil
}

func runUpdate(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("update", flag.ContinueOnError)
	file := fs.String("file", "", "read the JSON object from this file instead of stdin")
	amend := fs.Bool("amend", false, "amend a final exchange (recorded in its history like any change)")
	justify := fs.String("justify", "", "exchanges: why information beyond the officer's DDL was received")
	pos, s, err := c.begin(ctx, fs, args, "KIND", "ID")
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := c.readInput(*file)
	if err != nil {
		return err
	}
	defer in.Close()
	patch, err := io.ReadAll(io.LimitReader(in, 64<<20))
	if err != nil {
		return err
	}
	if t := bytes.TrimSpace(patch); len(t) == 0 || t[0] != '{' {
		return data.Op("update", "", errors.New(`expected a JSON object of the fields to change, e.g. {"title": "..."}`))
	}
	if patch, err = expandPatchGroups(ctx, c, s, patch); err != nil {
		return err
	}
	if patch, err = justifyPatch(data.Kind(pos[0]), patch, *justify); err != nil {
		return err
	}
	if *amend {
		return s.UpdateAmend(ctx, data.Kind(pos[0]), pos[1], patch)
	}
	return s.Update(ctx, data.Kind(pos[0]), pos[1], patch)
}

func runDelete(ctx context.Context, c *cli, args []string) error {
	pos, s, err := c.begin(ctx, flag.NewFlagSet("delete", flag.ContinueOnError), args, "KIND", "ID")
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Delete(ctx, data.Kind(pos[0]), pos[1])
}

func runStatus(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	note := fs.String("note", "", "why, recorded in the request's history or the exchange's state notes")
	at := fs.String("at", "", "requests: when it happened, if not now: YYYY-MM-DD or RFC 3339 (officers often record after the fact)")
	date := fs.String("date", "", "exchanges, when postponing: the new date and time (RFC 3339)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 && data.Kind(pos[0]) == data.KindExchange {
		return runExchangeStatus(ctx, c, pos, *note, *at, *date)
	}
	if len(pos) > 0 && data.Kind(pos[0]) == data.KindVisit {
		return runVisitStatus(ctx, c, pos, *note, *at, *date)
	}
	if err := wantArgs(pos, "request", "ID", "NEW_STATUS"); err != nil {
		return err
	}
	if data.Kind(pos[0]) != data.KindRequest {
		return usagef("only requests, exchanges and visits have a status workflow (got %q)", pos[0])
	}
	if *date != "" {
		return usagef("--date is for postponing an exchange; a request's transition takes --at")
	}
	when, err := parseWhen(*at)
	if err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetStatusAt(ctx, pos[1], data.RequestStatus(pos[2]), *note, when); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "request %s is now %s\n", pos[1], pos[2])
	return nil
}

// runExchangeStatus moves an exchange along its workflow: planned → held →
// final, planned → postponed (--date) or cancelled, draft → final.
func runExchangeStatus(ctx context.Context, c *cli, pos []string, note, at, date string) error {
	if err := wantArgs(pos, "exchange", "ID", "NEW_STATE"); err != nil {
		return err
	}
	if at != "" {
		return usagef("--at is for requests; an exchange's state changes now (a postponement takes --date)")
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetExchangeState(ctx, pos[1], data.ExchangeState(pos[2]), note, date); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "exchange %s is now %s\n", pos[1], pos[2])
	return nil
}

// parseWhen reads --at: a date (midday UTC, so it stays the same day in
// every posting's zone) or an RFC 3339 time; empty means now.
func parseWhen(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.Parse(data.DateLayout, v); err == nil {
		return d.Add(12 * time.Hour), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, &data.FieldError{Field: "at", Problem: fmt.Sprintf("%q is not a date (YYYY-MM-DD) or a time (RFC 3339)", v)}
	}
	return t, nil
}

func runShow(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	include := registerInclude(fs)
	pos, s, err := c.begin(ctx, fs, args, "KIND", "ID")
	if err != nil {
		return err
	}
	defer s.Close()
	keep, err := sensitiveKept(*include)
	if err != nil {
		return err
	}
	rec, err := s.Get(ctx, data.Kind(pos[0]), pos[1])
	if err != nil {
		return err
	}
	rec = data.WithSensitive(rec, keep)
	if *asJSON {
		return c.printJSON(rec)
	}
	return printRecord(c.stdout, rec)
}

// printRecord writes a record as "field: value" lines, skipping empty
// fields, with lists and child rows indented.
func printRecord(w io.Writer, rec data.Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj orderedObject
	if err := dec.Decode(&obj); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range obj {
		v := kv.value
		switch x := v.(type) {
		case string:
			if x == "" {
				continue
			}
			fmt.Fprintf(tw, "%s:\t%s\n", kv.key, strings.ReplaceAll(x, "\n", "\n\t"))
		case []any:
			if len(x) == 0 {
				continue
			}
			if _, isObj := x[0].(map[string]any); isObj {
				fmt.Fprintf(tw, "%s:\t\n", kv.key)
				for i, item := range x {
					fmt.Fprintf(tw, "  %d.\t%s\n", i+1, oneLine(item.(map[string]any)))
				}
				continue
			}
			parts := make([]string, len(x))
			for i, p := range x {
				parts[i] = fmt.Sprint(p)
			}
			fmt.Fprintf(tw, "%s:\t%s\n", kv.key, strings.Join(parts, ", "))
		case bool:
			if x {
				fmt.Fprintf(tw, "%s:\tyes\n", kv.key)
			}
		default:
			fmt.Fprintf(tw, "%s:\t%v\n", kv.key, x)
		}
	}
	return tw.Flush()
}

func oneLine(m map[string]any) string {
	var parts []string
	for _, k := range []string{"line_no", "description", "nsn", "part_number", "cage", "quantity", "unit", "delivered_quantity", "at", "by", "from", "to", "note", "id",
		"name", "rank", "organisation", "nationality", "clearance", "passport", "birth_date"} { // a visit's visitors
		if v, ok := m[k]; ok && fmt.Sprint(v) != "" && fmt.Sprint(v) != "0" {
			parts = append(parts, k+"="+fmt.Sprint(v))
		}
	}
	return strings.Join(parts, "  ")
}

// orderedObject decodes a JSON object keeping its key order.
type orderedObject []struct {
	key   string
	value any
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*o = append(*o, struct {
			key   string
			value any
		}{k.(string), v})
	}
	return nil
}

func runList(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	var f data.ListFilter
	fs.StringVar(&f.Posting, "posting", "", "posting code")
	fs.StringVar(&f.Status, "status", "", "status (exchanges: draft, final, planned, held, postponed, cancelled)")
	fs.StringVar(&f.Kind, "kind", "", "exchange kind")
	fs.StringVar(&f.Classification, "classification", "", "classification level")
	fs.StringVar(&f.From, "from", "", "from date, YYYY-MM-DD")
	fs.StringVar(&f.To, "to", "", "to date, YYYY-MM-DD (inclusive)")
	fs.IntVar(&f.Limit, "limit", 0, "at most N records (0: all)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	include := registerInclude(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	keep, err := sensitiveKept(*include)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "KIND"); err != nil {
		return err
	}
	kind := data.Kind(pos[0])
	info, err := data.UserKind(kind)
	if err != nil {
		return usagef("KIND must be one of %s", data.JoinKinds(data.Kinds()))
	}
	cols := info.List.Brief
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	out := bufio.NewWriterSize(c.stdout, 1<<16)
	defer out.Flush()
	if *asJSON {
		return listJSON(ctx, s, kind, f, keep, out)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(cols, "\t")))
	n := 0
	err = s.List(ctx, kind, f, func(rec data.Record) error {
		n++
		m := map[string]any{}
		b, _ := json.Marshal(data.WithSensitive(rec, keep))
		_ = json.Unmarshal(b, &m)
		cells := make([]string, len(cols))
		for i, col := range cols {
			cells[i] = cell(m[col])
		}
		_, err := fmt.Fprintln(tw, strings.Join(cells, "\t"))
		return err
	})
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "(%d %s)\n", n, plural(n, kind))
	return nil
}

// listJSON streams a bare JSON array, one record at a time.
func listJSON(ctx context.Context, s *store.Store, kind data.Kind, f data.ListFilter, keep []string, out io.Writer) error {
	io.WriteString(out, "[")
	first := true
	err := s.List(ctx, kind, f, func(rec data.Record) error {
		b, err := json.Marshal(data.WithSensitive(rec, keep))
		if err != nil {
			return err
		}
		if !first {
			io.WriteString(out, ",")
		}
		first = false
		io.WriteString(out, "\n  ")
		_, err = out.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	if !first {
		io.WriteString(out, "\n")
	}
	_, err = io.WriteString(out, "]\n")
	return err
}

func cell(v any) string {
	s := ""
	switch x := v.(type) {
	case nil:
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		s = strings.Join(parts, ",")
	default:
		s = fmt.Sprint(x)
	}
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	if s == "" {
		s = "-"
	}
	return s
}

func plural[K ~string](n int, kind K) string {
	if n == 1 {
		return string(kind)
	}
	return string(kind) + "s"
}

func runSearch(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	kind := fs.String("kind", "", "only this kind: exchange, request, action, contact")
	limit := fs.Int("limit", 50, "at most N hits")
	raw := fs.Bool("fts", false, "the query is FTS5 syntax (AND, OR, NOT, NEAR, \"phrase\", prefix*)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing QUERY")
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	o := data.SearchOptions{Limit: *limit, Raw: *raw}
	if *kind != "" {
		o.Kinds = []data.Kind{data.Kind(*kind)}
	}
	if *asJSON {
		o.Mark = [2]string{"[", "]"}
	}
	hits, err := s.Search(ctx, strings.Join(pos, " "), o)
	if err != nil {
		return err
	}
	if *asJSON {
		if hits == nil {
			hits = []data.Hit{}
		}
		return c.printJSON(hits)
	}
	for _, h := range hits {
		fmt.Fprintf(c.stdout, "%-8s %s  %s  %s\n         %s\n", h.Kind, h.ID, firstN(h.When, 10), h.Title, h.Snippet)
	}
	fmt.Fprintf(c.stdout, "(%d %s)\n", len(hits), plural(len(hits), "hit"))
	return nil
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func runHistory(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array")
	pos, s, err := c.begin(ctx, fs, args, "KIND", "ID")
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.History(ctx, data.Kind(pos[0]), pos[1])
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(entries)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tOFFICER\tDEVICE\tFIELD\tOLD → NEW")
	for _, e := range entries {
		at := e.At
		if e.Ahead {
			at += " (ahead of this laptop's clock)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s → %s\n", at, e.Officer, strings.ToUpper(e.Site[:4]), e.Field, cell(jsonValue(e.Old)), cell(jsonValue(e.New)))
	}
	return tw.Flush()
}

func jsonValue(b json.RawMessage) any {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	return v
}
