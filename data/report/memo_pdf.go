package report

import (
	"context"
	"fmt"
	"strings"

	"liaisondesk/data"
)

const memoMargin = 22.0 // mm, the memorandum's text margins

// portion is a paragraph's portion marking, e.g. (C//REL TO USA, IND).
func portion(m data.Marking) string {
	short := map[string]string{"UNCLASSIFIED": "U", "RESTRICTED": "R", "CONFIDENTIAL": "C", "SECRET": "S"}
	c := short[m.Classification]
	if c == "" {
		c = m.Classification
	}
	if len(m.Releasability) > 0 {
		c += "//REL TO " + strings.Join(m.Releasability, ", ")
	}
	return "(" + c + ")"
}

// memorandum lays out one exchange as a memorandum for record (after
// AR 25-50): date line, office, subject with its marking, numbered
// paragraphs, actions, and the officer's signature block.
func (p *pdfw) memorandum(ctx context.Context, m *memo) error {
	pdf := p.pdf
	e := m.e
	width := p.w - 2*memoMargin
	pdf.SetLeftMargin(memoMargin)
	pdf.SetRightMargin(memoMargin)
	start := localTime(e.OccurredAt, m.loc)

	p.ink(inkColour)
	p.font("", 10)
	pdf.SetXY(memoMargin, pdf.GetY()+2)
	office := "Indian Liaison Officer"
	if m.posting.Name != "" {
		office += ", " + m.posting.Name
	}
	pdf.CellFormat(width/2, 5, office, "", 0, "L", false, 0, "")
	pdf.CellFormat(width/2, 5, start.Format("2 January 2006"), "", 1, "R", false, 0, "")
	if m.posting.Location != "" {
		pdf.CellFormat(width, 5, m.posting.Location, "", 1, "L", false, 0, "")
	}
	pdf.Ln(6)
	p.font("B", 13)
	pdf.CellFormat(width, 7, "MEMORANDUM FOR RECORD", "", 1, "L", false, 0, "")
	pdf.Ln(3)
	p.font("B", 10.5)
	pdf.MultiCell(width, 5.5, "SUBJECT: "+portion(e.Marking)+" "+e.Title, "", "L", false)
	pdf.Ln(1)
	p.draw(p.d.banner.Classification.Colour)
	pdf.SetLineWidth(0.5)
	pdf.Line(memoMargin, pdf.GetY(), p.w-memoMargin, pdf.GetY())
	pdf.SetLineWidth(0.2)
	pdf.Ln(4)

	when := start.Format("Monday 2 January 2006, 15:04")
	if end := localTime(e.EndedAt, m.loc); !end.IsZero() {
		if end.Format(data.DateLayout) == start.Format(data.DateLayout) {
			when += "–" + end.Format("15:04")
		} else {
			when += " to " + end.Format("2 January 2006, 15:04")
		}
	}
	when += " (" + m.loc.String() + "; " + start.UTC().Format("15:04") + " UTC)"
	if e.Location != "" {
		when += ", " + e.Location
	}
	kind := upperFirst(humanise(e.Kind))
	var how []string
	if e.Direction != "" {
		how = append(how, map[string]string{"given": "information given", "received": "information received", "both": "information given and received"}[e.Direction])
	}
	if e.Disclosure != "" {
		how = append(how, e.Disclosure+" disclosure")
	}
	if len(how) > 0 {
		kind += "; " + strings.Join(how, "; ")
	}
	var att []string
	for _, c := range m.counterparts {
		line := strings.TrimSpace(c.Rank + " " + c.Name)
		var role []string
		for _, v := range []string{c.Appointment, c.Organisation} {
			if v != "" {
				role = append(role, v)
			}
		}
		if len(role) > 0 {
			line += ", " + strings.Join(role, ", ")
		}
		if c.Nation != "" {
			line += " (" + c.Nation + ")"
		}
		att = append(att, line)
	}
	if m.missing > 0 {
		att = append(att, fmt.Sprintf("%d counterpart(s) not in this register", m.missing))
	}
	if e.Participants != "" {
		att = append(att, "Own side: "+e.Participants)
	}
	if len(att) == 0 {
		att = append(att, "Not recorded.")
	}

	mark := portion(e.Marking) + " "
	paras := []para{
		{"Date, time and place", when},
		{"Type of exchange", kind},
		{"Attendees", strings.Join(att, "\n")},
		{"Summary", orNone(e.Summary)},
		{"Outcome", orNone(e.Outcome)},
	}
	if e.IsRFI() {
		rfi := "Question: " + orNone(e.RFIQuestion)
		if due := localTime(e.RFIDue, m.loc); !due.IsZero() {
			rfi += "\nLatest time of value: " + due.Format("2 January 2006, 15:04")
		}
		rfi += "\nStatus: " + string(e.RFIStatus)
		if e.RFIResponse != "" {
			rfi += "\nResponse: " + e.RFIResponse
		}
		paras = append(paras, para{"Request for information", rfi})
	}
	for i, pa := range paras {
		p.ensure(14)
		p.font("B", 10)
		p.ink(inkColour)
		label := fmt.Sprintf("%d.  %s%s.", i+1, mark, pa.heading)
		pdf.MultiCell(width, 5.2, label, "", "L", false)
		p.font("", 10)
		pdf.SetX(memoMargin + 6)
		pdf.MultiCell(width-6, 5.2, pa.body, "", "L", false)
		pdf.Ln(2.5)
	}

	n := len(paras) + 1
	p.ensure(20)
	p.font("B", 10)
	pdf.MultiCell(width, 5.2, fmt.Sprintf("%d.  %sFollow-up actions.", n, mark), "", "L", false)
	pdf.Ln(1)
	if len(m.actions) == 0 {
		p.font("", 10)
		pdf.SetX(memoMargin + 6)
		pdf.MultiCell(width-6, 5.2, "None.", "", "L", false)
	} else {
		rows := make([]row, len(m.actions))
		for i, a := range m.actions {
			rows[i] = row{cells: []any{a.Title, a.Owner, a.DueOn, humanise(a.Status)}}
		}
		sec := &section{rows: slice(rows), columns: []column{{key: "title", title: "Action", width: 5, wrap: true},
			{key: "owner", title: "Owner", width: 2.2, wrap: true}, {key: "due_on", title: "Due", typ: dateCol, width: 1.4},
			{key: "status", title: "Status", width: 1.3}}}
		if err := p.table(ctx, sec, memoMargin+6, width-6); err != nil {
			return err
		}
	}
	pdf.Ln(2)
	p.ensure(14)
	p.font("B", 10)
	pdf.SetX(memoMargin)
	pdf.MultiCell(width, 5.2, fmt.Sprintf("%d.  %sRecord.", n+1, mark), "", "L", false)
	p.font("", 9)
	p.ink(greyColour)
	rec := fmt.Sprintf("Exchange %s, %s", e.ID, e.State)
	if e.State == data.StateFinal {
		rec += " (locked; corrections are amendments)"
	}
	if len(e.Tags) > 0 {
		rec += ". Tags: " + strings.Join(e.Tags, ", ")
	}
	if e.Caveats != "" {
		rec += ". Caveats: " + e.Caveats
	}
	pdf.SetX(memoMargin + 6)
	pdf.MultiCell(width-6, 4.6, rec+".", "", "L", false)

	// Signature block.
	p.ensure(30)
	pdf.Ln(12)
	dev, rank := p.d.officer, ""
	if i := strings.LastIndex(dev, " ("); i > 0 {
		dev, rank = dev[:i], strings.TrimSuffix(dev[i+2:], ")")
	}
	x := memoMargin + width*0.55
	p.ink(inkColour)
	p.font("B", 10)
	pdf.SetX(x)
	pdf.CellFormat(width*0.45, 5, strings.ToUpper(dev), "", 1, "L", false, 0, "")
	p.font("", 10)
	for _, l := range []string{rank, "Liaison Officer, " + orNone(m.posting.Name)} {
		if l == "" {
			continue
		}
		pdf.SetX(x)
		pdf.CellFormat(width*0.45, 5, l, "", 1, "L", false, 0, "")
	}
	return nil
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "None recorded."
	}
	return s
}
