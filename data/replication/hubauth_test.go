package replication

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"filippo.io/age"

	"liaisondesk/data"
)

// post sends a raw request body to a hub and returns the status and body
// of its answer.
func post(t *testing.T, url string, body io.Reader) (int, string) {
	t.Helper()
	resp, err := http.Post(url+"/v1/sync", "application/octet-stream", body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A stranger learns nothing from the hub's refusal: unknown, revoked and
// forged senders get the same 403, and only the hub's log says which.
func TestTheHubAnswersEveryUnauthenticatedSenderWithTheSame403(t *testing.T) {
	hub := openReplica(t, "Hub", day)
	known, revoked, stranger := openReplica(t, "Cdr K", day), openReplica(t, "Cdr R", day), openReplica(t, "Cdr S", day)
	enrol(t, hub, known, revoked) // at the hub: known is peerb, revoked peerc
	if _, err := stranger.AddPeer(context.Background(), "hub", mustIdentity(t, hub)); err != nil {
		t.Fatal(err)
	}
	if err := hub.RevokePeer(context.Background(), "peerc"); err != nil {
		t.Fatal(err)
	}
	var hubLog bytes.Buffer
	srv := httptest.NewServer((&Hub{R: hub, Log: slog.New(slog.NewTextHandler(&hubLog, nil))}).Handler())
	defer srv.Close()

	// A push by known, its header signed by the stranger's key.
	plain := decrypt(t, hub, bundle(t, known, "peera"))
	header, _, body := split(plain)
	forged := encrypt(t, hub, resign(t, stranger, header, body))

	answers := map[string]string{}
	for name, push := range map[string][]byte{
		"unknown": bundle(t, stranger, "hub"),
		"revoked": bundle(t, revoked, "peera"),
		"forged":  forged,
	} {
		status, msg := post(t, srv.URL, bytes.NewReader(push))
		if status != http.StatusForbidden {
			t.Fatalf("%s: want 403, got %d %q", name, status, msg)
		}
		answers[name] = msg
	}
	t.Run("the bodies are identical", func(t *testing.T) {
		if answers["unknown"] != answers["revoked"] || answers["revoked"] != answers["forged"] {
			t.Fatalf("the answers differ: %q", answers)
		}
		for _, leak := range []string{"revoked", "enrolled", "peerc", "signature"} {
			if strings.Contains(answers["unknown"], leak) {
				t.Fatalf("the answer %q tells a stranger %q", answers["unknown"], leak)
			}
		}
	})
	t.Run("the hub's log keeps the detail", func(t *testing.T) {
		for _, want := range []string{"not an enrolled peer", "peerc", "was revoked", "signature does not verify"} {
			if !strings.Contains(hubLog.String(), want) {
				t.Fatalf("the hub's log does not say %q:\n%s", want, hubLog.String())
			}
		}
	})
	t.Run("a device gets the same 403 through SyncHub, with what to do", func(t *testing.T) {
		_, err := SyncHub(context.Background(), revoked, srv.URL, nil)
		var he *HubError
		if !errors.As(err, &he) || he.Status != http.StatusForbidden || he.Message != strings.TrimSpace(answers["unknown"]) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("the 403 comes before the body is read", func(t *testing.T) {
		// The stranger's header, then a body that never ends: the
		// answer must not wait for it.
		id, _ := hub.Identity(context.Background())
		rec, _ := age.ParseX25519Recipient(id.AgeRecipient)
		plain := decrypt(t, hub, bundle(t, stranger, "hub"))
		header, _, _ := split(plain)
		var h Header
		json.Unmarshal(header, &h)
		h.BodySize = 100 << 20
		nh, _ := json.Marshal(h)
		pr, pw := io.Pipe()
		defer pw.Close()
		go func() {
			enc, err := age.Encrypt(pw, rec)
			if err != nil {
				return
			}
			// More than one 64 KiB chunk, so the first goes out; then nothing.
			enc.Write(join(nh, make([]byte, 64), make([]byte, 128<<10)))
		}()
		status, msg := post(t, srv.URL, pr)
		if status != http.StatusForbidden || msg != answers["unknown"] {
			t.Fatalf("want the same 403, got %d %q", status, msg)
		}
	})
}

// A captured request sent again gets 409 and nothing back; the hub logs
// it as a replay and applies nothing.
func TestAReplayedHubRequestGets409AndNoReply(t *testing.T) {
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev) // dev is peerb at the hub; the hub is peera at dev
	addExchange(t, dev, "Once")
	addExchange(t, hub, "For the device")
	var hubLog bytes.Buffer
	srv := httptest.NewServer((&Hub{R: hub, Log: slog.New(slog.NewTextHandler(&hubLog, nil))}).Handler())
	defer srv.Close()
	captured := bundle(t, dev, "peera")
	if status, _ := post(t, srv.URL, bytes.NewReader(captured)); status != http.StatusOK {
		t.Fatalf("the first request got %d", status)
	}
	before := storeState(t, hub)
	status, msg := post(t, srv.URL, bytes.NewReader(captured))
	if status != http.StatusConflict || strings.HasPrefix(msg, "age-encryption.org") {
		t.Fatalf("the replay got %d %.100q", status, msg)
	}
	if !strings.Contains(hubLog.String(), "replay") {
		t.Fatalf("the hub's log does not say replay:\n%s", hubLog.String())
	}
	if storeState(t, hub) != before {
		t.Fatal("the replay changed the hub's store")
	}
	t.Run("a device's syncs never reuse a bundle id", func(t *testing.T) {
		for range 3 {
			if _, err := SyncHub(context.Background(), dev, srv.URL, nil); err != nil {
				t.Fatalf("a sync after the replay: %v", err)
			}
		}
		if countExchanges(t, dev) != 2 {
			t.Fatal("the device did not get the hub's record")
		}
	})
}

// A push refused for a gap is remembered too: sent again, it is a replay.
func TestARequestRefusedForAGapIsAReplayWhenSentAgain(t *testing.T) {
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev)
	addExchange(t, dev, "One")
	addExchange(t, dev, "Two")
	// The device believes the hub holds its first change: the push
	// carries only the second.
	dv, _ := dev.Vector(context.Background())
	ds, _ := dev.Device()
	hs, _ := hub.Device()
	if err := dev.RecordAck(context.Background(), hs.Site, data.Vector{ds.Site: dv[ds.Site] - 1}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	push := bundle(t, dev, "peera")
	if status, _ := post(t, srv.URL, bytes.NewReader(push)); status != http.StatusPreconditionFailed {
		t.Fatalf("a push with a gap got %d", status)
	}
	if status, _ := post(t, srv.URL, bytes.NewReader(push)); status != http.StatusConflict {
		t.Fatalf("the same push again got %d", status)
	}
}
