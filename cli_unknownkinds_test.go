package main

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// A bundle relaying a change of a kind this version does not know imports
// with exit 0, and the command line warns the officer to upgrade.
func TestBundleImportWarnsOfAKindThisVersionDoesNotKnow(t *testing.T) {
	ctx := context.Background()
	relay, here := twoEnrolledStores(t) // relay knows here as "b"; here knows relay as "a"

	// A laptop running a newer version, trusted by both.
	newer, err := store.Open(ctx, filepath.Join(t.TempDir(), "newer.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer newer.Close()
	if err := newer.Init(ctx, data.Officer{Name: "Cdr N", Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	id, err := newer.Identity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{relay, here} {
		if r := liaisondesk(t, db, "", "peers", "add", "newer", id.String()); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	dev, err := newer.Device()
	if err != nil {
		t.Fatal(err)
	}
	v, err := newer.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seq := v[dev.Site] + 1
	raw := data.RawChange{ID: data.ChangeID{Site: dev.Site, Seq: seq}, HLC: data.HLC(uint64(time.Now().UnixMilli()) << 16),
		Table: "future_things", RowID: "0190c0de-0000-7000-8000-000000000001", Fields: []byte(`{"name":"a thing"}`), Schema: data.SchemaVersion}
	h := raw.Hash()
	batch := &data.Batch{
		Commits: []data.Commit{{Site: dev.Site, FirstSeq: seq, LastSeq: seq, Hashes: h[:],
			Signature: ed25519.Sign(dev.PrivateKey, data.CommitMessage(dev.Site, seq, seq, h[:]))}},
		Changes: []data.RawChange{raw},
		Authors: []data.Author{{Site: dev.Site, PublicKey: dev.PublicKey(), Officer: dev.Officer}},
	}
	rs, err := store.Open(ctx, relay)
	if err != nil {
		t.Fatal(err)
	}
	known, err := newer.Outgoing(ctx, nil) // the newer laptop's earlier work, of known kinds
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Import(ctx, data.Incoming{Sender: dev.Site, Batch: known}); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Import(ctx, data.Incoming{Sender: dev.Site, Batch: batch}); err != nil {
		t.Fatalf("the relay refused a change of an unknown kind: %v", err)
	}
	rs.Close()

	file := filepath.Join(t.TempDir(), "relay.ldbundle")
	if r := liaisondesk(t, relay, "", "bundle", "create", "--to", "b", "-o", file); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := liaisondesk(t, here, "", "bundle", "import", file)
	want := "liaisondesk bundle import: warning: 1 change of a kind this version does not know (future_things): upgrade Liaison Desk to see them; they are kept and passed on"
	if r.code != 0 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stdout, `"unknown_kinds"`) {
		t.Fatalf("got %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if r := liaisondesk(t, here, "", "check"); r.code != 0 {
		t.Fatalf("check reports a change of an unknown kind as a problem: %s %s", r.stdout, r.stderr)
	}
}
