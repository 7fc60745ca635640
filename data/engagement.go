package data

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
)

// ObjectiveResult is how far a debrief found an objective met; empty while
// the engagement is planned.
type ObjectiveResult string

const (
	ObjectiveMet    ObjectiveResult = "met"
	ObjectivePartly ObjectiveResult = "partly"
	ObjectiveNotMet ObjectiveResult = "not_met"
)

// ObjectiveResults are the results a debrief may give an objective.
var ObjectiveResults = []string{string(ObjectiveMet), string(ObjectivePartly), string(ObjectiveNotMet)}

// Objective is one aim of a planned engagement and, once held, its result.
type Objective struct {
	Text     string          `json:"text"`
	Priority string          `json:"priority"` // an HQ priority tag, optional
	Result   ObjectiveResult `json:"result"`
	Note     string          `json:"note"`
}

// CommitmentSide says who made a commitment.
type CommitmentSide string

const (
	SideUs   CommitmentSide = "us"
	SideThem CommitmentSide = "them"
)

// CommitmentSides are the sides a commitment may come from.
var CommitmentSides = []string{string(SideUs), string(SideThem)}

// Commitment is a promise made during an engagement. When the exchange
// becomes final, one with an owner becomes an action linked to the
// exchange; ActionID records it, so it happens once. ID is the
// commitment's stable id: the action's id is derived from it and the
// exchange's (CommitmentActionID), so two laptops that finalise the same
// debrief make the same action.
type Commitment struct {
	ID       string         `json:"id"`
	Side     CommitmentSide `json:"side"`
	Text     string         `json:"text"`
	Owner    string         `json:"owner"`
	DueOn    string         `json:"due_on"` // YYYY-MM-DD, optional
	ActionID string         `json:"action_id"`
}

// derivedIDs is the UUID namespace of ids derived from other ids: the same
// inputs give the same id on every laptop.
var derivedIDs = uuid.MustParse("6f1b6c1e-2f4e-4d7a-9c55-1a0e3b8d2c41")

// StableCommitmentIDs gives each commitment without an id one derived from
// the exchange, its place and its words, so laptops holding the same
// debrief (written by an older version, or by hand without ids) agree on
// it; one with an id keeps it when its words change.
func (e *Exchange) StableCommitmentIDs() {
	for i := range e.Commitments {
		c := &e.Commitments[i]
		if c.ID == "" {
			c.ID = uuid.NewSHA1(derivedIDs, fmt.Appendf(nil, "commitment\x00%s\x00%d\x00%s\x00%s", e.ID, i, c.Side, c.Text)).String()
		}
	}
}

// CommitmentActionID is the id of the action a commitment becomes: the
// same on every laptop, so concurrent finalisations create one row that
// merges per field, not two actions.
func CommitmentActionID(exchangeID, commitmentID string) string {
	return uuid.NewSHA1(derivedIDs, []byte("action\x00"+exchangeID+"\x00"+commitmentID)).String()
}

// Limits on an engagement's lists, like the other lists of a record.
const (
	MaxObjectives  = 50
	MaxCommitments = 100
)

func (e *Exchange) validateEngagement() error {
	for _, f := range []struct{ name, v string }{{"talking_points", e.TalkingPoints}, {"asks", e.Asks},
		{"red_lines", e.RedLines}, {"atmospherics", e.Atmospherics}, {"state_notes", e.StateNotes}} {
		if err := CheckText(f.name, f.v, MaxText); err != nil {
			return err
		}
	}
	if len(e.Objectives) > MaxObjectives {
		return Invalid("objectives", "has %d entries, at most %d", len(e.Objectives), MaxObjectives)
	}
	for i := range e.Objectives {
		o := &e.Objectives[i]
		if err := o.validate(e.State); err != nil {
			return Prefixed(fmt.Sprintf("objectives[%d]", i), err)
		}
	}
	if len(e.Commitments) > MaxCommitments {
		return Invalid("commitments", "has %d entries, at most %d", len(e.Commitments), MaxCommitments)
	}
	return checkCommitments(e.Commitments)
}

// checkCommitments checks each commitment, and that no two share an id:
// they would become one action between them.
func checkCommitments(cs []Commitment) error {
	seen := map[string]bool{}
	for i := range cs {
		if err := cs[i].validate(); err != nil {
			return Prefixed(fmt.Sprintf("commitments[%d]", i), err)
		}
		if id := cs[i].ID; id != "" {
			if seen[id] {
				return Invalid(fmt.Sprintf("commitments[%d].id", i), "%s is the id of an earlier commitment", id)
			}
			seen[id] = true
		}
	}
	return nil
}

func (o *Objective) validate(state ExchangeState) error {
	if err := CheckLine("text", o.Text, true); err != nil {
		return err
	}
	if err := CheckLine("priority", o.Priority, false); err != nil {
		return err
	}
	if err := CheckEnum("result", string(o.Result), ObjectiveResults, false); err != nil {
		return err
	}
	if o.Result != "" && state.IsPlanning() {
		return Invalid("result", "is given once the engagement is held, not while it is %s", state)
	}
	return CheckText("note", o.Note, MaxText)
}

func (c *Commitment) validate() error {
	if err := CheckID("id", c.ID, false); err != nil {
		return err
	}
	if err := CheckDate("due_on", c.DueOn, false); err != nil {
		return err
	}
	if err := CheckEnum("side", string(c.Side), CommitmentSides, true); err != nil {
		return err
	}
	if err := CheckLine("text", c.Text, true); err != nil {
		return err
	}
	if err := CheckLine("owner", c.Owner, false); err != nil {
		return err
	}
	return CheckID("action_id", c.ActionID, false)
}

// objectLists are the list fields whose items are objects, each with the
// check a change arriving by sync or import is held to: the items a form
// would accept, whatever the state (that needs the whole record).
var objectLists = map[string]func(json.RawMessage) error{
	"visitors": checkVisitorList, // data/visit.go
	"objectives": func(raw json.RawMessage) error {
		var os []Objective
		if err := json.Unmarshal(raw, &os); err != nil {
			return Invalid("objectives", "is not a list of objectives ({text, priority, result, note})")
		}
		if len(os) > MaxObjectives {
			return Invalid("objectives", "has %d items, at most %d", len(os), MaxObjectives)
		}
		for i := range os {
			if err := os[i].validate(StateHeld); err != nil {
				return Prefixed(fmt.Sprintf("objectives[%d]", i), err)
			}
		}
		return nil
	},
	"commitments": func(raw json.RawMessage) error {
		var cs []Commitment
		if err := json.Unmarshal(raw, &cs); err != nil {
			return Invalid("commitments", "is not a list of commitments ({id, side, text, owner, due_on})")
		}
		if len(cs) > MaxCommitments {
			return Invalid("commitments", "has %d items, at most %d", len(cs), MaxCommitments)
		}
		return checkCommitments(cs)
	},
}

// IsObjectList is whether a list field holds objects, not one-line items.
func IsObjectList(field string) bool { _, ok := objectLists[field]; return ok }

// PlannedWindow is how many days ahead the dashboard lists planned
// engagements, and MaxPlanned how many it lists at most.
const (
	PlannedWindow = 14
	MaxPlanned    = 10
)

// PlannedEngagement is a planned (or postponed) exchange the dashboard
// lists.
type PlannedEngagement struct {
	ID, Posting, Kind, Title string
	OccurredAt               string // RFC 3339
	State                    ExchangeState
	Objectives               int
}
