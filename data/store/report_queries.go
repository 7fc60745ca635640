package store

// Read queries for reports and exports (data/report). They stream rows in
// report order, scanning columns straight into the domain types (no JSON
// round trip, so a million-row export costs little more than the query),
// and each has a companion that counts the rows per marking, so a report
// can print its banner and the number of records a ceiling leaves out
// before it writes its first row.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"liaisondesk/data"
)

// dayBounds turns inclusive dates into RFC 3339 bounds [from, to+1 day).
func dayBounds(from, to string) (lo, hi string, err error) {
	if from != "" {
		d, err := time.Parse(data.DateLayout, from)
		if err != nil {
			return "", "", data.Invalid("from", "%q is not a date (YYYY-MM-DD)", data.Clip(from))
		}
		lo = d.Format(time.RFC3339)
	}
	if to != "" {
		d, err := time.Parse(data.DateLayout, to)
		if err != nil {
			return "", "", data.Invalid("to", "%q is not a date (YYYY-MM-DD)", data.Clip(to))
		}
		hi = d.AddDate(0, 0, 1).Format(time.RFC3339)
	}
	if from != "" && to != "" && to < from {
		return "", "", data.Invalid("to", "is before from")
	}
	return lo, hi, nil
}

func exchangeWhere(q data.ExchangeQuery) (string, []any, error) {
	lo, hi, err := dayBounds(q.From, q.To)
	if err != nil {
		return "", nil, err
	}
	var conds []string
	var args []any
	if q.Posting != "" {
		conds, args = append(conds, "posting = ?"), append(args, q.Posting)
	}
	if q.ID != "" {
		conds, args = append(conds, "id = ?"), append(args, q.ID)
	}
	var period []string
	if lo != "" {
		period, args = append(period, "occurred_at >= ?"), append(args, lo)
	}
	if hi != "" {
		period, args = append(period, "occurred_at < ?"), append(args, hi)
	}
	if q.RFIOnly {
		conds = append(conds, "kind IN ('rfi_out', 'rfi_in')")
	}
	switch {
	case len(period) > 0 && q.RFIOnly && q.OpenRFIs:
		conds = append(conds, "(("+strings.Join(period, " AND ")+") OR rfi_status = 'open')")
	case len(period) > 0:
		conds = append(conds, period...)
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

const reportExchangeCols = `id, posting, kind, title, occurred_at, ended_at, time_zone, location, counterparts,
	participants, summary, outcome, direction, disclosure, classification, releasability, caveats, tags, state,
	rfi_question, rfi_response, rfi_due, rfi_status,
	objectives, talking_points, asks, red_lines, atmospherics, commitments, state_notes`

// ReportExchanges streams the selected exchanges to fn, oldest first. The
// exchange fn gets is reused for the next row: copy it to keep it.
func (s *Store) ReportExchanges(ctx context.Context, q data.ExchangeQuery, fn func(*data.Exchange) error) error {
	where, args, err := exchangeWhere(q)
	if err != nil {
		return data.Op("report", "exchanges", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+raisedColumns(reportExchangeCols, "exchanges")+` FROM exchanges`+where+` ORDER BY occurred_at, n`, args...)
	if err != nil {
		return data.Op("report", "exchanges", err)
	}
	defer rows.Close()
	var e data.Exchange
	var cps, rel, tags, objectives, commitments string
	dest := []any{&e.ID, &e.Posting, &e.Kind, &e.Title, &e.OccurredAt, &e.EndedAt, &e.TimeZone, &e.Location, &cps,
		&e.Participants, &e.Summary, &e.Outcome, &e.Direction, &e.Disclosure, &e.Classification, &rel, &e.Caveats, &tags, &e.State,
		&e.RFIQuestion, &e.RFIResponse, &e.RFIDue, &e.RFIStatus,
		&objectives, &e.TalkingPoints, &e.Asks, &e.RedLines, &e.Atmospherics, &commitments, &e.StateNotes}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return data.Op("report", "exchanges", err)
		}
		e.Counterparts, e.Releasability, e.Tags = parseList(cps), parseList(rel), parseList(tags)
		// Fresh slices each row: the exchange is reused.
		e.Objectives, e.Commitments = []data.Objective{}, []data.Commitment{}
		if err := json.Unmarshal([]byte(objectives), &e.Objectives); err != nil {
			return data.Op("report", "exchanges", fmt.Errorf("objectives of %s: %w", e.ID, err))
		}
		if err := json.Unmarshal([]byte(commitments), &e.Commitments); err != nil {
			return data.Op("report", "exchanges", fmt.Errorf("commitments of %s: %w", e.ID, err))
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return data.Op("report", "exchanges", err)
	}
	return nil
}

// ReportExchangeMarkings counts the selected exchanges per marking.
func (s *Store) ReportExchangeMarkings(ctx context.Context, q data.ExchangeQuery) ([]data.MarkingCount, error) {
	where, args, err := exchangeWhere(q)
	if err != nil {
		return nil, fmt.Errorf("count exchanges: %w", err)
	}
	return s.markingCounts(ctx, "count exchanges", `SELECT `+withAttachments("exchanges")+`, releasability, caveats, count(*) FROM exchanges`+where+
		` GROUP BY 1, releasability, caveats`, args)
}

func requestWhere(q data.RequestQuery) (string, []any, error) {
	var conds []string
	var args []any
	if q.Posting != "" {
		conds, args = append(conds, "posting = ?"), append(args, q.Posting)
	}
	if q.OpenOnly {
		conds = append(conds, "status NOT IN ('closed', 'cancelled')")
	}
	if q.ActiveFrom != "" {
		if _, err := time.Parse(data.DateLayout, q.ActiveFrom); err != nil {
			return "", nil, data.Invalid("from", "%q is not a date (YYYY-MM-DD)", data.Clip(q.ActiveFrom))
		}
		conds = append(conds, `NOT (status IN ('closed', 'cancelled') AND coalesce((SELECT max(at) FROM request_history h
			WHERE h.request_id = requests.id), '') < ?)`)
		args = append(args, q.ActiveFrom)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

const reportRequestCols = `n, id, ref, direction, posting, program, end_user, justification, rating, required_by,
	supplier, supplier_country, coc_participant, contract_number, order_received_on, acceptance_due, promised_by,
	delayed, delay_reported_on, delay_confirm_due, spa_case, spa_requested_on, status, classification,
	releasability, caveats, business_confidential`

// reportPage is how many requests are read, with their lines and history,
// per round trip.
const reportPage = 500

// ReportRequests streams the selected requests to fn in the order they
// were created, each with its lines and status history. It reads them a
// page at a time, so memory stays flat however many there are.
func (s *Store) ReportRequests(ctx context.Context, q data.RequestQuery, fn func(*data.Request) error) error {
	where, args, err := requestWhere(q)
	if err != nil {
		return data.Op("report", "requests", err)
	}
	if where == "" {
		where = " WHERE n > ?"
	} else {
		where += " AND n > ?"
	}
	var after int64
	for {
		page, last, err := s.requestPage(ctx, where, append(args, after))
		if err != nil {
			return data.Op("report", "requests", err)
		}
		if len(page) == 0 {
			return nil
		}
		after = last
		if err := s.requestChildren(ctx, page); err != nil {
			return data.Op("report", "requests", err)
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < reportPage {
			return nil
		}
	}
}

func (s *Store) requestPage(ctx context.Context, where string, args []any) ([]*data.Request, int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+raisedColumns(reportRequestCols, "requests")+` FROM requests`+where+` ORDER BY n LIMIT `+fmt.Sprint(reportPage), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var page []*data.Request
	var last int64
	for rows.Next() {
		r := &data.Request{Lines: []data.Line{}, History: []data.StatusEntry{}}
		var rel string
		var delayed, bc int
		if err := rows.Scan(&last, &r.ID, &r.Ref, &r.Direction, &r.Posting, &r.Program, &r.EndUser, &r.Justification, &r.Rating,
			&r.RequiredBy, &r.Supplier, &r.SupplierCountry, &r.CoCParticipant, &r.ContractNumber, &r.OrderReceivedOn,
			&r.AcceptanceDue, &r.PromisedBy, &delayed, &r.DelayReportedOn, &r.DelayConfirmDue, &r.SPACase, &r.SPARequestedOn,
			&r.Status, &r.Classification, &rel, &r.Caveats, &bc); err != nil {
			return nil, 0, err
		}
		r.Releasability, r.Delayed, r.BusinessConfidential = parseList(rel), delayed != 0, bc != 0
		page = append(page, r)
	}
	return page, last, rows.Err()
}

// requestChildren loads the lines and history of a page of requests with
// one query per child table.
func (s *Store) requestChildren(ctx context.Context, page []*data.Request) error {
	byID := make(map[string]*data.Request, len(page))
	ids := make([]any, len(page))
	for i, r := range page {
		byID[r.ID] = r
		ids[i] = r.ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	rows, err := s.rdb.QueryContext(ctx, `SELECT request_id, id, line_no, description, nsn, part_number, cage, quantity, unit,
		delivered_quantity FROM request_lines WHERE request_id IN `+in+` ORDER BY request_id, line_no, id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rid string
		var l data.Line
		if err := rows.Scan(&rid, &l.ID, &l.LineNo, &l.Description, &l.NSN, &l.PartNumber, &l.CAGE, &l.Quantity, &l.Unit, &l.DeliveredQuantity); err != nil {
			rows.Close()
			return err
		}
		if r := byID[rid]; r != nil {
			r.Lines = append(r.Lines, l)
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	rows, err = s.rdb.QueryContext(ctx, `SELECT request_id, id, at, by, "from", "to", note FROM request_history
		WHERE request_id IN `+in+` ORDER BY request_id, at, id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rid string
		var h data.StatusEntry
		if err := rows.Scan(&rid, &h.ID, &h.At, &h.By, &h.From, &h.To, &h.Note); err != nil {
			rows.Close()
			return err
		}
		if r := byID[rid]; r != nil {
			r.History = append(r.History, h)
		}
	}
	return closeRows(rows)
}

// ReportRequestMarkings counts the selected requests per marking.
func (s *Store) ReportRequestMarkings(ctx context.Context, q data.RequestQuery) ([]data.MarkingCount, error) {
	where, args, err := requestWhere(q)
	if err != nil {
		return nil, fmt.Errorf("count requests: %w", err)
	}
	return s.markingCounts(ctx, "count requests", `SELECT `+withAttachments("requests")+`, releasability, caveats, count(*) FROM requests`+where+
		` GROUP BY 1, releasability, caveats`, args)
}

func actionWhere(q data.ActionQuery) (string, []any, error) {
	var conds []string
	var args []any
	if q.From != "" || q.To != "" {
		if _, _, err := dayBounds(q.From, q.To); err != nil {
			return "", nil, err
		}
		var due []string
		if q.From != "" {
			due, args = append(due, "a.due_on >= ?"), append(args, q.From)
		}
		if q.To != "" {
			due, args = append(due, "a.due_on <= ?"), append(args, q.To)
		}
		cond := "(a.due_on <> '' AND " + strings.Join(due, " AND ") + ")"
		if q.OpenToo {
			cond = "(" + cond + " OR a.status IN ('open', 'in_progress'))"
		}
		conds = append(conds, cond)
	}
	if q.OpenOnly {
		conds = append(conds, "a.status IN ('open', 'in_progress')")
	}
	if q.Posting != "" {
		conds, args = append(conds, "coalesce(e.posting, r.posting, '') = ?"), append(args, q.Posting)
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

const actionsJoin = ` FROM actions a
	LEFT JOIN exchanges e ON a.exchange_id <> '' AND e.id = a.exchange_id
	LEFT JOIN requests r ON a.exchange_id = '' AND a.request_id <> '' AND r.id = a.request_id`

// ReportActions streams the selected actions to fn by owner, then due date.
func (s *Store) ReportActions(ctx context.Context, q data.ActionQuery, fn func(*data.ReportAction) error) error {
	where, args, err := actionWhere(q)
	if err != nil {
		return data.Op("report", "actions", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT a.id, a.exchange_id, a.request_id, a.title, a.owner, a.due_on, a.status,
		a.done_at, a.notes, `+actionLevel+`, coalesce(e.releasability, r.releasability, '[]'),
		coalesce(e.caveats, r.caveats, ''), coalesce(e.posting, r.posting, ''),
		coalesce(e.title, trim(r.ref || '  ' || r.program), '')`+actionsJoin+where+
		` ORDER BY a.owner COLLATE NOCASE, a.due_on = '', a.due_on, a.n`, args...)
	if err != nil {
		return data.Op("report", "actions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a data.ReportAction
		var rel string
		if err := rows.Scan(&a.ID, &a.ExchangeID, &a.RequestID, &a.Title, &a.Owner, &a.DueOn, &a.Status, &a.DoneAt, &a.Notes,
			&a.Classification, &rel, &a.Caveats, &a.Posting, &a.Source); err != nil {
			return data.Op("report", "actions", err)
		}
		a.Releasability = parseList(rel)
		if err := fn(&a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return data.Op("report", "actions", err)
	}
	return nil
}

// ReportActionMarkings counts the selected actions per marking (their
// parent's; an empty classification for actions without one).
func (s *Store) ReportActionMarkings(ctx context.Context, q data.ActionQuery) ([]data.MarkingCount, error) {
	where, args, err := actionWhere(q)
	if err != nil {
		return nil, fmt.Errorf("count actions: %w", err)
	}
	return s.markingCounts(ctx, "count actions", `SELECT `+actionLevel+` AS c,
		coalesce(e.releasability, r.releasability, '[]') AS rel, coalesce(e.caveats, r.caveats, '') AS cav, count(*)`+
		actionsJoin+where+` GROUP BY c, rel, cav`, args)
}

func statusChangeWhere(q data.StatusChangeQuery) (string, []any, error) {
	lo, hi, err := dayBounds(q.From, q.To)
	if err != nil {
		return "", nil, err
	}
	conds := []string{"1"}
	var args []any
	if lo != "" {
		conds, args = append(conds, "h.at >= ?"), append(args, lo)
	}
	if hi != "" {
		conds, args = append(conds, "h.at < ?"), append(args, hi)
	}
	if q.Posting != "" {
		conds, args = append(conds, "r.posting = ?"), append(args, q.Posting)
	}
	return " FROM request_history h JOIN requests r ON r.id = h.request_id WHERE " + strings.Join(conds, " AND "), args, nil
}

// ReportStatusChanges streams the request status changes of a period to
// fn, oldest first.
func (s *Store) ReportStatusChanges(ctx context.Context, q data.StatusChangeQuery, fn func(*data.ReportStatusChange) error) error {
	from, args, err := statusChangeWhere(q)
	if err != nil {
		return data.Op("report", "status changes", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT h.id, h.request_id, h.at, h.by, h."from", h."to", h.note, r.ref, r.program,
		r.posting, r.direction, r.classification, r.releasability, r.caveats`+from+` ORDER BY h.at, h.n`, args...)
	if err != nil {
		return data.Op("report", "status changes", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c data.ReportStatusChange
		var rel string
		if err := rows.Scan(&c.ID, &c.RequestID, &c.At, &c.By, &c.From, &c.To, &c.Note, &c.Ref, &c.Program, &c.Posting,
			&c.Direction, &c.Classification, &rel, &c.Caveats); err != nil {
			return data.Op("report", "status changes", err)
		}
		c.Releasability = parseList(rel)
		if err := fn(&c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return data.Op("report", "status changes", err)
	}
	return nil
}

// ReportStatusChangeMarkings counts the selected status changes per marking
// of their request.
func (s *Store) ReportStatusChangeMarkings(ctx context.Context, q data.StatusChangeQuery) ([]data.MarkingCount, error) {
	from, args, err := statusChangeWhere(q)
	if err != nil {
		return nil, fmt.Errorf("count status changes: %w", err)
	}
	return s.markingCounts(ctx, "count status changes", `SELECT r.classification, r.releasability, r.caveats, count(*)`+from+
		` GROUP BY r.classification, r.releasability, r.caveats`, args)
}

// ReportContacts streams every contact to fn by name, each with the
// exchanges that met them per posting and marking.
func (s *Store) ReportContacts(ctx context.Context, fn func(*data.ReportContact) error) error {
	met := map[string][]data.ContactMeetings{}
	rows, err := s.rdb.QueryContext(ctx, `SELECT ec.contact_id, e.posting, e.classification, e.releasability, e.caveats,
		count(*), max(ec.occurred_at) FROM exchange_counterparts ec JOIN exchanges e ON e.id = ec.exchange_id
		GROUP BY ec.contact_id, e.posting, e.classification, e.releasability, e.caveats`)
	if err != nil {
		return data.Op("report", "contacts", err)
	}
	for rows.Next() {
		var id, rel string
		var m data.ContactMeetings
		if err := rows.Scan(&id, &m.Posting, &m.Classification, &rel, &m.Caveats, &m.Count, &m.Last); err != nil {
			rows.Close()
			return data.Op("report", "contacts", err)
		}
		m.Releasability = parseList(rel)
		met[id] = append(met[id], m)
	}
	if err := closeRows(rows); err != nil {
		return data.Op("report", "contacts", err)
	}
	rows, err = s.rdb.QueryContext(ctx, `SELECT id, name, rank, appointment, organisation, directorate, nation, email, phone,
		notes, past_appointments FROM contacts ORDER BY name COLLATE NOCASE, n`)
	if err != nil {
		return data.Op("report", "contacts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c data.ReportContact
		var past string
		if err := rows.Scan(&c.ID, &c.Name, &c.Rank, &c.Appointment, &c.Organisation, &c.Directorate, &c.Nation, &c.Email,
			&c.Phone, &c.Notes, &past); err != nil {
			return data.Op("report", "contacts", err)
		}
		c.PastAppointments, c.Met = parseList(past), met[c.ID]
		if err := fn(&c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return data.Op("report", "contacts", err)
	}
	return nil
}

// ReportContactCount is the number of contacts.
func (s *Store) ReportContactCount(ctx context.Context) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

func (s *Store) markingCounts(ctx context.Context, op, query string, args []any) ([]data.MarkingCount, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out []data.MarkingCount
	for rows.Next() {
		var m data.MarkingCount
		var rel string
		if err := rows.Scan(&m.Classification, &rel, &m.Caveats, &m.Count); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		m.Releasability = parseList(rel)
		out = append(out, m)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// parseList reads a list column (a JSON array of strings). The common
// case, short codes and ids without escapes, is split by hand.
func parseList(v string) []string {
	if v == "" || v == "[]" {
		return nil
	}
	if len(v) >= 2 && v[0] == '[' && v[len(v)-1] == ']' && !strings.ContainsAny(v, `\`) {
		inner := v[1 : len(v)-1]
		parts := strings.Split(inner, `","`)
		if len(parts) > 0 && strings.HasPrefix(parts[0], `"`) && strings.HasSuffix(parts[len(parts)-1], `"`) {
			parts[0] = parts[0][1:]
			last := parts[len(parts)-1]
			parts[len(parts)-1] = last[:len(last)-1]
			ok := true
			for _, p := range parts {
				if strings.Contains(p, `"`) {
					ok = false
					break
				}
			}
			if ok {
				return parts
			}
		}
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil
	}
	return out
}
