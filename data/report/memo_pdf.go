package report

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	width := p.w - 2*memoMargin
	p.pdf.SetLeftMargin(memoMargin)
	p.pdf.SetRightMargin(memoMargin)
	start := localTime(m.e.OccurredAt, m.loc)
	p.memoHeading(m, start, width)

	mark := portion(m.e.Marking) + " "
	paras := memoParagraphs(m, start)
	for i, pa := range paras {
		p.memoParagraph(i+1, mark, pa, width)
	}
	n := len(paras) + 1
	if err := p.memoActions(ctx, m, n, mark, width); err != nil {
		return err
	}
	if len(m.attachments) > 0 {
		n++
		p.memoAttachments(m, n, mark, width)
	}
	p.memoRecord(m.e, n+1, mark, width)
	p.memoSignature(m, width)
	return nil
}

// memoHeading writes the office and date line, the title and the subject
// with its marking, over a rule in the classification's colour.
func (p *pdfw) memoHeading(m *memo, start time.Time, width float64) {
	pdf := p.pdf
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
	pdf.MultiCell(width, 5.5, "SUBJECT: "+portion(m.e.Marking)+" "+m.e.Title, "", "L", false)
	pdf.Ln(1)
	p.draw(p.d.banner.Classification.Colour)
	pdf.SetLineWidth(0.5)
	pdf.Line(memoMargin, pdf.GetY(), p.w-memoMargin, pdf.GetY())
	pdf.SetLineWidth(0.2)
	pdf.Ln(4)
}

// memoParagraphs are the numbered paragraphs before the actions: when
// and where, what kind, who, summary, outcome, and an RFI's question and
// answer.
func memoParagraphs(m *memo, start time.Time) []para {
	e := m.e
	paras := []para{
		{"Date, time and place", memoWhen(e, m.loc, start) + memoHome(start, m)},
		{"Type of exchange", memoKind(e)},
		{"Attendees", strings.Join(memoAttendees(m), "\n")},
		{"Summary", orNone(e.Summary)},
		{"Outcome", orNone(e.Outcome)},
	}
	if e.IsRFI() {
		rfi := "Question: " + orNone(e.RFIQuestion)
		if due := localTime(e.RFIDue, m.loc); !due.IsZero() {
			rfi += "\nLatest time of value: " + due.Format("2 January 2006, 15:04") + " (" + data.BothTimes(due, m.loc, m.homeZone()) + ")"
		}
		rfi += "\nStatus: " + string(e.RFIStatus)
		if e.RFIResponse != "" {
			rfi += "\nResponse: " + e.RFIResponse
		}
		paras = append(paras, para{"Request for information", rfi})
	}
	return append(paras, memoDDL(e)...)
}

// memoWhen is the exchange's time in its zone, with its end, the UTC time
// and the place.
func memoWhen(e *data.Exchange, loc *time.Location, start time.Time) string {
	when := start.Format("Monday 2 January 2006, 15:04")
	if end := localTime(e.EndedAt, loc); !end.IsZero() {
		if end.Format(data.DateLayout) == start.Format(data.DateLayout) {
			when += "–" + end.Format("15:04")
		} else {
			when += " to " + end.Format("2 January 2006, 15:04")
		}
	}
	when += " (" + loc.String() + "; " + start.UTC().Format("15:04") + " UTC)"
	if e.Location != "" {
		when += ", " + e.Location
	}
	return when
}

// memoHome is the start as headquarters reads it: "At 14:00 Bahrain ·
// 16:30 New Delhi." on its own line, unless the posting keeps home time.
func memoHome(start time.Time, m *memo) string {
	if data.ZoneCity(m.loc) == data.ZoneCity(m.homeZone()) || start.IsZero() {
		return ""
	}
	return "\nAt " + data.BothTimes(start, m.loc, m.homeZone()) + "."
}

func (m *memo) homeZone() *time.Location {
	if m.home == nil {
		return time.UTC
	}
	return m.home
}

// memoKind is the kind of exchange with its direction and disclosure.
func memoKind(e *data.Exchange) string {
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
	return kind
}

// memoAttendees lists the counterparts with their roles, those not in
// this register, and the own side.
func memoAttendees(m *memo) []string {
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
	if m.e.Participants != "" {
		att = append(att, "Own side: "+m.e.Participants)
	}
	if len(att) == 0 {
		att = append(att, "Not recorded.")
	}
	return att
}

// memoParagraph writes paragraph n: its marked heading, then its body
// indented.
func (p *pdfw) memoParagraph(n int, mark string, pa para, width float64) {
	pdf := p.pdf
	p.ensure(14)
	p.font("B", 10)
	p.ink(inkColour)
	label := fmt.Sprintf("%d.  %s%s.", n, mark, pa.heading)
	pdf.MultiCell(width, 5.2, label, "", "L", false)
	p.font("", 10)
	pdf.SetX(memoMargin + 6)
	pdf.MultiCell(width-6, 5.2, pa.body, "", "L", false)
	pdf.Ln(2.5)
}

// memoActions writes paragraph n, the follow-up actions as a table.
func (p *pdfw) memoActions(ctx context.Context, m *memo, n int, mark string, width float64) error {
	pdf := p.pdf
	p.ensure(20)
	p.font("B", 10)
	pdf.MultiCell(width, 5.2, fmt.Sprintf("%d.  %sFollow-up actions.", n, mark), "", "L", false)
	pdf.Ln(1)
	if len(m.actions) == 0 {
		p.font("", 10)
		pdf.SetX(memoMargin + 6)
		pdf.MultiCell(width-6, 5.2, "None.", "", "L", false)
		return nil
	}
	rows := make([]row, len(m.actions))
	for i, a := range m.actions {
		rows[i] = row{cells: []any{a.Title, a.Owner, a.DueOn, humanise(a.Status)}}
	}
	sec := &section{rows: slice(rows), columns: []column{{key: "title", title: "Action", width: 5, wrap: true},
		{key: "owner", title: "Owner", width: 2.2, wrap: true}, {key: "due_on", title: "Due", typ: dateCol, width: 1.4},
		{key: "status", title: "Status", width: 1.3}}}
	return p.table(ctx, sec, memoMargin+6, width-6)
}

// memoRecord writes paragraph n, about the record itself: id, state, tags
// and caveats.
func (p *pdfw) memoRecord(e *data.Exchange, n int, mark string, width float64) {
	pdf := p.pdf
	pdf.Ln(2)
	p.ensure(14)
	p.font("B", 10)
	pdf.SetX(memoMargin)
	pdf.MultiCell(width, 5.2, fmt.Sprintf("%d.  %sRecord.", n, mark), "", "L", false)
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
}

// memoSignature writes the officer's signature block: name, rank and
// appointment.
func (p *pdfw) memoSignature(m *memo, width float64) {
	pdf := p.pdf
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
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "None recorded."
	}
	return s
}
