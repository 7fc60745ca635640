package replication

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// get fetches a path of a hub and returns its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metricValue is the value of one series in a /metrics answer, "" when
// it is absent.
func metricValue(metrics, series string) string {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(metrics)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestAHubAnswersItsHealthCheck(t *testing.T) {
	hub := openReplica(t, "Hub", day)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	if status, body := get(t, srv.URL+"/healthz"); status != http.StatusOK || body != "ok\n" {
		t.Fatalf("healthz: %d %q", status, body)
	}
}

// /metrics counts syncs, changes both ways, refusals by reason and the
// time syncs take, in the Prometheus text format; it names no device,
// officer or site, whoever synced.
func TestAHubsMetricsCountSyncsAndRefusalsAndNameNoDevice(t *testing.T) {
	ctx := context.Background()
	hub, dev := openReplica(t, "Hub Metrics", day), openReplica(t, "Cdr Dev", day)
	stranger := openReplica(t, "Cdr Stranger", day)
	enrol(t, hub, dev) // at the hub: dev is peerb
	if _, err := stranger.AddPeer(ctx, "hub", mustIdentity(t, hub)); err != nil {
		t.Fatal(err)
	}
	addExchange(t, dev, "Pushed")
	addExchange(t, hub, "Pulled")
	var logged syncBuffer
	srv := httptest.NewServer((&Hub{R: hub, Log: slog.New(slog.NewTextHandler(&logged, nil))}).Handler())
	defer srv.Close()
	res, err := SyncHub(ctx, dev, srv.URL, nil)
	if err != nil || res.AtHub.Applied == 0 || res.Pulled.Applied == 0 {
		t.Fatalf("sync: %+v %v", res, err)
	}
	in, out := strconv.Itoa(res.AtHub.Applied), strconv.Itoa(res.Pulled.Applied)
	if status, _ := post(t, srv.URL, bytes.NewReader(bundle(t, stranger, "hub"))); status != http.StatusForbidden {
		t.Fatalf("the stranger got %d", status)
	}
	status, metrics := get(t, srv.URL+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("metrics: %d", status)
	}
	for series, want := range map[string]string{
		`liaisondesk_hub_syncs_total{outcome="synced"}`:      "1",
		`liaisondesk_hub_syncs_total{outcome="refused"}`:     "1",
		`liaisondesk_hub_refusals_total{reason="forbidden"}`: "1",
		`liaisondesk_hub_refusals_total{reason="replay"}`:    "0",
		`liaisondesk_hub_changes_received_total`:             in,
		`liaisondesk_hub_changes_sent_total`:                 out,
		`liaisondesk_hub_sync_duration_seconds_count`:        "2",
		`liaisondesk_hub_syncs_in_flight`:                    "0",
	} {
		if got := metricValue(metrics, series); got != want {
			t.Errorf("%s = %q, want %s", series, got, want)
		}
	}
	for _, s := range []struct {
		s    *store.Store
		name string
	}{{dev, "peerb"}, {stranger, "Cdr Stranger"}, {hub, "Hub Metrics"}} {
		d, err := s.s.Device()
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{s.name, d.Officer, d.Site.String(), d.Site.ShortCode()} {
			if strings.Contains(metrics, leak) {
				t.Errorf("the metrics name %q", leak)
			}
		}
	}
	t.Run("the log names the device and the outcome", func(t *testing.T) {
		for _, want := range []string{"device=peerb", "outcome=synced", "received=" + in, "sent=" + out, "outcome=refused", "reason=forbidden"} {
			if !strings.Contains(logged.String(), want) {
				t.Errorf("the hub's log does not say %q:\n%s", want, logged.String())
			}
		}
	})
}

// The request limit is above the largest attachment and the largest
// body together, so any one file reaches the hub; a request above the
// hub's limit is refused with 413, counted, and applies nothing.
func TestARequestAboveTheHubsLimitIsRefusedAndAppliesNothing(t *testing.T) {
	if lim := DefaultLimits().MaxRequest; lim <= data.MaxAttachmentSize+maxPush {
		t.Fatalf("the default request limit %d does not hold the largest attachment (%d) and body (%d)", lim, data.MaxAttachmentSize, int64(maxPush))
	}
	ctx := context.Background()
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr Dev", day)
	enrol(t, hub, dev)
	for i := range 20 {
		addExchange(t, dev, strings.Repeat("Too large to take in one request ", 4)+string(rune('A'+i)))
	}
	srv := httptest.NewServer((&Hub{R: hub, Limits: Limits{MaxRequest: 4 << 10}}).Handler())
	defer srv.Close()
	before := storeState(t, hub)
	_, err := SyncHub(ctx, dev, srv.URL, nil)
	var he *HubError
	if !errors.As(err, &he) || he.Status != http.StatusRequestEntityTooLarge || !strings.Contains(he.Message, "4.0 KB") {
		t.Fatalf("want 413 naming the limit, got %v", err)
	}
	if storeState(t, hub) != before {
		t.Fatal("the refused request changed the hub's store")
	}
	_, metrics := get(t, srv.URL+"/metrics")
	if got := metricValue(metrics, `liaisondesk_hub_refusals_total{reason="too_large"}`); got != "1" {
		t.Fatalf("too_large refusals = %q", got)
	}
}

// cutHub holds its import until the request is cut, then imports with
// the cut context, as an import under way when the hub is cut would.
type cutHub struct {
	*store.Store
	entered  chan struct{}
	returned atomic.Bool
}

func (h *cutHub) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	h.entered <- struct{}{}
	<-ctx.Done()
	defer h.returned.Store(true)
	return h.Store.Import(ctx, in)
}

// A sync still under way when the hub's drain ends is cut: its import
// rolls back, nothing of it is applied, and Serve returns only after it
// has, so the store can be closed.
func TestASyncCutWhenTheHubStopsRollsBackBeforeServeReturns(t *testing.T) {
	ctx := context.Background()
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr Dev", day)
	enrol(t, hub, dev)
	addExchange(t, dev, "Cut as the hub stops")
	before := storeState(t, hub)
	ch := &cutHub{Store: hub, entered: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serving, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- (&Hub{R: ch, Limits: Limits{Drain: time.Millisecond}}).Serve(serving, ln, "", "") }()
	synced := make(chan error, 1)
	go func() {
		_, err := SyncHub(ctx, dev, "http://"+ln.Addr().String(), nil)
		synced <- err
	}()
	<-ch.entered
	stop()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !ch.returned.Load() {
		t.Fatal("Serve returned while an import was still under way")
	}
	if err := <-synced; err == nil {
		t.Fatal("the cut sync reported success")
	}
	if storeState(t, hub) != before {
		t.Fatal("the cut sync left part of its push in the hub's store")
	}
}

// A hub on a store with one writer lets only a few syncs in at once: the
// rest are told 503 with Retry-After at once and come back, rather than
// waiting silently on the store's lock until their stall watchdogs give
// up. Every device still ends with everything, with no error.
func TestAHubOnAOneWriterStoreTurnsAwayTheRestAndEveryoneGetsThrough(t *testing.T) {
	ctx := context.Background()
	hub := openReplica(t, "Hub One Writer", day)
	all := []*store.Store{hub}
	for i := range 10 {
		dev := openReplica(t, "Cdr Dev "+strconv.Itoa(i), day)
		for k := range 20 {
			addExchange(t, dev, "Exchange "+strconv.Itoa(k))
		}
		all = append(all, dev)
	}
	enrol(t, all...)
	srv := httptest.NewServer((&Hub{R: hub, Limits: Limits{QueueWait: time.Millisecond}}).Handler())
	defer srv.Close()
	var busy atomic.Int64
	errs := make(chan error, len(all))
	for _, dev := range all[1:] {
		go func() {
			res, err := SyncHub(ctx, dev, srv.URL, nil)
			busy.Add(int64(res.Busy))
			errs <- err
		}()
	}
	for range all[1:] {
		if err := <-errs; err != nil {
			t.Fatalf("a device's sync failed: %v", err)
		}
	}
	if busy.Load() == 0 {
		t.Error("ten devices at once on a one-writer hub: none was turned away")
	}
	for _, dev := range all[1:] { // a second round brings everyone what the others pushed
		if _, err := SyncHub(ctx, dev, srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	want := digest(t, hub)
	for i, dev := range all[1:] {
		if digest(t, dev) != want {
			t.Errorf("device %d differs from the hub", i)
		}
	}
}
