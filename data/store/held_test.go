package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"liaisondesk/data"
)

// usedBytes is the store's size in use: its pages less the free ones.
func usedBytes(t *testing.T, s *Store) int64 {
	t.Helper()
	var pages, free, size int64
	ctx := context.Background()
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	return (pages - free) * size
}

// enrolled makes s trust peer under name.
func enrolled(t *testing.T, s *Store, name string, peer *Store) {
	t.Helper()
	if _, err := s.AddPeer(context.Background(), name, mustIdentityOf(t, peer).String()); err != nil {
		t.Fatal(err)
	}
}

func siteOf(t *testing.T, s *Store) *data.Device {
	t.Helper()
	d, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A commit held for review is stored once, not once per change: holding a
// 10,000-change commit costs about what applying it does.
func TestAHeldCommitIsStoredOnce(t *testing.T) {
	ctx := context.Background()
	const n = 10_000
	author, relay := openTestStore(t), openTestStore(t)
	recs := make([]data.Record, n)
	for i := range recs {
		e := sampleExchange()
		e.Title = fmt.Sprintf("Bulk exchange %d", i)
		recs[i] = e
	}
	if _, err := author.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	batch, err := author.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	grow := func(s *Store) int64 {
		before := usedBytes(t, s)
		res, err := s.Import(ctx, data.Incoming{Sender: siteOf(t, relay).Site, Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied+res.Quarantined < n {
			t.Fatalf("imported %+v", res)
		}
		return usedBytes(t, s) - before
	}
	holding, applying := openTestStore(t), openTestStore(t)
	enrolled(t, holding, "relay", relay)
	enrolled(t, applying, "relay", relay)
	enrolled(t, applying, "author", author)
	held, applied := grow(holding), grow(applying)
	t.Logf("held: %d bytes, applied: %d bytes, ratio %.2f", held, applied, float64(held)/float64(applied))
	if q, _ := holding.Quarantine(ctx); len(q) != 1 || q[0].Changes < n {
		t.Fatalf("held: %+v", q)
	}
	if held > 2*applied {
		t.Fatalf("holding the commit took %d bytes, more than twice applying it (%d)", held, applied)
	}
	t.Run("and applies whole once released", func(t *testing.T) {
		q, _ := holding.Quarantine(ctx)
		res, err := holding.ReleaseQuarantine(ctx, q[0].Author)
		if err != nil || res.Applied < n {
			t.Fatalf("released: %+v %v", res, err)
		}
		checkStoreClean(t, holding)
	})
}

func checkStoreClean(t *testing.T, s *Store) {
	t.Helper()
	r, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) > 0 {
		t.Fatalf("check: %v", r.Problems)
	}
}

// forgedAs is a batch m makes in x's name, holding m's own exchange titled
// title, signed with a key m invented.
func forgedAs(t *testing.T, m *Store, x data.SiteID, title string) *data.Batch {
	t.Helper()
	e := sampleExchange()
	e.Title = title
	if _, err := m.Add(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	batch, err := m.Outgoing(context.Background(), data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	_, invented, _ := ed25519.GenerateKey(rand.Reader)
	return forgeAs(batch, x, invented)
}

func titles(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.rdb.Query(`SELECT title FROM exchanges ORDER BY title`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}

// An enrolled peer relays changes it made up in the name of an officer this
// laptop has not enrolled; the officer's genuine changes arrive later from
// another peer. Both versions are kept and shown; once the officer's device
// is enrolled, the genuine one applies and the forgery does not.
func TestRelayedForgeriesDoNotDisplaceTheGenuineChanges(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (b, x, m, q *Store, forged *data.Batch) {
		b, x, m, q = openTestStore(t), openTestStore(t), openTestStore(t), openTestStore(t)
		enrolled(t, b, "m", m)
		enrolled(t, b, "q", q)
		enrolled(t, q, "x", x)
		e := sampleExchange()
		e.Title = "Genuine"
		if _, err := x.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
		xb, _ := x.Outgoing(ctx, data.Vector{})
		if _, err := q.Import(ctx, data.Incoming{Sender: siteOf(t, x).Site, Batch: xb}); err != nil {
			t.Fatal(err)
		}
		return b, x, m, q, forgedAs(t, m, siteOf(t, x).Site, "Forged")
	}
	relayedBy := func(t *testing.T, to, from *Store, batch *data.Batch) (data.ImportResult, error) {
		if batch == nil {
			var err error
			if batch, err = from.Outgoing(ctx, data.Vector{}); err != nil {
				t.Fatal(err)
			}
		}
		return to.Import(ctx, data.Incoming{Sender: siteOf(t, from).Site, Batch: batch})
	}
	t.Run("the genuine changes arriving after the forgery are held too, as a conflict", func(t *testing.T) {
		b, x, m, q, forged := setup(t)
		if res, err := relayedBy(t, b, m, forged); err != nil || res.Quarantined == 0 {
			t.Fatalf("forgery not held: %+v %v", res, err)
		}
		res, err := relayedBy(t, b, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.AlreadyHad > 0 || res.Quarantined == 0 {
			t.Fatalf("the genuine changes were taken for the forgery: %+v", res)
		}
		held, _ := b.Quarantine(ctx)
		xs := siteOf(t, x).Site.String()
		var mine []data.QuarantineEntry
		for _, e := range held {
			if e.Author == xs {
				mine = append(mine, e)
			}
		}
		if len(mine) != 2 || !mine[0].Conflict || !mine[1].Conflict || !mine[0].Claimed || !mine[1].Claimed {
			t.Fatalf("both versions are not shown as a conflict claimed by the relaying peers: %+v", held)
		}
		if _, err := b.ReleaseQuarantine(ctx, xs); !errors.Is(err, data.ErrInvalid) || // enrolling the officer tells the genuine ones:
			!errors.Is(err, data.ErrTwoKeys) && !errors.Is(err, data.ErrTwoHistories) {
			t.Fatalf("a conflict released on a relaying peer's word: %v", err)
		}
		enrolled(t, b, "x", x)
		if res, err := relayedBy(t, b, q, nil); err != nil || res.Applied == 0 {
			t.Fatalf("the genuine changes did not apply once the officer was enrolled: %+v %v", res, err)
		}
		if got := titles(t, b); strings.Join(got, ",") != "Genuine" {
			t.Fatalf("exchanges: %v", got)
		}
		if _, err := relayedBy(t, b, m, forged); !errors.Is(err, data.ErrRefused) {
			t.Fatalf("the forgery relayed again was not refused: %v", err)
		}
		held, _ = b.Quarantine(ctx)
		if len(held) != 1 || held[0].Reason != "forged" {
			t.Fatalf("the forgery is not held as one: %+v", held)
		}
		checkStoreClean(t, b)
	})
	t.Run("a release never pins an invented key over the one the officer's changes were released with", func(t *testing.T) {
		b, x, m, q, forged := setup(t)
		if _, err := relayedBy(t, b, q, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ReleaseQuarantine(ctx, siteOf(t, x).Site.String()); err != nil {
			t.Fatal(err)
		}
		res, err := relayedBy(t, b, m, forged)
		if err != nil || len(res.Held) != 1 || res.Held[0].Reason != "forged" {
			t.Fatalf("the forgery after a release: %+v %v", res, err)
		}
		if _, err := b.ReleaseQuarantine(ctx, siteOf(t, x).Site.String()); !errors.Is(err, data.ErrRefused) {
			t.Fatalf("a forgery released over the officer's key: %v", err)
		}
		if got := titles(t, b); strings.Join(got, ",") != "Genuine" {
			t.Fatalf("exchanges: %v", got)
		}
		if held := mustQuarantine(t, b); len(held) != 1 || !held[0].Conflict {
			t.Fatalf("the forgery is not shown as a conflict with what was applied: %+v", held)
		}
		checkStoreClean(t, b)
	})
	t.Run("a forgery released before the genuine changes came leaves the log once the officer is enrolled", func(t *testing.T) {
		b, x, m, q, forged := setup(t)
		if _, err := relayedBy(t, b, m, forged); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ReleaseQuarantine(ctx, siteOf(t, x).Site.String()); err != nil {
			t.Fatal(err)
		}
		if got := titles(t, b); strings.Join(got, ",") != "Forged" {
			t.Fatalf("exchanges after the release: %v", got)
		}
		// The genuine changes do not verify with the key the release
		// pinned: held, not refused, not lost.
		if res, err := relayedBy(t, b, q, nil); err != nil || res.Quarantined == 0 {
			t.Fatalf("the genuine changes after a released forgery: %+v %v", res, err)
		}
		enrolled(t, b, "x", x)
		if got := titles(t, b); len(got) != 0 {
			t.Fatalf("the forgery stayed in the records after enrolling the officer: %v", got)
		}
		checkStoreClean(t, b)
		for _, e := range mustQuarantine(t, b) {
			if e.Claimed || (e.Reason == "forged") == (e.Sender == "q") {
				t.Fatalf("after the enrolment, the versions are not told apart: %+v", e)
			}
		}
		if res, err := relayedBy(t, b, q, nil); err != nil || res.Applied == 0 {
			t.Fatalf("the genuine changes did not apply once the officer was enrolled: %+v %v", res, err)
		}
		if got := titles(t, b); strings.Join(got, ",") != "Genuine" {
			t.Fatalf("exchanges: %v", got)
		}
		held, _ := b.Quarantine(ctx)
		if len(held) != 1 || held[0].Reason != "forged" {
			t.Fatalf("the forgery is not held as one: %+v", held)
		}
		checkStoreClean(t, b)
	})
}

// resigned is batch, made by x, with one field of row rowID set to value
// (bytes as given, even invalid ones) and signed again with x's own key:
// what a peer running other code, or a hand-made change, can send.
func resigned(t *testing.T, x *Store, batch *data.Batch, rowID, field string, value []byte) *data.Batch {
	t.Helper()
	for i := range batch.Changes {
		c := &batch.Changes[i]
		if c.RowID != rowID {
			continue
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(c.Fields, &fields); err != nil {
			t.Fatal(err)
		}
		fields[field] = json.RawMessage(`"@@"`)
		b, _ := json.Marshal(fields)
		c.Fields = []byte(strings.Replace(string(b), `"@@"`, string(value), 1))
	}
	return forgeAs(batch, siteOf(t, x).Site, siteOf(t, x).PrivateKey)
}

// Imported changes are held to the forms' rules: a commit holding a change
// that breaks one is held for review with the reason, its author's later
// commits wait behind it, and the rest of the push applies.
func TestImportedChangesKeepTheFormsRules(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		field string
		value string
		why   string
	}{
		{"a title longer than 200 characters", "title", `"` + strings.Repeat("T", 250) + `"`, "title is longer than 200 characters"},
		{"a summary longer than 20,000 characters", "summary", `"` + strings.Repeat("S", 20_001) + `"`, "summary is longer than 20000 characters"},
		{"a bidirectional override", "title", `"Harmless\u202Eexe.txt"`, "title contains a bidirectional control character (U+202E)"},
		{"raw bidirectional isolate", "summary", "\"Harmless\u2067 isolate\"", "summary contains a bidirectional control character (U+2067)"},
		{"invalid UTF-8", "title", "\"bad \xff byte\"", "not valid UTF-8"},
		{"a title on two lines", "title", `"One\nTwo"`, "title must be a single line"},
		{"too many tags", "tags", `[` + strings.Repeat(`"t",`, 50) + `"t"]`, "tags has 51 items, at most 50"},
		{"a number for a title", "title", `12`, "title is not text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, x, m := openTestStore(t), openTestStore(t), openTestStore(t)
			enrolled(t, b, "m", m)
			enrolled(t, b, "x", x)
			ids, err := x.Add(ctx, sampleExchange())
			if err != nil {
				t.Fatal(err)
			}
			later := sampleExchange()
			later.Title = "Later by x"
			if _, err := x.Add(ctx, later); err != nil {
				t.Fatal(err)
			}
			xb, _ := x.Outgoing(ctx, data.Vector{})
			bad := resigned(t, x, xb, ids[0], tc.field, []byte(tc.value))
			// m relays x's commits with its own work.
			mine := sampleExchange()
			mine.Title = "Relayer's own"
			if _, err := m.Add(ctx, mine); err != nil {
				t.Fatal(err)
			}
			push, _ := m.Outgoing(ctx, data.Vector{})
			push.Authors = append(push.Authors, bad.Authors...)
			push.Commits = append(push.Commits, bad.Commits...)
			push.Changes = append(push.Changes, bad.Changes...)

			res, err := b.Import(ctx, data.Incoming{Sender: siteOf(t, m).Site, Batch: push})
			if err != nil {
				t.Fatalf("the push was refused: %v", err)
			}
			if got := strings.Join(titles(t, b), ","); got != "Relayer's own" {
				t.Fatalf("exchanges after the push: %q (held: %+v)", got, res.Held)
			}
			if len(res.Held) != 2 || res.Held[0].Reason != "invalid" || !strings.Contains(res.Held[0].Detail, tc.why) ||
				res.Held[1].Reason != "waits" || !strings.Contains(res.Held[1].Detail, "waits behind a held commit") {
				t.Fatalf("held: %+v", res.Held)
			}
			held, _ := b.Quarantine(ctx)
			if len(held) != 2 || !strings.Contains(held[0].Detail+held[1].Detail, tc.why) {
				t.Fatalf("the held list does not say why: %+v", held)
			}
			// Still later commits of x wait too.
			latest := sampleExchange()
			latest.Title = "Latest by x"
			if _, err := x.Add(ctx, latest); err != nil {
				t.Fatal(err)
			}
			xb, _ = x.Outgoing(ctx, data.Vector{})
			last := &data.Batch{Authors: xb.Authors, Commits: xb.Commits[len(xb.Commits)-1:], Changes: changesIn(xb, xb.Commits[len(xb.Commits)-1:])}
			res, err = b.Import(ctx, data.Incoming{Sender: siteOf(t, x).Site, Batch: last})
			if err != nil || res.Quarantined == 0 || len(res.Held) != 1 || res.Held[0].Reason != "waits" {
				t.Fatalf("a later commit did not wait: %+v %v", res, err)
			}
			checkStoreClean(t, b)
			if tc.field == "title" && tc.value == "12" {
				// Not text at all: it cannot be released, only discarded;
				// then what waited behind it applies when relayed again.
				if _, err := b.ReleaseQuarantine(ctx, siteOf(t, x).Site.String()); err == nil || !strings.Contains(err.Error(), "title") {
					t.Fatalf("released a title that is not text: %v", err)
				}
				if _, err := b.DiscardQuarantine(ctx, siteOf(t, x).Site.String()); err != nil {
					t.Fatal(err)
				}
				xb, _ = x.Outgoing(ctx, data.Vector{})
				bad = resigned(t, x, xb, ids[0], tc.field, []byte(tc.value))
				if res, err := b.Import(ctx, data.Incoming{Sender: siteOf(t, x).Site, Batch: bad}); err != nil || res.Applied != 2 {
					t.Fatalf("after the discard: %+v %v", res, err)
				}
				checkStoreClean(t, b)
				return
			}
			// The officer reviews it and lets it in.
			if res, err := b.ReleaseQuarantine(ctx, siteOf(t, x).Site.String()); err != nil || res.Applied == 0 {
				t.Fatalf("release: %+v %v", res, err)
			}
			if got := titles(t, b); len(got) != 4 {
				t.Fatalf("exchanges after the release: %q", got)
			}
			if q, _ := b.Quarantine(ctx); len(q) != 0 {
				t.Fatalf("still held after the release: %+v", q)
			}
			checkStoreClean(t, b)
			// Relayed again with a new commit, the released one is had
			// already, and holds nothing back.
			newest := sampleExchange()
			newest.Title = "Newest by x"
			if _, err := x.Add(ctx, newest); err != nil {
				t.Fatal(err)
			}
			xb, _ = x.Outgoing(ctx, data.Vector{})
			again := resigned(t, x, xb, ids[0], tc.field, []byte(tc.value))
			if res, err := b.Import(ctx, data.Incoming{Sender: siteOf(t, x).Site, Batch: again}); err != nil || res.Applied != 1 || len(res.Held) != 0 {
				t.Fatalf("relayed again after the release: %+v %v", res, err)
			}
			checkStoreClean(t, b)
		})
	}
}

// withoutSite drops a site's commits and changes from a batch.
func withoutSite(b *data.Batch, site data.SiteID) *data.Batch {
	out := &data.Batch{Authors: b.Authors}
	for _, c := range b.Commits {
		if c.Site != site {
			out.Commits = append(out.Commits, c)
		}
	}
	for _, c := range b.Changes {
		if c.ID.Site != site {
			out.Changes = append(out.Changes, c)
		}
	}
	return out
}

// changesIn are the changes of b the commits cover.
func changesIn(b *data.Batch, commits []data.Commit) []data.RawChange {
	var out []data.RawChange
	for _, c := range b.Changes {
		for _, cm := range commits {
			if c.ID.Site == cm.Site && c.ID.Seq >= cm.FirstSeq && c.ID.Seq <= cm.LastSeq {
				out = append(out, c)
			}
		}
	}
	return out
}

// What a store held for review before held commits were stored once (as
// migration 007 kept it, the commit with every change) is still listed,
// and can be released, after the upgrade.
func TestChangesHeldBeforeTheUpgradeAreStillHeld(t *testing.T) {
	ctx := context.Background()
	b, _, m, forged, id := forgery(t)
	if _, err := b.Import(ctx, data.Incoming{Sender: siteOf(t, m).Site, Batch: forged}); err != nil {
		t.Fatal(err)
	}
	// Back to 008: the held rows in 007's table, one per change.
	for _, q := range []string{
		`INSERT INTO quarantine (author, seq, hlc, tbl, row_id, fields, parents, schema, commit_first, commit_last, commit_hashes, commit_sig,
			author_key, author_officer, sender, reason, received_at)
		 SELECT h.author, c.seq, c.hlc, c.tbl, c.row_id, c.fields, c.parents, c.schema, h.first_seq, h.last_seq, h.hashes, h.signature,
			h.author_key, h.author_officer, h.sender, h.reason, h.received_at FROM held_changes c JOIN held_commits h ON h.id = c.held`,
		`DROP TABLE held_changes`, `DROP TABLE held_commits`, `DROP TABLE held_discarded`,
		`DELETE FROM schema_migrations WHERE name = '009_held_commits.sql'`,
	} {
		if _, err := b.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	path := b.path
	b.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	held, err := b.Quarantine(ctx)
	if err != nil || len(held) != 1 || held[0].Changes != len(forged.Changes) || held[0].Reason != "unknown" {
		t.Fatalf("held after the upgrade: %+v %v", held, err)
	}
	var old int
	if err := b.db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine`).Scan(&old); err != nil || old != 0 {
		t.Fatalf("007's table still holds %d rows: %v", old, err)
	}
	if _, err := b.ReleaseQuarantine(ctx, held[0].Author); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, "exchange", id); err != nil {
		t.Fatalf("the released record: %v", err)
	}
	checkStoreClean(t, b)
}

// A store that released a forgery and enrolled the genuine device before
// enrolment settled such keys fails its check, saying how to repair it;
// enrolling the device again repairs it.
func TestCheckFindsAKeyPinnedOverTheEnrolledOne(t *testing.T) {
	ctx := context.Background()
	b, x, m, forged, _ := forgery(t)
	if _, err := b.Import(ctx, data.Incoming{Sender: siteOf(t, m).Site, Batch: forged}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ReleaseQuarantine(ctx, siteOf(t, x).Site.String()); err != nil {
		t.Fatal(err)
	}
	// As an older version left it: enrolled, the invented key still pinned.
	id := mustIdentityOf(t, x)
	if _, err := b.db.ExecContext(ctx, `INSERT INTO peers (name, site_id, public_key, age_recipient, officer, added_at) VALUES ('x', ?, ?, ?, ?, '')`,
		id.Site[:], []byte(id.PublicKey), id.AgeRecipient, id.Officer); err != nil {
		t.Fatal(err)
	}
	r, err := b.Check(ctx)
	if err != nil || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "enrol it again") {
		t.Fatalf("check: %+v %v", r, err)
	}
	if err := b.RevokePeer(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	enrolled(t, b, "x", x)
	checkStoreClean(t, b)
	if held, _ := b.Quarantine(ctx); len(held) != 1 || held[0].Reason != "forged" {
		t.Fatalf("the forgery is not back in review: %+v", held)
	}
}

func mustQuarantine(t *testing.T, s *Store) []data.QuarantineEntry {
	t.Helper()
	q, err := s.Quarantine(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return q
}
