package demo

// Attached files of the demo (issue 13 §7): a few past exchanges carry
// small generated minutes (PDF) or whiteboard photos (PNG), and some of
// their actions a draft reply, attached through the store's Attach as an
// officer would. Their content is drawn from a rand of its own, so the
// records of a seed stay as they were, and the same seed gives the same
// bytes (and hashes).

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// attachedExchanges is how many past exchanges of a fill carry files,
// whatever its size: enough to show, few enough to keep a fill quick.
const attachedExchanges = 8

// withFiles is an exchange chosen to carry files, with its actions.
type withFiles struct {
	e    *data.Exchange
	acts []*data.Action
}

// chooseForFiles says whether the i-th exchange carries files: about
// attachedExchanges spread over the fill, past ones only (a planned
// exchange has no minutes yet).
func (g *gen) chooseForFiles(i int, e *data.Exchange) bool {
	stride := max(1, g.n/(attachedExchanges+2))
	return i%stride == stride/2 && e.State != data.StatePlanned && e.OccurredAt < rfc(g.now)
}

// attachFiles attaches the generated files, each through a temporary file
// removed afterwards. It returns how many it attached.
func attachFiles(ctx context.Context, s *store.Store, seed int64, chosen []withFiles) (int, error) {
	if len(chosen) > attachedExchanges {
		chosen = chosen[:attachedExchanges]
	}
	if len(chosen) == 0 {
		return 0, nil
	}
	dir, err := os.MkdirTemp("", "liaisondesk-demo-files-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	r := rand.New(rand.NewPCG(uint64(seed), 0xA77AC4))
	n := 0
	attach := func(kind data.Kind, id, name string, content []byte) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			return err
		}
		defer os.Remove(p)
		if _, err := s.Attach(ctx, kind, id, p, store.AttachOptions{}); err != nil {
			return fmt.Errorf("attach %s: %w", name, err)
		}
		n++
		return nil
	}
	for i, c := range chosen {
		e := c.e
		day := e.OccurredAt[:10]
		if i%3 != 1 { // minutes for most, a photo for some, both for every third
			if err := attach(data.KindExchange, e.ID, "minutes-"+day+".pdf", minutesPDF(e)); err != nil {
				return n, err
			}
		}
		if i%3 != 0 {
			if err := attach(data.KindExchange, e.ID, "whiteboard-"+day+".png", whiteboardPNG(r)); err != nil {
				return n, err
			}
		}
		if len(c.acts) > 0 && i%2 == 0 {
			a := c.acts[0]
			if err := attach(data.KindAction, a.ID, "draft-reply.pdf", onePagePDF(e.Marking.Text(), []string{
				"DRAFT REPLY", "", "Action: " + a.Title, "Owner: " + a.Owner, "Due: " + a.DueOn, "", "Draft for comment; not yet sent."})); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// minutesPDF is an exchange's minutes: title, when, where, summary and
// outcome, under its marking.
func minutesPDF(e *data.Exchange) []byte {
	when, _ := time.Parse(time.RFC3339, e.OccurredAt)
	lines := []string{"MINUTES", "", e.Title, when.UTC().Format("2 January 2006, 15:04 UTC") + ", " + e.Location, ""}
	lines = append(lines, wrapWords(e.Summary, 90)...)
	if e.Outcome != "" {
		lines = append(lines, "", "Outcome:")
		lines = append(lines, wrapWords(e.Outcome, 90)...)
	}
	return onePagePDF(e.Marking.Text(), lines)
}

// wrapWords cuts text into lines of at most width characters, at spaces.
func wrapWords(text string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// onePagePDF is a minimal valid PDF: one A4 page of Helvetica lines with
// the marking at its top and bottom. Text outside ASCII prints as '?'.
func onePagePDF(marking string, lines []string) []byte {
	var content bytes.Buffer
	text := func(x, y, size int, s string) {
		fmt.Fprintf(&content, "BT /F1 %d Tf %d %d Td (%s) Tj ET\n", size, x, y, pdfString(s))
	}
	text(250, 810, 11, marking)
	y := 760
	for _, l := range lines {
		if y < 60 {
			break
		}
		text(60, y, 10, l)
		y -= 14
	}
	text(250, 24, 11, marking)
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pdfString escapes text for a PDF literal string.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 32 || r > 126:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// whiteboardPNG is a photo of a whiteboard: a grey frame, boxes joined by
// arrows in marker colours.
func whiteboardPNG(r *rand.Rand) []byte {
	const w, h = 320, 200
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	board := color.RGBA{246, 246, 240, 255}
	frame := color.RGBA{150, 150, 150, 255}
	for y := range h {
		for x := range w {
			c := board
			if x < 6 || y < 6 || x >= w-6 || y >= h-6 {
				c = frame
			}
			img.Set(x, y, c)
		}
	}
	markers := []color.RGBA{{20, 60, 170, 255}, {190, 30, 30, 255}, {20, 120, 50, 255}, {30, 30, 30, 255}}
	line := func(x0, y0, x1, y1 int, c color.RGBA) {
		steps := max(abs(x1-x0), abs(y1-y0), 1)
		for i := 0; i <= steps; i++ {
			x, y := x0+(x1-x0)*i/steps, y0+(y1-y0)*i/steps
			img.Set(x, y, c)
			img.Set(x+1, y, c)
			img.Set(x, y+1, c)
		}
	}
	type box struct{ x, y int }
	var boxes []box
	for i := range 3 + r.IntN(3) {
		b := box{20 + i*55 + r.IntN(15), 25 + r.IntN(120)}
		c := markers[r.IntN(len(markers))]
		line(b.x, b.y, b.x+40, b.y, c)
		line(b.x+40, b.y, b.x+40, b.y+25, c)
		line(b.x+40, b.y+25, b.x, b.y+25, c)
		line(b.x, b.y+25, b.x, b.y, c)
		if len(boxes) > 0 {
			p := boxes[len(boxes)-1]
			line(p.x+40, p.y+12, b.x, b.y+12, markers[0])
		}
		boxes = append(boxes, b)
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		panic(err) // an in-memory RGBA always encodes
	}
	return out.Bytes()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
