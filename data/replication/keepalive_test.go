package replication

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// slowImport is a real store whose imports take a while longer, as a
// million changes' import at a hub does.
type slowImport struct {
	*store.Store
	extra time.Duration
}

func (s slowImport) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	<-time.After(s.extra)
	return s.Store.Import(ctx, in)
}

// A hub that works on a push longer than the device's stall timeout
// tells the device it is still at work (102 Processing), and the device
// waits for its answer instead of giving up on it.
func TestAPushTheHubWorksOnLongerThanTheStallTimeoutIsWaitedFor(t *testing.T) {
	ctx := context.Background()
	const stall = 300 * time.Millisecond
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev)
	addExchange(t, dev, "For the hub")
	h := &Hub{R: slowImport{hub, 4 * stall}, Limits: Limits{KeepAlive: stall / 4}}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &StallTransport{Stall: stall}}
	start := time.Now()
	res, err := SyncHub(ctx, dev, srv.URL, client)
	if err != nil {
		t.Fatalf("a hub at work was abandoned: %v", err)
	}
	if took := time.Since(start); took < 2*stall {
		t.Fatalf("the sync took %s: the test did not outlast the stall timeout", took)
	}
	if res.AtHub.Applied == 0 || countExchanges(t, hub) != 1 {
		t.Fatalf("the hub did not take the device's record (applied %d)", res.AtHub.Applied)
	}
}
