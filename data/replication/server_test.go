package replication

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// limitedHub serves a hub through its own http.Server and listener, as
// 'liaisondesk hub --listen' does.
func limitedHub(t *testing.T, h *Hub) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = h.Server()
	srv.Listener = h.Listener(srv.Listener)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestTheHubsServerBoundsHeadersAndIdleConnections(t *testing.T) {
	srv := (&Hub{R: openReplica(t, "Hub", day)}).Server()
	if srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 64<<10 {
		t.Fatalf("header timeout %s, idle timeout %s, max header %d", srv.ReadHeaderTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
}

// 500 enrolled devices syncing at once on loopback are all served, with
// the hub's default limits.
func TestFiveHundredDevicesSyncingAtOnceAreAllServed(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 500 stores")
	}
	const n = 500
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	hub := openReplica(t, "Hub", day)
	hubID := mustIdentity(t, hub)
	// Each device is restored from one template store, so all hold the
	// same seed records: a device's own changes then are only what it
	// pushes, and a reply carries only the others' pushes, not 500
	// devices' seeds.
	template := openReplica(t, "Cdr T", day)
	dir := t.TempDir()
	tpl := filepath.Join(dir, "template.db")
	if err := template.Backup(ctx, tpl); err != nil {
		t.Fatal(err)
	}
	newDevice := func(i int) *store.Store {
		path := filepath.Join(dir, fmt.Sprintf("dev%d-%d.db", i, time.Now().UnixNano()))
		if _, err := store.Restore(ctx, tpl, path, false); err != nil {
			t.Error(err)
			return nil
		}
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Error(err)
			return nil
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	devs := make([]*store.Store, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 4)
	for i := range devs {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; errs <- nil }()
			devs[i] = newDevice(i)
		}()
	}
	for range n {
		<-errs
	}
	if t.Failed() {
		t.FailNow()
	}
	for i, d := range devs {
		// Device codes are 16 bits: among 500, two may share one, and
		// the hub refuses the second. Such a device starts a new store.
		for {
			_, err := hub.AddPeer(ctx, fmt.Sprintf("dev%d", i), mustIdentity(t, d))
			if err == nil {
				break
			}
			if !strings.Contains(err.Error(), "same device code") {
				t.Fatal(err)
			}
			if d = newDevice(i); d == nil {
				t.FailNow()
			}
			devs[i] = d
		}
		if _, err := d.AddPeer(ctx, "hub", hubID); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 { // small pushes: one device in ten has a record to send
			addExchange(t, d, fmt.Sprintf("From %d", i))
		}
	}
	srv := limitedHub(t, &Hub{R: hub})
	start := time.Now()
	for _, d := range devs {
		go func() {
			_, err := SyncHub(ctx, d, srv.URL, nil)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("a device was not served: %v", err)
		}
	}
	t.Logf("%d devices synced in %s", n, time.Since(start))
	if got, want := countExchanges(t, hub), (n+9)/10; got != want {
		t.Fatalf("the hub holds %d records of %d", got, want)
	}
}

// A hub that stops answering is abandoned once nothing has moved for the
// stall timeout; one that answers slowly but steadily is not.
func TestASyncGivesUpOnAStalledHubButNotOnASlowOne(t *testing.T) {
	ctx := context.Background()
	const stall = 300 * time.Millisecond
	client := &http.Client{Transport: &StallTransport{Stall: stall}}
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev)
	addExchange(t, hub, "For the device")
	real := (&Hub{R: hub}).Handler()

	t.Run("a stalled hub is abandoned", func(t *testing.T) {
		stop := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/identity" {
				real.ServeHTTP(w, r)
				return
			}
			select { // read nothing, answer nothing
			case <-stop:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(stop)
		start := time.Now()
		_, err := SyncHub(ctx, dev, srv.URL, client)
		if !errors.Is(err, ErrStalled) {
			t.Fatalf("want a stall, got %v", err)
		}
		if took := time.Since(start); took > 20*stall {
			t.Fatalf("gave up after %s", took)
		}
	})
	t.Run("a slow hub that keeps sending is waited for", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			real.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			body := rec.Body.Bytes()
			tick := time.NewTicker(stall / 3)
			defer tick.Stop()
			// The reply in ten pieces, over about three stall timeouts.
			for i := range 10 {
				w.Write(body[i*len(body)/10 : (i+1)*len(body)/10])
				w.(http.Flusher).Flush()
				<-tick.C
			}
		}))
		defer srv.Close()
		start := time.Now()
		if _, err := SyncHub(ctx, dev, srv.URL, client); err != nil {
			t.Fatalf("a slow but moving hub was abandoned: %v", err)
		}
		if took := time.Since(start); took < 2*stall {
			t.Fatalf("the reply took %s: the test did not outlast the stall timeout", took)
		}
		if countExchanges(t, dev) != 1 {
			t.Fatal("the device did not get the hub's record")
		}
	})
}

// holdingHub keeps the first import waiting until released: a sync
// under way, holding the hub's only turn.
type holdingHub struct {
	*store.Store
	entered chan struct{}
	release chan struct{}
}

func (h *holdingHub) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	select {
	case h.entered <- struct{}{}:
		<-h.release
	default:
	}
	return h.Store.Import(ctx, in)
}

// A device told the hub is busy waits as long as it says and tries again
// with a new request: not an error.
func TestADeviceToldTheHubIsBusyWaitsAndSyncs(t *testing.T) {
	ctx := context.Background()
	hubStore, x, y := openReplica(t, "Hub", day), openReplica(t, "Cdr X", day), openReplica(t, "Cdr Y", day)
	enrol(t, hubStore, x, y)
	addExchange(t, x, "From X")
	addExchange(t, y, "From Y")
	hub := &holdingHub{Store: hubStore, entered: make(chan struct{}), release: make(chan struct{})}
	var hubLog syncBuffer
	srv := limitedHub(t, &Hub{R: hub, Log: slog.New(slog.NewTextHandler(&hubLog, nil)),
		Limits: Limits{MaxSyncs: 1, QueueWait: 50 * time.Millisecond, RetryAfter: time.Second}})
	xDone := make(chan error, 1)
	go func() {
		_, err := SyncHub(ctx, x, srv.URL, nil)
		xDone <- err
	}()
	<-hub.entered // x holds the hub's only turn
	go func() {
		// Let x finish once y has been told to wait.
		for !strings.Contains(hubLog.String(), "(503)") {
			runtime.Gosched()
		}
		close(hub.release)
	}()
	res, err := SyncHub(ctx, y, srv.URL, nil)
	if err != nil {
		t.Fatalf("a busy hub was reported as an error: %v", err)
	}
	if res.Busy == 0 {
		t.Fatal("y was never told to wait: the test did not exercise the busy hub")
	}
	if err := <-xDone; err != nil {
		t.Fatal(err)
	}
	if countExchanges(t, hubStore) != 2 {
		t.Fatal("the hub did not get both records")
	}
}

// syncBuffer is a buffer a logger writes while a test reads it.
type syncBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Connections that send their headers or their body a byte at a time are
// cut within the hub's deadlines, over and over, while a real device
// waiting behind them in the listen queue is served.
func TestSlowConnectionsAreCutAndDoNotStarveADevice(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev)
	addExchange(t, dev, "Through the crowd")
	lim := Limits{ReadHeader: 300 * time.Millisecond, SignedHeader: 300 * time.Millisecond, Grace: 300 * time.Millisecond,
		MinRate: 1 << 10, MaxConns: 4}
	srv := limitedHub(t, &Hub{R: hub, Limits: lim})
	addr := srv.Listener.Addr().String()
	stop := make(chan struct{})
	cuts := make(chan time.Duration, 1000)
	var attackers gosync.WaitGroup
	dialed := make(chan struct{}, 8)
	slow := func(head, body string) {
		defer attackers.Done()
		var once gosync.Once
		for {
			select {
			case <-stop:
				return
			default:
			}
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			start := time.Now()
			io.WriteString(conn, head)
			once.Do(func() { dialed <- struct{}{} })
			go func() { // a byte every 100 ms, until the hub hangs up
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				for i := 0; ; i++ {
					select {
					case <-stop:
						conn.Close()
						return
					case <-tick.C:
					}
					if _, err := conn.Write([]byte{body[i%len(body)]}); err != nil {
						return
					}
				}
			}()
			io.Copy(io.Discard, conn) // until the hub hangs up
			conn.Close()
			select {
			case <-stop:
				return
			default:
			}
			cuts <- time.Since(start)
		}
	}
	for range 4 {
		attackers.Add(2)
		go slow("POST /v1/sync HTTP/1.1\r\nHost: hub\r\nContent-Length: 1000000\r\n\r\n", "age-encryption.org/v1\n")
		go slow("POST /v1/sync HTTP/1.1\r\n", "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")
	}
	defer attackers.Wait()
	defer close(stop)
	for range 8 { // all in: four hold the hub's connections, four wait before the device
		<-dialed
	}
	start := time.Now()
	if _, err := SyncHub(ctx, dev, srv.URL, nil); err != nil {
		t.Fatalf("the device was not served: %v", err)
	}
	t.Logf("the device was served in %s", time.Since(start))
	if countExchanges(t, hub) != 1 {
		t.Fatal("the hub did not get the device's record")
	}
	for n := 0; n < 8; n++ {
		select {
		case d := <-cuts:
			if d > 5*time.Second {
				t.Fatalf("a slow connection was held %s", d)
			}
		case <-ctx.Done():
			t.Fatalf("only %d slow connections were cut", n)
		}
	}
}

// An enrolled device whose body, once its signed header is verified,
// falls below the minimum rate is cut with 408.
func TestABodyBelowTheMinimumRateIsCut(t *testing.T) {
	ctx := context.Background()
	hub, dev := openReplica(t, "Hub", day), openReplica(t, "Cdr D", day)
	enrol(t, hub, dev)
	var recs []data.Record
	for i := range 150 { // over one 64 KiB chunk, so the header arrives before the body
		recs = append(recs, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: fmt.Sprintf("Meeting %d", i),
			OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Summary: strings.Repeat("Boarding drills. ", 20),
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
	}
	if _, err := dev.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	push := bundle(t, dev, "peera")
	if len(push) < 100<<10 {
		t.Fatalf("the push is only %d bytes", len(push))
	}
	var hubLog syncBuffer
	srv := limitedHub(t, &Hub{R: hub, Log: slog.New(slog.NewTextHandler(&hubLog, nil)),
		Limits: Limits{SignedHeader: 5 * time.Second, Grace: 300 * time.Millisecond, MinRate: 4 << 10}})
	pr, pw := io.Pipe()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer pw.Close()
		if _, err := pw.Write(push[:80<<10]); err != nil {
			return
		}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for _, c := range push[80<<10:] {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := pw.Write([]byte{c}); err != nil {
				return
			}
		}
	}()
	start := time.Now()
	status, msg := post(t, srv.URL, pr)
	if status != http.StatusRequestTimeout {
		t.Fatalf("want 408, got %d %q", status, msg)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("the slow body was held %s", took)
	}
	if !strings.Contains(hubLog.String(), "too slowly") {
		t.Fatalf("the hub's log does not say why:\n%s", hubLog.String())
	}
	if countExchanges(t, hub) != 0 {
		t.Fatal("the cut push was applied")
	}
}
