package report

import (
	"context"
	"slices"

	"liaisondesk/data"
)

// visitExportCols are the columns of a visit export, one row per visitor;
// the sensitive columns are added only when asked for (Options.Include).
var visitExportCols = []column{
	{key: "id", title: "id"}, {key: "posting", title: "posting"}, {key: "visit_type", title: "visit_type"},
	{key: "facility", title: "facility"}, {key: "starts_on", title: "starts_on", typ: dateCol},
	{key: "ends_on", title: "ends_on", typ: dateCol}, {key: "purpose", title: "purpose"}, {key: "program", title: "program"},
	{key: "fms_case", title: "fms_case"}, {key: "us_contact", title: "us_contact"}, {key: "fvs_case", title: "fvs_case"},
	{key: "status", title: "status"},
	{key: "visitor_no", title: "visitor_no", typ: numCol}, {key: "name", title: "name"}, {key: "rank", title: "rank"},
	{key: "organisation", title: "organisation"}, {key: "nationality", title: "nationality"}, {key: "clearance", title: "clearance"},
}

// exportVisits writes every visit request, one row per visitor. Passport
// and date of birth are left out, from the cells and from the JSON
// records, unless Options.Include names them.
func (b *builder) exportVisits(ctx context.Context) error {
	keep := b.o.Include
	cols := slices.Clone(visitExportCols)
	for _, name := range data.VisitSensitive {
		if slices.Contains(keep, name) {
			cols = append(cols, column{key: name, title: name})
		}
	}
	note := "One row per visitor; rows with the same id are one visit. Passport and date of birth are left out unless asked for."
	if len(keep) > 0 {
		note = "One row per visitor; rows with the same id are one visit. Holds visitors' personal data: " + joinList(keep) + "."
	}
	sec := b.add(&section{name: "visits", title: "Visit requests", columns: cols, empty: "No visit requests.", note: note})
	var visits []*data.Visit
	err := b.s.List(ctx, data.KindVisit, data.ListFilter{Posting: b.o.Posting, From: b.o.From, To: b.o.To}, func(r data.Record) error {
		visits = append(visits, r.(*data.Visit).Redacted(keep))
		return nil
	})
	if err != nil {
		return err
	}
	b.t.add(sec, data.Marking{}, len(visits))
	files, err := b.s.AttachmentsByRecord(ctx, data.KindVisit)
	if err != nil {
		return err
	}
	sec.rows = func(ctx context.Context, emit emitFunc) error {
		for _, v := range visits {
			head := []any{v.ID, v.Posting, string(v.VisitType), v.Facility, v.StartsOn, v.EndsOn, v.Purpose, v.Program,
				v.FMSCase, v.USContact, v.FVSCase, string(v.Status)}
			visitors := v.Visitors
			if len(visitors) == 0 {
				visitors = []data.Visitor{{}}
			}
			for i, p := range visitors {
				no := i + 1
				if len(v.Visitors) == 0 {
					no = 0
				}
				cells := append(head[:len(head):len(head)], no, p.Name, p.Rank, p.Organisation, p.Nationality, p.Clearance)
				for _, name := range data.VisitSensitive {
					if slices.Contains(keep, name) {
						cells = append(cells, map[string]string{data.SensitivePassport: p.Passport, data.SensitiveBirthDate: p.BirthDate}[name])
					}
				}
				var rec any
				if i == 0 {
					rec = withFiles(v, files[v.ID])
				}
				if err := emit(row{cells: cells, rec: rec, marking: &data.Marking{}}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return nil
}
