package report

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"time"
)

// writeCSV writes UTF-8 with a byte order mark, RFC 4180 quoting, and
// formula-like text neutralised. The first and last rows carry the banner
// (the first also what the file is and what the ceiling left out). A
// report of one table has its header and rows; a report of several stacks
// them, each row starting with its section, so every row has as many
// fields and a spreadsheet filter on the first column picks a section.
func writeCSV(ctx context.Context, d *doc, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	tables := d.tables()
	multi := len(tables) > 1
	width := 2
	for _, t := range tables {
		width = max(width, len(t.columns)+boolInt(multi))
	}
	rec := make([]string, width)
	put := func(cells ...string) error {
		clear(rec)
		copy(rec, cells)
		return cw.Write(rec)
	}
	if err := put(d.banner.String(), d.statement()); err != nil {
		return err
	}
	for _, t := range tables {
		head := make([]string, 0, len(t.columns)+1)
		if multi {
			head = append(head, t.name)
		}
		for _, c := range t.columns {
			head = append(head, c.key)
		}
		if err := put(head...); err != nil {
			return err
		}
		off := boolInt(multi)
		err := d.each(ctx, t, func(r row) error {
			clear(rec)
			if multi {
				rec[0] = t.name
			}
			for i, c := range t.columns {
				s := r.text(c, i)
				if c.typ == textCol {
					s = neutralise(s)
				}
				rec[off+i] = s
			}
			return cw.Write(rec)
		})
		if err != nil {
			return err
		}
	}
	if err := put(d.banner.String()); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonHead is what a JSON report says about itself before its sections.
type jsonHead struct {
	Report         string      `json:"report"`
	Export         bool        `json:"export,omitempty"`
	Title          string      `json:"title"`
	Banner         string      `json:"banner"`
	Classification string      `json:"classification"`
	Releasability  []string    `json:"releasability"`
	Posting        string      `json:"posting"`
	Period         *jsonPeriod `json:"period"`
	GeneratedAt    string      `json:"generated_at"`
	Officer        string      `json:"officer"`
	Device         string      `json:"device"`
	Ceiling        *jsonCeil   `json:"ceiling"`
	LeftOut        int         `json:"left_out"`
}

type jsonPeriod struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type jsonCeil struct {
	Classification string   `json:"classification"`
	Releasability  []string `json:"releasability"`
}

// writeJSON writes one JSON object: the report's header fields, then its
// sections, each with its rows (objects keyed by column; an export's rows
// are the whole records, with the domain's field names), streamed.
func writeJSON(ctx context.Context, d *doc, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	rel := d.banner.Releasability
	if rel == nil {
		rel = []string{}
	}
	h := jsonHead{Report: d.kind.Name, Export: d.kind.Export, Title: d.title, Banner: d.banner.String(),
		Classification: d.banner.Classification.ID, Releasability: rel, Posting: d.opts.Posting,
		GeneratedAt: d.generated.UTC().Format(time.RFC3339), Officer: d.officer, Device: d.device, LeftOut: d.leftOut}
	if d.opts.From != "" || d.opts.To != "" {
		h.Period = &jsonPeriod{d.opts.From, d.opts.To}
	}
	if d.ceiling.active() {
		n := d.ceiling.nations
		if n == nil {
			n = []string{}
		}
		h.Ceiling = &jsonCeil{d.ceiling.level, n}
	}
	head, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return err
	}
	bw.Write(head[:len(head)-2]) // without the closing brace
	bw.WriteString(",\n  \"sections\": [")
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for si, t := range d.tables() {
		if si > 0 {
			bw.WriteString(",")
		}
		meta, _ := json.Marshal(struct {
			Name    string `json:"name"`
			Title   string `json:"title"`
			LeftOut int    `json:"left_out"`
		}{t.name, t.title, t.leftOut})
		bw.WriteString("\n    ")
		bw.Write(meta[:len(meta)-1])
		bw.WriteString(`,"rows":[`)
		n := 0
		obj := make(orderedRow, len(t.columns))
		err := d.each(ctx, t, func(r row) error {
			var v any
			switch {
			case d.kind.Export && r.rec == nil:
				return nil // a request's further lines: the record went out with its first
			case r.rec != nil:
				v = r.rec
			default:
				for i, c := range t.columns {
					obj[i] = kv{c.key, jsonValue(c, r.value(i))}
				}
				v = obj
			}
			if n > 0 {
				bw.WriteString(",")
			}
			n++
			bw.WriteString("\n      ")
			return enc.Encode(v)
		})
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString("    ")
		}
		bw.WriteString("]}")
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

func jsonValue(c column, v any) any {
	switch x := v.(type) {
	case nil:
		if c.typ == numCol {
			return nil
		}
		return ""
	case time.Time:
		return plainText(c, x)
	}
	return v
}

type kv struct {
	k string
	v any
}

// orderedRow is a JSON object that keeps its columns' order.
type orderedRow []kv

func (o orderedRow) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, p := range o {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, _ := json.Marshal(p.k)
		buf = append(buf, k...)
		buf = append(buf, ':')
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		buf = append(buf, v...)
	}
	return append(buf, '}'), nil
}
