package data

import (
	"fmt"
	"io"
)

// Incoming is a batch as it arrives from a sender (a bundle, a hub reply),
// with what identifies it.
type Incoming struct {
	BundleID    string // remembered, so a second import is a visible no-op; "" for none
	Sender      SiteID
	SenderHolds Vector // what the sender held when it made the batch
	// Batch is what arrived. With Pages set it carries the authors and
	// commits only, and Pages gives its changes.
	Batch *Batch
	// Pages, when set, gives the batch's changes a page at a time, from
	// the first each time it is called, so an import can read them once to
	// verify and again to apply while holding one page. A page and its
	// bytes are valid only until page returns. An error from page ends the
	// read and Pages returns it; an error of its own (the spool unreadable,
	// a change malformed) ends it too.
	Pages func(page func([]RawChange) error) error
	// Roster is the organisation's certificates and revocations the sender
	// carried (the sender's own certificate among them): stored before the
	// batch is judged, each checked against the organisation's key.
	Roster []string
	// Rotations is every key rotation statement the sender carried
	// (rotate.go in data/store): stored before the batch is judged, each
	// checked against the key held here for its device.
	Rotations []string
	// Progress, when set, is told how far the import is, in units of
	// work (each change written, then each record merged); called from
	// the importing goroutine.
	Progress func(done, total int)
	// Contents is the attachment content the sender carried, in order;
	// ContentReader gives their bytes back to back, each exactly its
	// size, and nothing after the last. Each is checked against its hash
	// inside the import's transaction.
	Contents      []ContentRef
	ContentReader io.Reader
}

// ImportResult says what an import did.
type ImportResult struct {
	Bundle      string `json:"bundle,omitempty"`
	Replay      bool   `json:"replay"`      // imported before: nothing applied
	Applied     int    `json:"applied"`     // changes new to this store
	AlreadyHad  int    `json:"already_had"` // changes it held already
	Records     int    `json:"records"`     // records the new changes touched
	Conflicts   int    `json:"conflicts"`   // conflicting fields in those records now
	Quarantined int    `json:"quarantined"` // held for review: unknown or revoked author, or a rule broken
	// Changes applied though stamped more than MaxClockLead ahead of this
	// laptop's clock (a peer's clock wrong), the furthest lead, and one
	// line per device saying so.
	FutureStamped     int      `json:"future_stamped,omitempty"`
	FutureLeadSeconds int64    `json:"future_lead_seconds,omitempty"`
	ClockWarnings     []string `json:"clock_warnings,omitempty"`
	// Held lists the commits held for review, and why.
	Held []HeldCommit `json:"held,omitempty"`
	// UnknownKinds counts, per table, the changes new to this store of a
	// kind this version does not know (a newer version wrote them): kept
	// and relayed, never shown (UnknownKindsWarning).
	UnknownKinds map[string]int `json:"unknown_kinds,omitempty"`
}

// HeldCommit is a run of an author's commits an import held for review,
// and why.
type HeldCommit struct {
	Author   string `json:"author"` // site id: the ID to release or discard
	Device   string `json:"device"`
	Officer  string `json:"officer"`
	Claimed  bool   `json:"claimed_by_relayer"` // the officer's name and key came from the relaying peer, not an enrolment
	FirstSeq int64  `json:"first_seq"`
	LastSeq  int64  `json:"last_seq"`
	Changes  int    `json:"changes"`
	Reason   string `json:"reason"` // unknown | revoked | invalid | waits | forged
	Detail   string `json:"detail"` // the reason in words
}

// String names the held commit and why, for a summary.
func (h HeldCommit) String() string {
	who := h.Officer
	if who == "" {
		who = "device " + h.Device
	} else if h.Claimed {
		who += " (claimed by the relaying peer)"
	}
	return fmt.Sprintf("%d changes by %s (%s:%d-%d): %s", h.Changes, who, h.Device, h.FirstSeq, h.LastSeq, h.Detail)
}
