package replication

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// A reply to a hub sync that another peer signed is refused before any of
// it is applied: the refusal changes nothing.
func TestAHubReplySignedByAnotherPeerIsRefusedAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	dev, hub, other := openReplica(t, "Cdr D", day), openReplica(t, "Hub", day), openReplica(t, "Cdr O", day)
	enrol(t, dev, hub, other)
	addExchange(t, other, "From O, not from the hub")
	reply := bundle(t, other, "peera") // dev is peera
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/identity" {
			fmt.Fprintln(w, mustIdentity(t, hub))
			return
		}
		io.Copy(io.Discard, r.Body)
		w.Write(reply)
	}))
	defer srv.Close()
	before := storeState(t, dev)
	_, err := SyncHub(ctx, dev, srv.URL, nil)
	if !errors.Is(err, data.ErrRefused) {
		t.Fatalf("a reply from another peer was not refused: %v", err)
	}
	if storeState(t, dev) != before || countExchanges(t, dev) != 0 {
		t.Fatal("the refused reply changed the store")
	}
}

// revokingHub revokes a peer as soon as it has imported a push: a
// revocation that lands during a sync.
type revokingHub struct {
	*store.Store
	peer string
}

func (r revokingHub) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	res, err := r.Store.Import(ctx, in)
	if err == nil {
		err = r.Store.RevokePeer(ctx, r.peer)
	}
	return res, err
}

// A device revoked while its sync is under way gets 403, not the hub's
// changes.
func TestADeviceRevokedDuringItsSyncGetsNothingBack(t *testing.T) {
	ctx := context.Background()
	dev, hub := openReplica(t, "Cdr D", day), openReplica(t, "Hub", day)
	enrol(t, dev, hub) // dev is peera at the hub
	addExchange(t, hub, "Not for a revoked device")
	srv := httptest.NewServer((&Hub{R: revokingHub{hub, "peera"}}).Handler())
	defer srv.Close()
	_, err := SyncHub(ctx, dev, srv.URL, nil)
	var he *HubError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("want 403, got %v", err)
	}
	if countExchanges(t, dev) != 0 {
		t.Fatal("the revoked device received the hub's changes")
	}
}

func TestPlainHTTPIsOnlyForAHubOnThisMachine(t *testing.T) {
	for url, ok := range map[string]bool{
		"http://127.0.0.1:8765":        true,
		"http://localhost:8765":        true,
		"https://hub.example.mil:8443": true,
		"http://hub.example.mil:8080":  false,
		"http://10.1.2.3:8080":         false,
		"hub.example.mil":              false,
		"ftp://hub.example.mil":        false,
	} {
		if err := checkHubURL(url); (err == nil) != ok {
			t.Errorf("%s: %v", url, err)
		}
	}
}
