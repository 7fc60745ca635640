package replication

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"liaisondesk/data"
)

// addsHeader is a relayer that adds a header to every request it passes.
type addsHeader struct{ key, value string }

func (a addsHeader) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(a.key, a.value)
	return http.DefaultTransport.RoundTrip(req)
}

// A relayer that turns a full sync into a push-only one (the request
// header is not signed) gets the laptop's push applied, but the laptop
// does not report the sync as done: it pulled nothing of what it lacks.
func TestAFullSyncAnsweredWithTheHubsVectorOnlyIsRefused(t *testing.T) {
	ctx := context.Background()
	hub, a, b := openReplica(t, "Hub", day), openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, hub, a, b)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	addExchange(t, a, "From A")
	if _, err := SyncHub(ctx, a, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	relayer := &http.Client{Transport: addsHeader{replyHeader, replyVector}}
	_, err := SyncHub(ctx, b, srv.URL, relayer)
	if !errors.Is(err, data.ErrRefused) {
		t.Fatalf("a full sync answered with the vector only: %v, want a refusal", err)
	}
	if n := countExchanges(t, b); n != 0 {
		t.Fatalf("the laptop holds %d exchanges, want none", n)
	}
	if _, err := SyncHub(ctx, b, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if n := countExchanges(t, b); n != 1 || digest(t, b) != digest(t, hub) {
		t.Fatalf("after a full sync the laptop holds %d exchanges, want 1, and the hub's digest", n)
	}
}
