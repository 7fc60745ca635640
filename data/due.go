package data

import (
	"slices"
	"strings"
	"time"
)

// DueWhat is a date or time a record comes due by: the field that holds it.
type DueWhat string

// What comes due (docs/DOMAIN.md, reminders).
const (
	DueRFI          DueWhat = "rfi_due"           // an open RFI's time of last value
	DueAction       DueWhat = "due_on"            // an open or in-progress action's due date
	DueAcceptance   DueWhat = "acceptance_due"    // a placed order's DPAS acceptance clock
	DueDelayConfirm DueWhat = "delay_confirm_due" // written confirmation of a verbal delay notice
	DueRequired     DueWhat = "required_by"       // a live request's required delivery date
	DueGiftDeposit  DueWhat = "deposit_due"       // a pending gift's deposit or report deadline (data/gift.go)
)

// Label says what comes due, in a few words for a list or a notification.
func (w DueWhat) Label() string {
	switch w {
	case DueRFI:
		return "RFI answer of value until"
	case DueAction:
		return "action due"
	case DueAcceptance:
		return "supplier's acceptance due"
	case DueDelayConfirm:
		return "written delay confirmation due"
	case DueRequired:
		return "required by"
	case DueGiftDeposit:
		return "gift to deposit or report by"
	}
	if l, ok := accreditationDue[w]; ok {
		return l
	}
	return string(w)
}

// Reminder lead times, in working days before the date (AddWorkingDays).
const (
	DefaultDueLead = 1
	MaxDueLead     = 10
	// MaxDueListed bounds what one query lists of each part (coming due,
	// overdue) of each kind of date; DueList.Count counts them all.
	MaxDueListed = 200
)

// DueItem is one record with a date that comes due: within the lead time
// or already past.
type DueItem struct {
	Kind    Kind
	ID      string
	Title   string
	What    DueWhat
	When    string // YYYY-MM-DD, or RFC 3339 (UTC) for an RFI's time of last value
	Overdue bool
	// Marking is the record's; an action carries the marking of the
	// exchange or request it was born in, and none if it stands alone.
	Marking
}

// Key names the item's reminder: the record, what comes due and when, so
// a moved date is a new reminder.
func (it DueItem) Key() string {
	return string(it.Kind) + "/" + it.ID + "/" + string(it.What) + "/" + it.When
}

// Discreet reports whether a notification about the item may name only a
// number, never its title: records above UNCLASSIFIED (any level but the
// lowest, and custom levels too). An action standing alone carries no
// marking and is the officer's own note.
func (it DueItem) Discreet() bool {
	return it.Classification != "" && it.Classification != "UNCLASSIFIED"
}

// DueList is what needs attention on a day: the items listed, soonest
// first, and how many there are in all.
type DueList struct {
	Today   string // YYYY-MM-DD in the officer's zone
	Horizon string // the last day counted as coming due (YYYY-MM-DD)
	Lead    int    // working days
	Items   []DueItem
	Count   int // all items due or overdue, listed or not
	Overdue int // of Count, those already past
}

// DueWindow is the span of dates that come due on now's day (in now's
// zone) with a lead of lead working days: from today to the day lead
// working days ahead, weekends and US federal holidays skipped, and every
// day in between counted (on a Friday before a Monday holiday, one working
// day reaches Tuesday). Dates before today are overdue. horizonEnd is the
// first instant after the horizon, for RFI times.
func DueWindow(now time.Time, lead int) (today, horizon string, horizonEnd time.Time) {
	lead = max(0, min(lead, MaxDueLead))
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	last := AddWorkingDays(day, lead)
	end := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, now.Location())
	return day.Format(DateLayout), last.Format(DateLayout), end.UTC()
}

// RequestDueStatuses are the states in which a request's required date
// still needs attention: every one but delivered, closed and cancelled,
// in both directions.
func RequestDueStatuses() []RequestStatus {
	var out []RequestStatus
	for _, dir := range RequestDirections {
		for _, s := range Statuses(dir) {
			if s != StatusDelivered && s != StatusClosed && s != StatusCancelled && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// SortDue orders items overdue first, then soonest first; ties by kind
// and id, so a list is stable between reads.
func SortDue(items []DueItem) {
	slices.SortStableFunc(items, func(a, b DueItem) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if c := compareDue(a.When, b.When); c != 0 {
			return c
		}
		if a.Kind != b.Kind {
			return strings.Compare(string(a.Kind), string(b.Kind))
		}
		return strings.Compare(a.ID+string(a.What), b.ID+string(b.What))
	})
}

// compareDue orders a date against an RFC 3339 time by their first ten
// characters (the day), then the rest: a date counts as its day's start.
func compareDue(a, b string) int {
	if c := strings.Compare(a[:min(10, len(a))], b[:min(10, len(b))]); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
