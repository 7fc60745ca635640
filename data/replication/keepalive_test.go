package replication

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// slowImport is a real store whose imports take a while longer, as a
// million changes' import at a hub does.
type slowImport struct {
	*store.Store
	extra  time.Duration
	refuse error // what the import ends with instead, if not nil
}

func (s slowImport) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	<-time.After(s.extra)
	if s.refuse != nil {
		return data.ImportResult{}, s.refuse
	}
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
	h := &Hub{R: slowImport{Store: hub, extra: 4 * stall}, Limits: Limits{KeepAlive: stall / 4}}
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

// The hub's answer after a long import is written whole even when it
// comes later than the last 102's write deadline would allow.
func TestARefusalAfterALongImportReachesTheDevice(t *testing.T) {
	ctx := context.Background()
	const stall = 300 * time.Millisecond
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev)
	addExchange(t, dev, "For the hub")
	refused := data.Refused("the hub's test refusal")
	// The import ends halfway between two 102s, each written with a
	// deadline (Grace) long past by then.
	const every = stall / 3
	h := &Hub{R: slowImport{Store: hub, extra: 4*stall + every/2, refuse: refused}, Limits: Limits{KeepAlive: every, Grace: every / 10}}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &StallTransport{Stall: stall}}
	_, err := SyncHub(ctx, dev, srv.URL, client)
	if err == nil || !strings.Contains(err.Error(), "the hub's test refusal") {
		t.Fatalf("want the hub's refusal, got %v", err)
	}
}
