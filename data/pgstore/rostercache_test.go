package pgstore

import (
	"context"
	"net/http/httptest"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/replication/replicatest"
)

// Each hub process keeps the roster it parsed last (rosterCache): an
// organisation's revocation that reaches the database through one
// process still counts at the next request in another that holds the
// roster from before.
func TestAnOrganisationsRevocationThroughOneProcessCountsAtTheNextRequestInAnother(t *testing.T) {
	ctx := context.Background()
	first, url := openHub(t, replicatest.Day)
	second, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	hq, l := laptopStore(t, "Cdr HQ"), laptopStore(t, "Cdr A")
	org, _, err := hq.InitOrg(ctx, "Indian Navy")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.TrustOrg(ctx, org.String()); err != nil {
		t.Fatal(err)
	}
	hubID, _ := first.Identity(ctx)
	lID, _ := l.Identity(ctx)
	if _, _, err := hq.Enrol(ctx, hubID.String(), "hub", data.RoleHub, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := hq.Enrol(ctx, lID.String(), "laptopa", data.RoleLaptop, "2099-12-31"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&replication.Hub{R: first}).Handler())
	defer srv.Close()
	if _, err := replication.SyncHub(ctx, hq, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := second.SenderKey(ctx, lID.Site); err != nil {
		t.Fatalf("a device the organisation certified is unknown to the other process: %v", err)
	}
	if _, err := hq.Revoke(ctx, "laptopa", "lost in transit"); err != nil {
		t.Fatal(err)
	}
	if _, err := replication.SyncHub(ctx, hq, srv.URL, nil); err != nil { // the revocation reaches the database
		t.Fatal(err)
	}
	if _, err := second.SenderKey(ctx, lID.Site); err == nil {
		t.Fatal("a device the organisation revoked through one process is still trusted by the other")
	}
}
