package gui

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// Store is what the screens ask of the store, and no more: a method no
// screen calls does not belong here. *store.Store satisfies it; New takes
// the *store.Store itself only to hand it to the reports and the demo
// generator, which are not screens. Screens call these methods, never SQL.
// Any that may take longer than a frame runs off the UI thread (reloader.go).
type Store interface {
	Initialised() bool
	Init(ctx context.Context, o data.Officer) error
	UpdateOfficer(ctx context.Context, o data.Officer) error
	Path() string

	Postings(ctx context.Context) ([]data.Posting, error)
	Classifications(ctx context.Context) ([]data.Classification, error)
	NDPCategories(ctx context.Context) ([]data.NDPCategory, error)
	LeftOffLevels(ctx context.Context) ([]data.LeftOffLevel, error)
	AddClassification(ctx context.Context, id, after, colour string) (data.Classification, error)
	SetClassificationColour(ctx context.Context, id, colour string) error
	DPASClocks(ctx context.Context) ([]data.ClockSetting, error)
	SetsDPASClocks(ctx context.Context) (bool, error)
	SetDPASClock(ctx context.Context, name string, days int, source string) (data.ClockSetting, error)

	NewPager(kind data.Kind, f data.ListFilter, sort string, desc bool) (*store.Pager, error)
	List(ctx context.Context, kind data.Kind, f data.ListFilter, fn func(data.Record) error) error
	Search(ctx context.Context, query string, o data.SearchOptions) ([]data.Hit, error)
	Get(ctx context.Context, kind data.Kind, id string) (data.Record, error)
	History(ctx context.Context, kind data.Kind, id string) ([]data.HistoryEntry, error)
	ContactStats(ctx context.Context, id string) (data.ContactStats, error)

	Add(ctx context.Context, recs ...data.Record) ([]string, error)
	Save(ctx context.Context, rec data.Record) error
	Amend(ctx context.Context, rec data.Record) error
	Delete(ctx context.Context, kind data.Kind, id string) error
	SetStatusAt(ctx context.Context, id string, to data.RequestStatus, note string, at time.Time) error
	SetVisitStatus(ctx context.Context, id string, to data.VisitStatus, note string) error
	RelGroups(ctx context.Context) ([]data.RelGroup, error)
	NationFlags(ctx context.Context) ([]data.NationFlag, error)
	ActionOwners(ctx context.Context) ([]store.OwnerCount, error)
	ReassignActions(ctx context.Context, from, to string) (int, error)

	SaveDraft(ctx context.Context, d data.Draft) error
	LoadDraft(ctx context.Context, kind data.Kind, id string) (data.Draft, error)
	DeleteDraft(ctx context.Context, kind data.Kind, id string) error

	Backup(ctx context.Context, dest string) error
	Audit(ctx context.Context, q data.AuditQuery) ([]data.Audited, error)

	Attach(ctx context.Context, kind data.Kind, recordID, path string, o store.AttachOptions) (*data.Attachment, error)
	AttachLimit(ctx context.Context) (int64, error)
	SetAttachLimit(ctx context.Context, n int64) error
	Attachments(ctx context.Context, kind data.Kind, recordID string) ([]data.Attachment, error)
	Detach(ctx context.Context, kind data.Kind, recordID, which string) (*data.Attachment, error)
	SaveAttachment(ctx context.Context, hash, dest string) (string, error)
	WriteContent(ctx context.Context, sum string, out io.Writer) error
	Check(ctx context.Context) (*store.CheckReport, error)

	Dashboard(ctx context.Context, today time.Time) (data.Dashboard, error)
	OpenRFIs(ctx context.Context, overdueOnly bool, limit int) ([]data.RFIItem, error)
	DueItems(ctx context.Context, now time.Time, lead int) (data.DueList, error)
	UnsentChanges(ctx context.Context) (int64, error)
	ClockLead(ctx context.Context) (time.Duration, error)
	ConflictCount(ctx context.Context) (int, error)

	// Sync: what bundles, receipts and the hub need of a store, and what
	// the Sync and Conflicts screens and the lists' badges show.
	replication.Replica
	AddPeer(ctx context.Context, name, identityLine string) (data.Peer, error)
	RevokePeer(ctx context.Context, name string) error
	PeerStatuses(ctx context.Context) ([]data.PeerStatus, error)
	Digest(ctx context.Context) (string, error)
	Quarantine(ctx context.Context) ([]data.QuarantineEntry, error)
	ReleaseQuarantine(ctx context.Context, id string) (data.ImportResult, error)
	DiscardQuarantine(ctx context.Context, id string) (int, error)
	Conflicts(ctx context.Context) ([]data.Conflict, error)
	Resolve(ctx context.Context, kind data.Kind, id, field string, value json.RawMessage, keep string) error
	RowMarks(ctx context.Context, kind data.Kind, ids []string) (map[string]data.RowMark, error)

	// The organisation: what Settings shows of it, and what HQ's store does.
	Org(ctx context.Context) (*data.Org, bool, error)
	TrustOrg(ctx context.Context, line string) (data.Org, error)
	RosterRows(ctx context.Context) ([]data.RosterRow, error)
	Enrol(ctx context.Context, identityLine, name string, role data.Role, until string) (data.RosterEntry, data.Certificate, error)
	Revoke(ctx context.Context, who, reason string) (data.Revocation, error)
}

var _ Store = (*store.Store)(nil)
