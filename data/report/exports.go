package report

import (
	"context"
	"fmt"
	"time"

	"liaisondesk/data"
)

// memo is what a memorandum for record shows of one exchange.
type memo struct {
	e            *data.Exchange
	loc          *time.Location
	home         *time.Location // where headquarters reads the times
	posting      data.Posting
	counterparts []*data.Contact
	missing      int // counterparts not in the register
	actions      []*data.Action
	attachments  []data.Attachment
}

func (b *builder) memorandum(ctx context.Context) error {
	rec, err := b.s.Get(ctx, "exchange", b.o.ID)
	if err != nil {
		return fmt.Errorf("memorandum: %w", err)
	}
	e := rec.(*data.Exchange)
	if !b.t.c.allows(e.Marking) {
		return &data.FieldError{Field: "ceiling", Problem: fmt.Sprintf("exchange %s is marked %s, above the ceiling %s or not releasable: nothing written",
			e.ID, e.Marking.Text(), b.t.c.text())}
	}
	b.t.note(e.Marking)
	m := &memo{e: e, loc: b.zone(e), home: b.home, posting: b.postings[e.Posting]}
	if m.attachments, err = b.memoAttachments(ctx, e); err != nil {
		return err
	}
	for _, id := range e.Counterparts {
		c, err := b.contact(ctx, id)
		if err != nil {
			return err
		}
		if c == nil {
			m.missing++
			continue
		}
		m.counterparts = append(m.counterparts, c)
	}
	err = b.s.List(ctx, "action", data.ListFilter{ExchangeID: e.ID}, func(r data.Record) error {
		m.actions = append(m.actions, r.(*data.Action))
		return nil
	})
	if err != nil {
		return fmt.Errorf("memorandum: %w", err)
	}
	b.d.memo = m
	b.d.title = "Memorandum for record"
	b.d.subtitle = m.posting.Name
	if b.d.subtitle == "" {
		b.d.subtitle = e.Posting
	}
	return nil
}

// ---- whole-table exports ----

var exchangeExportCols = []column{
	{key: "id", title: "id"}, {key: "posting", title: "posting"}, {key: "kind", title: "kind"}, {key: "title", title: "title"},
	{key: "occurred_at", title: "occurred_at", typ: timeCol}, {key: "ended_at", title: "ended_at", typ: timeCol},
	{key: "time_zone", title: "time_zone"}, {key: "location", title: "location"}, {key: "counterparts", title: "counterparts"},
	{key: "participants", title: "participants"}, {key: "summary", title: "summary"}, {key: "outcome", title: "outcome"},
	{key: "direction", title: "direction"}, {key: "disclosure", title: "disclosure"}, {key: "classification", title: "classification"},
	{key: "releasability", title: "releasability"}, {key: "caveats", title: "caveats"}, {key: "tags", title: "tags"},
	{key: "state", title: "state"}, {key: "rfi_question", title: "rfi_question"}, {key: "rfi_response", title: "rfi_response"},
	{key: "rfi_due", title: "rfi_due", typ: timeCol}, {key: "rfi_status", title: "rfi_status"},
}

func exchangeCells(e *data.Exchange, cells []string) []string {
	return append(cells[:0], e.ID, e.Posting, e.Kind, e.Title, e.OccurredAt, e.EndedAt, e.TimeZone, e.Location, joinList(e.Counterparts),
		e.Participants, e.Summary, e.Outcome, e.Direction, e.Disclosure, e.Classification, joinList(e.Releasability), e.Caveats,
		joinList(e.Tags), string(e.State), e.RFIQuestion, e.RFIResponse, e.RFIDue, string(e.RFIStatus))
}

func (b *builder) exportExchanges(ctx context.Context) error {
	q := data.ExchangeQuery{Posting: b.o.Posting, From: b.o.From, To: b.o.To}
	sec := b.add(&section{name: "exchanges", title: "Exchanges", columns: exchangeExportCols, empty: "No exchanges."})
	counts, err := b.s.ReportExchangeMarkings(ctx, q)
	if err != nil {
		return err
	}
	b.t.addCounts(sec, counts)
	c := b.t.c
	files, err := b.s.AttachmentsByRecord(ctx, data.KindExchange)
	if err != nil {
		return err
	}
	sec.rows = func(ctx context.Context, emit emitFunc) error {
		cells := make([]string, 0, len(exchangeExportCols))
		return b.s.ReportExchanges(ctx, q, func(e *data.Exchange) error {
			if !c.allows(e.Marking) {
				return nil
			}
			cells = exchangeCells(e, cells)
			return emit(row{strs: cells, rec: withFiles(e, files[e.ID]), marking: &e.Marking})
		})
	}
	return nil
}

var requestExportCols = []column{
	{key: "ref", title: "ref"}, {key: "id", title: "id"}, {key: "direction", title: "direction"}, {key: "posting", title: "posting"},
	{key: "program", title: "program"}, {key: "end_user", title: "end_user"}, {key: "justification", title: "justification"},
	{key: "rating", title: "rating"}, {key: "required_by", title: "required_by", typ: dateCol}, {key: "supplier", title: "supplier"},
	{key: "supplier_country", title: "supplier_country"}, {key: "coc_participant", title: "coc_participant"},
	{key: "contract_number", title: "contract_number"}, {key: "order_received_on", title: "order_received_on", typ: dateCol},
	{key: "acceptance_due", title: "acceptance_due", typ: dateCol}, {key: "promised_by", title: "promised_by", typ: dateCol},
	{key: "delayed", title: "delayed", typ: boolCol}, {key: "delay_reported_on", title: "delay_reported_on", typ: dateCol},
	{key: "delay_confirm_due", title: "delay_confirm_due", typ: dateCol}, {key: "spa_case", title: "spa_case"},
	{key: "spa_requested_on", title: "spa_requested_on", typ: dateCol}, {key: "status", title: "status"},
	{key: "classification", title: "classification"}, {key: "releasability", title: "releasability"}, {key: "caveats", title: "caveats"},
	{key: "business_confidential", title: "business_confidential", typ: boolCol},
	{key: "line_no", title: "line_no", typ: numCol}, {key: "description", title: "description"}, {key: "nsn", title: "nsn"},
	{key: "part_number", title: "part_number"}, {key: "cage", title: "cage"}, {key: "quantity", title: "quantity", typ: numCol},
	{key: "unit", title: "unit"}, {key: "delivered_quantity", title: "delivered_quantity", typ: numCol},
}

func (b *builder) exportRequests(ctx context.Context) error {
	q := data.RequestQuery{Posting: b.o.Posting}
	sec := b.add(&section{name: "requests", title: "Requests", columns: requestExportCols, empty: "No requests.",
		note: "One row per line; rows with the same ref are one request."})
	counts, err := b.s.ReportRequestMarkings(ctx, q)
	if err != nil {
		return err
	}
	b.t.addCounts(sec, counts)
	c := b.t.c
	files, err := b.s.AttachmentsByRecord(ctx, data.KindRequest)
	if err != nil {
		return err
	}
	sec.rows = func(ctx context.Context, emit emitFunc) error {
		return b.s.ReportRequests(ctx, q, func(r *data.Request) error {
			if !c.allows(r.Marking) {
				return nil
			}
			head := []any{r.Ref, r.ID, r.Direction, r.Posting, r.Program, r.EndUser, r.Justification, r.Rating, r.RequiredBy,
				r.Supplier, r.SupplierCountry, r.CoCParticipant, r.ContractNumber, r.OrderReceivedOn, r.AcceptanceDue, r.PromisedBy,
				r.Delayed, r.DelayReportedOn, r.DelayConfirmDue, r.SPACase, r.SPARequestedOn, r.Status, r.Classification,
				joinList(r.Releasability), r.Caveats, r.BusinessConfidential}
			lines := r.Lines
			if len(lines) == 0 {
				lines = []data.Line{{}}
			}
			for i, l := range lines {
				cells := append(head[:len(head):len(head)], l.LineNo, l.Description, l.NSN, l.PartNumber, l.CAGE, l.Quantity, l.Unit, l.DeliveredQuantity)
				var rec any
				if i == 0 {
					rec = withFiles(r, files[r.ID])
				}
				if err := emit(row{cells: cells, rec: rec, marking: &r.Marking}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return nil
}

var contactExportCols = []column{
	{key: "id", title: "id"}, {key: "name", title: "name"}, {key: "rank", title: "rank"}, {key: "appointment", title: "appointment"},
	{key: "organisation", title: "organisation"}, {key: "directorate", title: "directorate"}, {key: "nation", title: "nation"},
	{key: "email", title: "email"}, {key: "phone", title: "phone"}, {key: "notes", title: "notes"},
	{key: "past_appointments", title: "past_appointments"},
}

func (b *builder) exportContacts(ctx context.Context) error {
	if b.o.Posting != "" {
		return &data.FieldError{Field: "posting", Problem: "contacts belong to no posting: export them all"}
	}
	sec := b.add(&section{name: "contacts", title: "Contacts", columns: contactExportCols, empty: "No contacts."})
	n, err := b.s.ReportContactCount(ctx)
	if err != nil {
		return err
	}
	b.t.add(sec, data.Marking{}, n)
	sec.rows = func(ctx context.Context, emit emitFunc) error {
		return b.s.ReportContacts(ctx, func(c *data.ReportContact) error {
			ct := c.Contact
			if ct.PastAppointments == nil {
				ct.PastAppointments = []string{}
			}
			return emit(row{cells: []any{ct.ID, ct.Name, ct.Rank, ct.Appointment, ct.Organisation, ct.Directorate, ct.Nation, ct.Email,
				ct.Phone, ct.Notes, joinList(ct.PastAppointments)}, rec: &ct, marking: &data.Marking{}})
		})
	}
	return nil
}

var actionExportCols = []column{
	{key: "id", title: "id"}, {key: "exchange_id", title: "exchange_id"}, {key: "request_id", title: "request_id"},
	{key: "title", title: "title"}, {key: "owner", title: "owner"}, {key: "due_on", title: "due_on", typ: dateCol},
	{key: "status", title: "status"}, {key: "done_at", title: "done_at", typ: timeCol}, {key: "notes", title: "notes"},
	{key: "marking", title: "marking"},
}

func (b *builder) exportActions(ctx context.Context) error {
	q := data.ActionQuery{Posting: b.o.Posting, From: b.o.From, To: b.o.To}
	sec := b.add(&section{name: "actions", title: "Actions", columns: actionExportCols, empty: "No actions.",
		note: "marking: the marking of the exchange or request the action was born in."})
	counts, err := b.s.ReportActionMarkings(ctx, q)
	if err != nil {
		return err
	}
	b.t.addCounts(sec, counts)
	c := b.t.c
	files, err := b.s.AttachmentsByRecord(ctx, data.KindAction)
	if err != nil {
		return err
	}
	sec.rows = func(ctx context.Context, emit emitFunc) error {
		return b.s.ReportActions(ctx, q, func(a *data.ReportAction) error {
			if !c.allows(a.Marking) {
				return nil
			}
			act := a.Action
			return emit(row{cells: []any{act.ID, act.ExchangeID, act.RequestID, act.Title, act.Owner, act.DueOn, act.Status, act.DoneAt,
				act.Notes, markText(a.Marking)}, rec: withFiles(&act, files[act.ID]), marking: &a.Marking})
		})
	}
	return nil
}
