package report

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"liaisondesk/data"
)

// Noto Sans (SIL Open Font License, fonts/OFL.txt): names with accents
// and typographic dashes print as typed. (It has no arrows.)
var (
	//go:embed fonts/NotoSans-Regular.ttf
	fontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	fontBold []byte
)

const (
	fontName   = "noto"
	margin     = 12.0 // mm, left and right
	bannerH    = 6.5  // mm, the banner bars
	bannerGap  = 5.0  // mm from the page edge to a banner
	footerH    = 5.0  // mm, the footer line above the bottom banner
	cellPad    = 1.1  // mm inside table cells
	tableFont  = 7.6  // pt
	tableLine  = 3.5  // mm per line of table text
	headerFill = "#2F3B4A"
	zebraFill  = "#F1F4F8"
	ruleColour = "#C9D1DB"
	inkColour  = "#1B2430"
	greyColour = "#5B6675"
	maxLines   = 12 // lines a table cell shows before it is cut
)

var palette = []string{"#1F4E79", "#2E86AB", "#E09F3E", "#9E2A2B", "#3B8B5A", "#6C4F8C", "#8A8F98"}

// pdfw renders a doc with fpdf.
type pdfw struct {
	pdf        *fpdf.Fpdf
	d          *doc
	w, h       float64
	top        float64 // where content starts on a continuation page
	bottom     float64 // where content must end
	tableHead  func()  // redraws the running table's header on a new page
	first      bool
	runningRef string
}

func rgb(hex string) (int, int, int) {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

func (p *pdfw) fill(hex string) { p.pdf.SetFillColor(rgb(hex)) }
func (p *pdfw) ink(hex string)  { p.pdf.SetTextColor(rgb(hex)) }
func (p *pdfw) draw(hex string) { p.pdf.SetDrawColor(rgb(hex)) }

func (p *pdfw) font(style string, size float64) { p.pdf.SetFont(fontName, style, size) }

// writePDF renders the report: the banner at the top and bottom of every
// page in its colour, a title block, page X of Y, and the sections.
func writePDF(ctx context.Context, d *doc, w io.Writer) error {
	orientation := "L"
	if d.memo != nil {
		orientation = "P"
	}
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.AliasNbPages("{nb}")
	pdf.AddUTF8FontFromBytes(fontName, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontName, "B", fontBold)
	pdf.SetTitle(d.title+" — "+d.banner.String(), true)
	pdf.SetSubject(d.banner.String(), true)
	pdf.SetAuthor(d.officer, true)
	pdf.SetCreator("Liaison Desk", true)
	pdf.SetCreationDate(d.generated)
	pdf.SetModificationDate(d.generated)
	p := &pdfw{pdf: pdf, d: d, first: true}
	p.w, p.h = pdf.GetPageSize()
	p.top = bannerGap + bannerH + 11
	p.bottom = p.h - bannerGap - bannerH - footerH - 2
	pdf.SetMargins(margin, p.top, margin)
	pdf.SetAutoPageBreak(true, p.h-p.bottom)
	pdf.SetCellMargin(cellPad)
	pdf.SetHeaderFunc(p.header)
	pdf.SetFooterFunc(p.footer)
	pdf.AddPage()
	p.titleBlock()
	if d.memo != nil {
		if err := p.memorandum(ctx, d.memo); err != nil {
			return err
		}
	} else {
		for _, sec := range d.sections {
			if err := p.section(ctx, sec); err != nil {
				return err
			}
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func (p *pdfw) bannerBar(y float64) {
	b := p.d.banner
	p.fill(b.Classification.Colour)
	p.pdf.Rect(margin, y, p.w-2*margin, bannerH, "F")
	p.font("B", 10)
	p.ink("#FFFFFF")
	p.pdf.SetXY(margin, y)
	p.pdf.CellFormat(p.w-2*margin, bannerH, b.String(), "", 0, "C", false, 0, "")
}

func (p *pdfw) header() {
	p.bannerBar(bannerGap)
	if p.first {
		p.first = false
		p.pdf.SetY(bannerGap + bannerH + 5)
		return
	}
	// A running head on continuation pages.
	p.font("B", 8)
	p.ink(greyColour)
	p.pdf.SetXY(margin, bannerGap+bannerH+2.5)
	head := p.d.title
	if p.d.memo == nil {
		head += " · " + p.d.subtitle
		if p.d.period != "" {
			head += " · " + p.d.period
		}
	}
	p.pdf.CellFormat(p.w-2*margin, 4, head, "", 0, "L", false, 0, "")
	p.draw(ruleColour)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Line(margin, bannerGap+bannerH+7.5, p.w-margin, bannerGap+bannerH+7.5)
	p.pdf.SetY(p.top)
	if p.tableHead != nil {
		p.tableHead()
	}
}

func (p *pdfw) footer() {
	y := p.h - bannerGap - bannerH - footerH
	p.draw(ruleColour)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Line(margin, y, p.w-margin, y)
	p.font("", 7)
	p.ink(greyColour)
	left := "Generated " + p.d.generated.UTC().Format("2 Jan 2006 15:04 UTC")
	if p.d.officer != "" {
		left += " by " + p.d.officer
	}
	if p.d.device != "" {
		left += " · device " + p.d.device
	}
	left += " · Liaison Desk"
	p.pdf.SetXY(margin, y+0.6)
	p.pdf.CellFormat(p.w-2*margin-30, 4, left, "", 0, "L", false, 0, "")
	p.font("B", 7.5)
	p.ink(inkColour)
	p.pdf.SetXY(p.w-margin-40, y+0.6)
	p.pdf.CellFormat(40, 4, fmt.Sprintf("Page %d of {nb}", p.pdf.PageNo()), "", 0, "R", false, 0, "")
	p.bannerBar(p.h - bannerGap - bannerH)
}

// titleBlock is the first page's head: title, posting, period, who
// generated it and when, and what the ceiling left out.
func (p *pdfw) titleBlock() {
	d := p.d
	pdf := p.pdf
	width := p.w - 2*margin
	if d.memo != nil {
		return // a memorandum has its own heading
	}
	p.ink(inkColour)
	p.font("B", 19)
	pdf.SetX(margin)
	pdf.CellFormat(width, 9, d.title, "", 1, "L", false, 0, "")
	p.font("", 11)
	p.ink(greyColour)
	line := d.subtitle
	if d.period != "" {
		line += "   ·   " + d.period
	}
	pdf.CellFormat(width, 6, line, "", 1, "L", false, 0, "")
	p.font("", 8)
	meta := "Generated " + d.generated.UTC().Format("Monday 2 January 2006, 15:04 UTC")
	if d.officer != "" {
		meta += "  ·  " + d.officer
	}
	if d.device != "" {
		meta += "  ·  device " + d.device
	}
	pdf.CellFormat(width, 5, meta, "", 1, "L", false, 0, "")
	if c := d.ceilingLine(); c != "" {
		pdf.Ln(1)
		p.fill("#FFF4D6")
		p.draw("#E0B94A")
		p.font("B", 8.5)
		p.ink("#5A4300")
		pdf.CellFormat(width, 6.5, c+".", "1", 1, "L", true, 0, "")
	}
	y := pdf.GetY() + 2
	p.draw(d.banner.Classification.Colour)
	pdf.SetLineWidth(0.6)
	pdf.Line(margin, y, p.w-margin, y)
	pdf.SetLineWidth(0.2)
	pdf.SetY(y + 3)
}

// ensure starts a new page unless h mm still fit on this one.
func (p *pdfw) ensure(h float64) {
	if p.pdf.GetY()+h > p.bottom {
		p.pdf.AddPage()
	}
}

// heading writes a section's title and note, on a new page unless they
// and the first need mm of what follows fit on this one.
func (p *pdfw) heading(sec *section, need float64) {
	pdf := p.pdf
	if sec.leftOut > 0 && sec.count > 0 { // an empty table says it in its place
		sec.note = strings.TrimSpace(sec.note + fmt.Sprintf(" %d left out: %s.", sec.leftOut, p.d.ceiling.why()))
	}
	h := 2 + 7 + 1.0
	if sec.note != "" {
		p.font("", 8)
		h += 4 * float64(len(pdf.SplitText(sec.note, p.w-2*margin)))
	}
	p.ensure(h + need)
	pdf.Ln(2)
	p.font("B", 12)
	p.ink(inkColour)
	pdf.SetX(margin)
	title := sec.title
	if sec.rows != nil && sec.count > 0 && sec.chart == nil {
		title += fmt.Sprintf("  (%d)", sec.count)
	}
	pdf.CellFormat(p.w-2*margin, 7, title, "", 1, "L", false, 0, "")
	if sec.note != "" {
		p.font("", 8)
		p.ink(greyColour)
		pdf.MultiCell(p.w-2*margin, 4, sec.note, "", "L", false)
	}
	pdf.Ln(1)
}

func (p *pdfw) section(ctx context.Context, sec *section) error {
	var need float64
	switch {
	case len(sec.fields) > 0:
		need = 20
	case sec.chart != nil && sec.count > 0:
		need = p.chartHeight(sec)
	case sec.rows != nil:
		// The table's header and its first row.
		var err error
		if need, err = p.tableStart(ctx, sec, p.w-2*margin); err != nil {
			return err
		}
	}
	p.heading(sec, need)
	switch {
	case len(sec.fields) > 0:
		p.figures(sec.fields)
	case sec.chart != nil:
		return p.chartSection(ctx, sec)
	case sec.rows != nil:
		return p.table(ctx, sec, margin, p.w-2*margin)
	}
	return nil
}

// figures draws short values as tiles and long ones as labelled lines.
func (p *pdfw) figures(fs []field) {
	pdf := p.pdf
	width := p.w - 2*margin
	n := len(fs)
	per := min(n, 6)
	tileW := (width - float64(per-1)*3) / float64(per)
	tileH := 17.0
	p.ensure(tileH*math.Ceil(float64(n)/float64(per)) + 4)
	y := pdf.GetY()
	for i, f := range fs {
		col, rowN := i%per, i/per
		x := margin + float64(col)*(tileW+3)
		ty := y + float64(rowN)*(tileH+3)
		p.fill("#F4F6F9")
		p.draw(ruleColour)
		pdf.Rect(x, ty, tileW, tileH, "FD")
		p.fill(p.d.banner.Classification.Colour)
		pdf.Rect(x, ty, 1.2, tileH, "F")
		value, extra := f.value, ""
		if i := strings.Index(value, " ("); i > 0 {
			value, extra = value[:i], strings.Trim(value[i+1:], "()")
		}
		if i := strings.Index(value, ": "); i > 0 {
			value, extra = value[:i], value[i+2:]
		}
		p.font("B", 15)
		p.ink(inkColour)
		pdf.SetXY(x+3, ty+1.5)
		pdf.CellFormat(tileW-4, 7, value, "", 0, "L", false, 0, "")
		p.font("", 7.5)
		p.ink(greyColour)
		pdf.SetXY(x+3, ty+8.6)
		pdf.CellFormat(tileW-4, 3.6, fit(pdf, f.label, tileW-6), "", 0, "L", false, 0, "")
		if extra != "" {
			pdf.SetXY(x+3, ty+12.2)
			pdf.CellFormat(tileW-4, 3.6, fit(pdf, extra, tileW-6), "", 0, "L", false, 0, "")
		}
	}
	rows := math.Ceil(float64(n) / float64(per))
	pdf.SetY(y + rows*(tileH+3) + 1)
}

// fit cuts text to a width with an ellipsis.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if pdf.GetStringWidth(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// wrap breaks text into lines no wider than w mm in the current font, at
// spaces and line breaks. Only a word wider than w on its own is split,
// after its last - or / that fits, else where the line is full.
func wrap(pdf *fpdf.Fpdf, s string, w float64) []string {
	var lines []string
	space := pdf.GetStringWidth(" ")
	for _, para := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		line, lineW, start := "", 0.0, len(lines)
		for _, word := range strings.Fields(para) {
			wordW := pdf.GetStringWidth(word)
			if line != "" {
				if lineW+space+wordW <= w {
					line, lineW = line+" "+word, lineW+space+wordW
					continue
				}
				lines = append(lines, line)
			}
			for wordW > w {
				head, rest := splitWord(pdf, word, w)
				lines = append(lines, head)
				word, wordW = rest, pdf.GetStringWidth(rest)
			}
			line, lineW = word, wordW
		}
		if line != "" || len(lines) == start {
			lines = append(lines, line)
		}
	}
	return lines
}

// splitWord cuts the head off a word too wide for w: up to its last - or
// / that fits, else as much as fits (at least one character).
func splitWord(pdf *fpdf.Fpdf, word string, w float64) (head, rest string) {
	r := []rune(word)
	n := 1
	for n < len(r) && pdf.GetStringWidth(string(r[:n+1])) <= w {
		n++
	}
	for i := n - 1; i > 0; i-- {
		if r[i-1] == '-' || r[i-1] == '/' {
			if r[i] != '-' && r[i] != '/' {
				n = i
				break
			}
		}
	}
	return string(r[:n]), string(r[n:])
}

// cellText is a cell as a PDF shows it.
func cellText(c column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if c.typ == dateCol && len(x) == 10 {
			if t, err := time.Parse(data.DateLayout, x); err == nil {
				return t.Format("2 Jan 2006")
			}
		}
		if c.typ == timeCol {
			if t, ok := asTime(x); ok {
				return t.Format("2 Jan 2006 15:04")
			}
		}
		return x
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if c.typ == dateCol {
			return x.Format("2 Jan 2006")
		}
		return x.Format("2 Jan 2006 15:04")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return plainText(c, v)
}

// tableLayout is where a table's columns go and its header's lines.
type tableLayout struct {
	cols  []column
	ws    []float64 // column widths, mm
	heads [][]string
	headH float64
}

func (p *pdfw) layout(cols []column, width float64) *tableLayout {
	t := &tableLayout{cols: cols, ws: make([]float64, len(cols)), heads: make([][]string, len(cols))}
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	p.font("B", tableFont)
	headLines := 1
	for i, c := range cols {
		t.ws[i] = width * c.width / total
		t.heads[i] = wrap(p.pdf, c.title, t.ws[i]-2*cellPad)
		headLines = max(headLines, len(t.heads[i]))
	}
	t.headH = float64(headLines)*tableLine + 2*cellPad
	return t
}

// cells lays out a row's cells into lines (into lines, one slice per
// column) and returns the row's height.
func (p *pdfw) cells(t *tableLayout, r row, lines [][]string) float64 {
	pdf := p.pdf
	nl := 1
	for i, c := range t.cols {
		text := cellText(c, r.value(i))
		// Measured in the font it is drawn in: markings and overdue
		// clocks are bold.
		if c.key == "marking" || strings.HasPrefix(text, "OVERDUE") {
			p.font("B", tableFont)
		} else {
			p.font("", tableFont)
		}
		switch {
		case text == "":
			lines[i] = nil
		case c.wrap:
			ls := wrap(pdf, text, t.ws[i]-2*cellPad)
			if len(ls) > maxLines {
				ls = append(ls[:maxLines-1:maxLines-1], fit(pdf, ls[maxLines-1]+"…", t.ws[i]-2*cellPad))
			}
			lines[i] = ls
		case c.typ == dateCol && pdf.GetStringWidth(text) > t.ws[i]-2*cellPad:
			lines[i] = []string{shortDate(r.value(i), text)}
		default:
			lines[i] = []string{fit(pdf, strings.ReplaceAll(text, "\n", " "), t.ws[i]-2*cellPad)}
		}
		nl = max(nl, len(lines[i]))
	}
	return float64(nl)*tableLine + 2*cellPad
}

// errFirstRow stops reading a table after its first row.
var errFirstRow = errors.New("first row read")

// tableStart is the height of a table's header and first row (or of the
// line saying it is empty): what must fit under its section's heading.
func (p *pdfw) tableStart(ctx context.Context, sec *section, width float64) (float64, error) {
	t := p.layout(sec.columns, width)
	h := 7.0
	err := sec.rows(ctx, func(r row) error {
		h = p.cells(t, r, make([][]string, len(t.cols)))
		return errFirstRow
	})
	if err != nil && !errors.Is(err, errFirstRow) {
		return 0, err
	}
	return t.headH + h, nil
}

// table draws a section's rows: a dark header repeated on every page the
// table runs onto and never left without its first row, zebra rows,
// wrapped text, numbers to the right.
func (p *pdfw) table(ctx context.Context, sec *section, x, width float64) error {
	pdf := p.pdf
	t := p.layout(sec.columns, width)
	cols, ws, headH := t.cols, t.ws, t.headH
	drawHead := func() {
		y := pdf.GetY()
		p.fill(headerFill)
		pdf.Rect(x, y, width, headH, "F")
		p.font("B", tableFont)
		p.ink("#FFFFFF")
		cx := x
		for i, c := range cols {
			align := "L"
			if c.typ == numCol {
				align = "R"
			}
			for li, l := range t.heads[i] {
				pdf.SetXY(cx, y+cellPad+float64(li)*tableLine)
				pdf.CellFormat(ws[i], tableLine, l, "", 0, align, false, 0, "")
			}
			cx += ws[i]
		}
		pdf.SetY(y + headH)
	}
	defer func() { p.tableHead = nil }()
	n := 0
	lines := make([][]string, len(cols))
	err := p.d.each(ctx, sec, func(r row) error {
		h := p.cells(t, r, lines)
		if n == 0 {
			// The header goes on the page its first row goes on.
			p.ensure(headH + h)
			drawHead()
			p.tableHead = drawHead
		} else if pdf.GetY()+h > p.bottom {
			pdf.AddPage()
		}
		y := pdf.GetY()
		if n%2 == 1 {
			p.fill(zebraFill)
			pdf.Rect(x, y, width, h, "F")
		}
		p.font("", tableFont)
		p.ink(inkColour)
		cx := x
		for i, c := range cols {
			align := "L"
			if c.typ == numCol {
				align = "R"
			}
			if c.key == "marking" && len(lines[i]) > 0 {
				p.font("B", tableFont)
				p.ink(p.levelColour(lines[i][0]))
			}
			if strings.HasPrefix(lines0(lines[i]), "OVERDUE") {
				p.font("B", tableFont)
				p.ink("#B3261E")
			}
			for li, l := range lines[i] {
				pdf.SetXY(cx, y+cellPad+float64(li)*tableLine)
				pdf.CellFormat(ws[i], tableLine, l, "", 0, align, false, 0, "")
			}
			p.font("", tableFont)
			p.ink(inkColour)
			cx += ws[i]
		}
		p.draw(ruleColour)
		pdf.SetLineWidth(0.1)
		pdf.Line(x, y+h, x+width, y+h)
		pdf.SetY(y + h)
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		p.ensure(headH + 7)
		drawHead()
		p.font("", 8.5)
		p.ink(greyColour)
		pdf.SetX(x)
		empty := sec.empty
		switch {
		case sec.leftOut == 1:
			empty = "The only record was left out: " + p.d.ceiling.why() + "."
		case sec.leftOut > 1:
			empty = fmt.Sprintf("All %d were left out: %s.", sec.leftOut, p.d.ceiling.why())
		case empty == "":
			empty = "None."
		}
		pdf.CellFormat(width, 7, empty, "", 1, "L", false, 0, "")
	}
	pdf.SetX(margin)
	pdf.Ln(3)
	return nil
}

// levelColour is the banner colour of the classification a marking text
// starts with.
func (p *pdfw) levelColour(text string) string {
	level, _, _ := strings.Cut(text, "//")
	for _, l := range p.d.levels {
		if l.ID == level {
			return l.Colour
		}
	}
	return inkColour
}

// shortDate writes a date as 26 Dec 26 where a column is too narrow for
// the year in full.
func shortDate(v any, full string) string {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(data.DateLayout, s); err == nil {
			return t.Format("2 Jan 06")
		}
	}
	if t, ok := v.(time.Time); ok && !t.IsZero() {
		return t.Format("2 Jan 06")
	}
	return full
}

func lines0(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return ls[0]
}

// chartSection draws a chart beside its table when the table is small,
// above it otherwise.
func (p *pdfw) chartSection(ctx context.Context, sec *section) error {
	pdf := p.pdf
	width := p.w - 2*margin
	if sec.count == 0 {
		return p.table(ctx, sec, margin, width)
	}
	c := sec.chart
	if p.chartBeside(sec) {
		tableW := width * 0.42
		chartH := p.chartHeight(sec)
		p.ensure(chartH)
		y := pdf.GetY()
		p.chart(c, margin+tableW+8, y, width-tableW-8, chartH)
		pdf.SetY(y)
		if err := p.table(ctx, sec, margin, tableW); err != nil {
			return err
		}
		pdf.SetY(max(pdf.GetY(), y+chartH+4))
		return nil
	}
	chartH := p.chartHeight(sec)
	p.ensure(chartH)
	y := pdf.GetY()
	p.chart(c, margin, y, width, 62)
	pdf.SetY(y + 62 + 4)
	return p.table(ctx, sec, margin, width)
}

// chartBeside: a small table goes beside its chart.
func (p *pdfw) chartBeside(sec *section) bool { return len(sec.columns) <= 3 && sec.count <= 18 }

// chartHeight is the room a chart section needs before its rows run on:
// beside a small table the taller of the two, above a table the chart
// and the table's first rows.
func (p *pdfw) chartHeight(sec *section) float64 {
	if p.chartBeside(sec) {
		rowsH := float64(sec.count+1)*(tableLine+2*cellPad) + 2
		return max(rowsH, 40, float64(min(len(sec.chart.labels), maxBars))*6+10)
	}
	return 62 + 4 + 3*(tableLine+2*cellPad)
}

// chart draws horizontal bars (categories) or stacked columns (weeks)
// with fpdf's own lines and rectangles, so the chart stays sharp.
func (p *pdfw) chart(c *chart, x, y, w, h float64) {
	pdf := p.pdf
	maxV := 0.0
	for _, vs := range c.values {
		sum := 0.0
		for _, v := range vs {
			sum += v
		}
		maxV = max(maxV, sum)
	}
	if maxV == 0 {
		maxV = 1
	}
	step := niceStep(maxV)
	top := math.Ceil(maxV/step) * step
	p.draw(ruleColour)
	pdf.SetLineWidth(0.15)
	p.font("", 7)
	if !c.columns {
		labelW := min(w*0.38, 55)
		barX := x + labelW + 2
		barW := w - labelW - 12
		n := len(c.labels)
		bh := min(6.0, (h-8)/float64(max(n, 1)))
		for t := 0.0; t <= top+1e-9; t += step {
			gx := barX + barW*t/top
			pdf.Line(gx, y, gx, y+bh*float64(n)+1)
			p.ink(greyColour)
			pdf.SetXY(gx-8, y+bh*float64(n)+1.5)
			pdf.CellFormat(16, 3, trimFloat(t), "", 0, "C", false, 0, "")
		}
		for i, l := range c.labels {
			by := y + float64(i)*bh
			p.ink(inkColour)
			pdf.SetXY(x, by)
			pdf.CellFormat(labelW, bh, fit(pdf, l, labelW-2*cellPad), "", 0, "R", false, 0, "")
			v := c.values[i][0]
			p.fill(palette[0])
			pdf.Rect(barX, by+bh*0.18, barW*v/top, bh*0.64, "F")
			pdf.SetXY(barX+barW*v/top+0.5, by)
			pdf.CellFormat(10, bh, trimFloat(v), "", 0, "L", false, 0, "")
		}
		return
	}
	// Stacked columns with a legend on top.
	legendH := 6.0
	if len(c.series) > 1 {
		lx := x
		for si, s := range c.series {
			p.fill(palette[si%len(palette)])
			pdf.Rect(lx, y+1, 3, 3, "F")
			p.ink(inkColour)
			pdf.SetXY(lx+3.5, y+0.5)
			sw := pdf.GetStringWidth(upperFirst(s)) + 4
			pdf.CellFormat(sw, 4, upperFirst(s), "", 0, "L", false, 0, "")
			lx += sw + 5
		}
	}
	axisX := x + 8
	plotY, plotH := y+legendH+2, h-legendH-10
	plotW := w - 10
	for t := 0.0; t <= top+1e-9; t += step {
		gy := plotY + plotH - plotH*t/top
		pdf.Line(axisX, gy, axisX+plotW, gy)
		p.ink(greyColour)
		pdf.SetXY(x, gy-1.5)
		pdf.CellFormat(7, 3, trimFloat(t), "", 0, "R", false, 0, "")
	}
	n := len(c.labels)
	slot := plotW / float64(max(n, 1))
	bw := min(slot*0.62, 18)
	for i, l := range c.labels {
		bx := axisX + float64(i)*slot + (slot-bw)/2
		base := plotY + plotH
		for si, v := range c.values[i] {
			if v == 0 {
				continue
			}
			bh := plotH * v / top
			p.fill(palette[si%len(palette)])
			pdf.Rect(bx, base-bh, bw, bh, "F")
			base -= bh
		}
		p.ink(greyColour)
		pdf.SetXY(axisX+float64(i)*slot, plotY+plotH+1)
		pdf.CellFormat(slot, 3.5, l, "", 0, "C", false, 0, "")
	}
}

func niceStep(maxV float64) float64 {
	raw := maxV / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return math.Max(1, m*mag)
		}
	}
	return math.Max(1, 10*mag)
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
