package report

import (
	"slices"

	"liaisondesk/data"
)

// briefCommitmentsMax is how many outstanding commitments the brief lists
// per counterpart, newest first.
const briefCommitmentsMax = 8

// briefCommitments adds the commitments both ways still outstanding from
// earlier exchanges with a counterpart: ours and theirs whose action is
// still open, and those that never became an action (theirs, usually).
// Past exchanges above the ceiling are left out and counted.
func (b *builder) briefCommitments(id, name string, past []*data.Exchange, open []*data.ReportAction) {
	openIDs := map[string]*data.ReportAction{}
	for _, a := range open {
		openIDs[a.ID] = a
	}
	sec := &section{name: "commitments_" + id, title: "Commitments with " + name, empty: "None outstanding.",
		columns: []column{{key: "side", title: "By", width: 1}, {key: "commitment", title: "Commitment", width: 4, wrap: true},
			{key: "owner", title: "Owner", width: 2, wrap: true}, {key: "due_on", title: "Due", typ: dateCol, width: 1.4},
			{key: "source", title: "From", width: 3, wrap: true}}}
	var rows []row
	for _, x := range past { // newest first
		if !slices.Contains(x.Counterparts, id) || len(x.Commitments) == 0 {
			continue
		}
		if !b.t.c.allows(x.Marking) {
			sec.leftOut++
			continue
		}
		for _, c := range x.Commitments {
			owner, due := c.Owner, c.DueOn
			if c.ActionID != "" {
				a, ok := openIDs[c.ActionID]
				if !ok {
					continue // done or cancelled, or out of sight
				}
				owner, due = a.Owner, a.DueOn
			}
			if len(rows) == briefCommitmentsMax {
				break
			}
			b.t.keep(sec, x.Marking)
			by := "Us"
			if c.Side == data.SideThem {
				by = "Them"
			}
			rows = append(rows, row{cells: []any{by, c.Text, owner, due, x.Title}, marking: markingOf(x.Marking)})
		}
	}
	sec.rows = slice(rows)
	b.add(sec)
}
