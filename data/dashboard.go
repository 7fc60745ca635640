package data

// Dashboard is what the home screen shows: the week's exchanges, what
// needs attention, the latest edits, and this device. Every figure comes
// from an indexed query, so it stays fast on a store of a million
// exchanges.
type Dashboard struct {
	// Today is the day the figures are for (YYYY-MM-DD, in the caller's
	// zone). WeekFrom and WeekTo are the Monday and Sunday of its week.
	// The week is counted in UTC, like the stored times and the list
	// filters it links to: an exchange late on Sunday evening west of
	// Greenwich may fall in the next week.
	Today            string
	WeekFrom, WeekTo string

	// ExchangesThisWeek has one entry per posting, by code, zeros included.
	ExchangesThisWeek []PostingCount

	OpenRFIs    int // exchanges whose rfi_status is open
	OverdueRFIs int // open RFIs whose rfi_due has passed

	OpenActions       int // status open
	InProgressActions int // status in_progress
	OverdueOpen       int // open, due before today
	OverdueInProgress int // in progress, due before today

	// RequestsByStatus counts requests per status, both directions
	// together (the statuses they share mean the same thing).
	RequestsByStatus map[string]int
	// Acceptance lists the requests whose order is placed and whose DPAS
	// acceptance clock runs out within AcceptanceWindow working days or
	// has run out, soonest first (at most MaxAcceptance of them);
	// AcceptanceCount counts them all and AcceptanceOverdue those past due.
	Acceptance        []AcceptanceClock
	AcceptanceCount   int
	AcceptanceOverdue int

	// Planned lists the planned and postponed exchanges from today to
	// PlannedWindow days ahead, soonest first (at most MaxPlanned);
	// PlannedCount counts them all.
	Planned      []PlannedEngagement
	PlannedCount int

	// Recent are the latest updated exchanges, requests and actions.
	Recent []RecentItem

	// AuthoredChanges counts the changes this device wrote to the log.
	// Until sync exists none of them has been sent anywhere.
	AuthoredChanges int64
	// Device is this store's identity (nil before init).
	Device *Device
}

// PostingCount is a number of records for one posting.
type PostingCount struct {
	Posting string
	Name    string
	Count   int
}

// AcceptanceClock is a placed order waiting for the supplier's answer.
type AcceptanceClock struct {
	ID, Ref, Program, Supplier string
	AcceptanceDue              string // YYYY-MM-DD
	Overdue                    bool
}

// RecentItem is one recently updated record.
type RecentItem struct {
	Kind    Kind // exchange, request or action
	ID      string
	Title   string
	Updated string // RFC 3339, UTC
	Marking        // empty for actions, which carry none
}

// RFIItem is an open request for information.
type RFIItem struct {
	ID, Posting, Kind, Title string
	Due                      string // RFC 3339, or "" when none was set
	Overdue                  bool
	Marking
}
