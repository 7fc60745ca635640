package report

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"liaisondesk/data"
)

// The officer's registers (issue 14): the documents register for the
// security officer, and whole-table exports of documents and gifts.

var documentCol = []column{
	{key: "received_on", title: "Received", typ: dateCol, width: 1.15},
	{key: "title", title: "Title", width: 3, wrap: true},
	{key: "control_number", title: "Control / copy", width: 1.3, wrap: true},
	{key: "category", title: "Cat.", width: 0.5},
	{key: "disclosure", title: "Method", width: 1.25, wrap: true},
	{key: "originator", title: "US originator", width: 1.6, wrap: true},
	{key: "release_ref", title: "Release ref.", width: 1.4, wrap: true},
	{key: "hq_route", title: "Route to HQ", width: 1.5, wrap: true},
	{key: "disposition", title: "Disposition", width: 1.6, wrap: true},
	{key: "exchange_on", title: "Exchange of", typ: dateCol, width: 1.15},
	{key: "attachments", title: "Files", typ: numCol, width: 0.6},
	colMarking,
}

// documentRegister lists the documents received: in the period and every
// one still held, each at the highest marking of itself and its
// attachments, so the banners carry the highest marking inside.
func (b *builder) documentRegister(ctx context.Context) error {
	b.d.subtitle = "All postings" // documents belong to no posting: a posting chosen reads them all
	sec := b.add(&section{name: "documents", title: "Documents and information received", empty: "No documents received.",
		columns: documentCol,
		note:    "Oldest first. Disposition gives its date; the exchange is named by its date only. A document is marked at the highest level of itself and its attachments."})
	if b.o.From != "" || b.o.To != "" {
		sec.note = "Received in the period, and every document still held. " + sec.note
	}
	held := 0
	var rows []row
	err := b.s.ReportDocuments(ctx, data.DocumentQuery{From: b.o.From, To: b.o.To}, func(d *data.ReportDocument) error {
		if !b.t.keep(sec, d.Marking) {
			return nil
		}
		if d.Holds() {
			held++
		}
		disposition := d.Disposition
		if d.DispositionOn != "" {
			disposition += " " + d.DispositionOn
		}
		rec := *d
		rows = append(rows, row{cells: []any{d.ReceivedOn, d.Title, d.ControlNumber, d.Category, d.Disclosure, d.Originator,
			d.ReleaseRef, d.HQRoute, disposition, d.ExchangeOn, d.Files, markText(d.Marking)}, rec: &rec.Document, marking: markingOf(d.Marking)})
		return nil
	})
	if err != nil {
		return err
	}
	sec.rows = slice(rows)
	figures := &section{name: "summary", title: "Summary", fields: []field{
		{"Documents listed", fmt.Sprint(len(rows))}, {"Still held", fmt.Sprint(held)}}}
	b.d.sections = slices.Insert(b.d.sections, len(b.d.sections)-1, figures)
	return nil
}

// exportRegister writes every record of a register kind with every synced
// field, as its descriptor names them: documents (marked, with their
// attachments' metadata in JSON) or gifts (unmarked, with the derived
// deadline).
func (b *builder) exportRegister(kind data.Kind) func(context.Context) error {
	return func(ctx context.Context) error {
		b.d.subtitle = "All postings" // the registers belong to no posting: a posting chosen reads them all
		info := data.Describe(kind)
		var cols []column
		for _, f := range info.Fields {
			c := column{key: f.Name, title: f.Name}
			switch {
			case f.Format == data.DateText:
				c.typ = dateCol
			case f.Type == data.RealField || f.Type == data.IntField:
				c.typ = numCol
			}
			cols = append(cols, c)
		}
		cols = append([]column{{key: "id", title: "id"}}, cols...)
		for _, d := range info.Derived {
			cols = append(cols, column{key: d, title: d, typ: dateCol})
		}
		sec := b.add(&section{name: info.Table, title: upperFirst(info.Table), columns: cols, empty: "No " + info.Table + "."})
		files, err := b.s.AttachmentsByRecord(ctx, kind)
		if err != nil {
			return err
		}
		var rows []row
		err = b.s.List(ctx, kind, data.ListFilter{From: b.o.From, To: b.o.To}, func(r data.Record) error {
			values, err := jsonObject(r)
			if err != nil {
				return err
			}
			var m data.Marking
			if d, ok := r.(*data.Document); ok {
				m = d.Marking
			}
			if !b.t.keep(sec, m) {
				return nil
			}
			cells := make([]any, len(cols))
			for i, c := range cols {
				cells[i] = exportCell(c, values[c.key])
			}
			rows = append(rows, row{cells: cells, rec: withFiles(r, files[r.RecordID()]), marking: markingOf(m)})
			return nil
		})
		if err != nil {
			return err
		}
		sec.rows = slice(rows)
		return nil
	}
}

// jsonObject is a record's JSON fields by name.
func jsonObject(r data.Record) (map[string]any, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// exportCell is a JSON value as a cell of its column: lists joined, numbers
// as float64, everything else as text.
func exportCell(c column, v any) any {
	switch v := v.(type) {
	case nil:
		if c.typ == numCol {
			return 0.0
		}
		return ""
	case []any:
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = fmt.Sprint(x)
		}
		return joinList(s)
	case float64:
		return v
	case string:
		return v
	}
	return fmt.Sprint(v)
}
