package report

import (
	"context"

	"liaisondesk/data"
)

var accreditationExportCols = []column{
	{key: "id", title: "id"}, {key: "officer", title: "officer"}, {key: "certifying_command", title: "certifying_command"},
	{key: "starts_on", title: "starts_on", typ: dateCol}, {key: "ends_on", title: "ends_on", typ: dateCol},
	{key: "functions", title: "functions"}, {key: "contact_officer", title: "contact_officer"},
	{key: "foreign_disclosure_officer", title: "foreign_disclosure_officer"}, {key: "ddl_ceiling", title: "ddl_ceiling"},
	{key: "ddl_methods", title: "ddl_methods"}, {key: "ddl_categories", title: "ddl_categories"},
	{key: "ddl_limitations", title: "ddl_limitations"}, {key: "ddl_review_on", title: "ddl_review_on", typ: dateCol},
	{key: "eva_number", title: "eva_number"}, {key: "eva_ends_on", title: "eva_ends_on", typ: dateCol},
	{key: "badge_expires_on", title: "badge_expires_on", typ: dateCol},
}

// exportAccreditations writes every officer's accreditation. They carry
// no marking of their own, as contacts do, and belong to no posting.
func (b *builder) exportAccreditations(ctx context.Context) error {
	if b.o.Posting != "" {
		return &data.FieldError{Field: "posting", Problem: "accreditations belong to no posting: export them all"}
	}
	var all []*data.Accreditation
	err := b.s.List(ctx, data.KindAccreditation, data.ListFilter{}, func(r data.Record) error {
		all = append(all, r.(*data.Accreditation))
		return nil
	})
	if err != nil {
		return err
	}
	sec := b.add(&section{name: "accreditations", title: "Accreditations", columns: accreditationExportCols, empty: "No accreditations."})
	b.t.add(sec, data.Marking{}, len(all))
	rows := make([]row, len(all))
	for i, a := range all {
		rows[i] = row{cells: []any{a.ID, a.Officer, a.CertifyingCommand, a.StartsOn, a.EndsOn, a.Functions, a.ContactOfficer,
			a.ForeignDisclosureOfficer, a.DDLCeiling, joinList(a.DDLMethods), joinList(a.DDLCategories), a.DDLLimitations,
			a.DDLReviewOn, a.EVANumber, a.EVAEndsOn, a.BadgeExpiresOn}, rec: a, marking: &data.Marking{}}
	}
	sec.rows = slice(rows)
	return nil
}
