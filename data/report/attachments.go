package report

import (
	"context"
	"encoding/json"
	"fmt"

	"liaisondesk/data"
)

// memoAttachments reads an exchange's attachments for its memorandum.
// Their names go into the memorandum, so each one's marking counts in the
// banner, and one above the ceiling refuses the memorandum as the
// exchange itself would.
func (b *builder) memoAttachments(ctx context.Context, e *data.Exchange) ([]data.Attachment, error) {
	list, err := b.s.Attachments(ctx, data.KindExchange, e.ID)
	if err != nil {
		return nil, fmt.Errorf("memorandum: %w", err)
	}
	for _, a := range list {
		m := attachmentMarking(e.Marking, a)
		if !b.t.c.allows(m) {
			return nil, &data.FieldError{Field: "ceiling", Problem: fmt.Sprintf("exchange %s has an attachment marked %s, above the ceiling %s: nothing written",
				e.ID, a.Classification, b.t.c.text())}
		}
		b.t.note(m)
	}
	return list, nil
}

// attachmentMarking is an attachment's marking as a document carries it:
// its own level, with its record's releasability and caveats.
func attachmentMarking(record data.Marking, a data.Attachment) data.Marking {
	return data.Marking{Classification: a.Classification, Releasability: record.Releasability, Caveats: record.Caveats}
}

// memoAttachments lists the attachments as a numbered paragraph: name,
// size, the start of the hash, marking.
func (p *pdfw) memoAttachments(m *memo, n int, mark string, width float64) {
	pdf := p.pdf
	pdf.Ln(2)
	p.ensure(14)
	p.font("B", 10)
	pdf.SetX(memoMargin)
	pdf.MultiCell(width, 5.2, fmt.Sprintf("%d.  %sAttachments.", n, mark), "", "L", false)
	p.font("", 9)
	for i, a := range m.attachments {
		p.ensure(6)
		pdf.SetX(memoMargin + 6)
		pdf.MultiCell(width-6, 4.6, fmt.Sprintf("%c.  (%s) %s, %s, SHA-256 %s…", 'a'+rune(i%26), a.Classification, a.Name,
			data.FormatSize(a.Size), a.SHA256[:data.MinHashPrefix]), "", "L", false)
	}
}

// withFiles is a record as a JSON export writes it: with its attachments'
// metadata when it has any (a record without keeps its plain form).
func withFiles(rec any, files []data.Attachment) any {
	if len(files) == 0 {
		return rec
	}
	meta := make([]data.AttachmentMeta, len(files))
	for i := range files {
		meta[i] = files[i].Meta()
	}
	obj, err := json.Marshal(rec)
	if err != nil || len(obj) < 3 || obj[len(obj)-1] != '}' {
		return rec
	}
	list, err := json.Marshal(meta)
	if err != nil {
		return rec
	}
	out := append(obj[:len(obj)-1:len(obj)-1], `,"attachments":`...)
	return json.RawMessage(append(append(out, list...), '}'))
}
