package store

import (
	"context"
	"strings"

	"liaisondesk/data"
)

// documentWhere selects documents received in a period (inclusive
// dates); documents still held are listed whatever their date, as a
// security officer's muster needs them all.
func documentWhere(q data.DocumentQuery) (string, []any, error) {
	if _, _, err := dayBounds(q.From, q.To); err != nil {
		return "", nil, err
	}
	var period []string
	var args []any
	if q.From != "" {
		period, args = append(period, "d.received_on >= ?"), append(args, q.From)
	}
	if q.To != "" {
		period, args = append(period, "d.received_on <= ?"), append(args, q.To)
	}
	if len(period) == 0 {
		return "", nil, nil
	}
	return " WHERE ((" + strings.Join(period, " AND ") + ") OR d.disposition = 'held')", args, nil
}

// ReportDocuments streams the register of documents received, oldest
// first, each at the highest level of itself and its attachments, with the
// date of the exchange where it was received (never its title, which may
// be marked higher than the document).
func (s *Store) ReportDocuments(ctx context.Context, q data.DocumentQuery, fn func(*data.ReportDocument) error) error {
	where, args, err := documentWhere(q)
	if err != nil {
		return data.Op("report", "documents", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT d.id, d.title, d.received_on, `+withAttachments("d")+`, d.releasability, d.caveats,
		d.category, d.disclosure, d.originator, d.release_ref, d.control_number, d.hq_route, d.disposition, d.disposition_on,
		d.exchange_id, d.notes, coalesce(substr(e.occurred_at, 1, 10), ''),
		(SELECT count(*) FROM attachments a WHERE a.record_id = d.id)
		FROM documents d LEFT JOIN exchanges e ON d.exchange_id <> '' AND e.id = d.exchange_id`+where+` ORDER BY d.received_on, d.n`, args...)
	if err != nil {
		return data.Op("report", "documents", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d data.ReportDocument
		var rel string
		if err := rows.Scan(&d.ID, &d.Title, &d.ReceivedOn, &d.Classification, &rel, &d.Caveats, &d.Category, &d.Disclosure,
			&d.Originator, &d.ReleaseRef, &d.ControlNumber, &d.HQRoute, &d.Disposition, &d.DispositionOn, &d.ExchangeID, &d.Notes,
			&d.ExchangeOn, &d.Files); err != nil {
			return data.Op("report", "documents", err)
		}
		d.Releasability = parseList(rel)
		if err := fn(&d); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return data.Op("report", "documents", err)
	}
	return nil
}
