package replication

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/net/netutil"

	"liaisondesk/data"
)

// Limits bound what one connection may cost the hub, so that neither
// strangers nor slow bodies can hold it down. A zero field takes its
// default (DefaultLimits).
type Limits struct {
	ReadHeader   time.Duration // the request line and HTTP headers
	SignedHeader time.Duration // from the request's start until the bundle's signed header is verified
	MinRate      int64         // bytes per second the rest of a body must average, once Grace has passed
	Grace        time.Duration // the longest pause in a body or a reply
	Idle         time.Duration // a kept-alive connection between requests
	MaxHeader    int           // bytes of HTTP headers
	MaxConns     int           // connections served at once; more wait in the listen queue
	MaxSyncs     int           // verified syncs handled at once; more wait QueueWait, then get 503
	QueueWait    time.Duration // how long a verified sync waits for its turn
	RetryAfter   time.Duration // what a 503 tells the device to wait
	// MaxRequest bounds the bytes of one device's sync request (413
	// beyond it). Its default is above what one push can hold: a body at
	// its bound and an attachment at data.MaxAttachmentSize, so a device
	// always gets its largest file to the hub, in a sync of its own.
	MaxRequest int64
	// KeepAlive is how often a hub still working on a sync (importing,
	// then making the reply) tells the device so, with a 102 Processing,
	// so the device's stall watchdog (DefaultStall) does not give up on
	// it: a million changes' import alone outlasts the watchdog.
	KeepAlive time.Duration
	// Drain is how long a hub told to stop (SIGTERM) lets the syncs under
	// way finish; past it they are cut, and roll back.
	Drain time.Duration
}

// DefaultLimits serve 500 devices syncing at once on loopback, and cut a
// stranger's connection within ReadHeader+SignedHeader (25 s).
func DefaultLimits() Limits {
	return Limits{ReadHeader: 10 * time.Second, SignedHeader: 15 * time.Second, MinRate: 8 << 10, Grace: 30 * time.Second,
		Idle: 60 * time.Second, MaxHeader: 16 << 10, MaxConns: 1024, MaxSyncs: 64, QueueWait: 10 * time.Second, RetryAfter: 2 * time.Second,
		MaxRequest: maxPush + data.MaxAttachmentSize + maxHeader + 1<<20, KeepAlive: 30 * time.Second, Drain: 60 * time.Second}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	set := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.ReadHeader, d.ReadHeader)
	set(&l.SignedHeader, d.SignedHeader)
	set(&l.Grace, d.Grace)
	set(&l.Idle, d.Idle)
	set(&l.QueueWait, d.QueueWait)
	set(&l.RetryAfter, d.RetryAfter)
	set(&l.Drain, d.Drain)
	set(&l.KeepAlive, d.KeepAlive)
	if l.MaxRequest <= 0 {
		l.MaxRequest = d.MaxRequest
	}
	if l.MinRate <= 0 {
		l.MinRate = d.MinRate
	}
	if l.MaxHeader <= 0 {
		l.MaxHeader = d.MaxHeader
	}
	if l.MaxConns <= 0 {
		l.MaxConns = d.MaxConns
	}
	if l.MaxSyncs <= 0 {
		l.MaxSyncs = d.MaxSyncs
	}
	return l
}

// Server is an http.Server for the hub with its limits; serve it on
// Listener(ln), which holds at most MaxConns connections at once.
func (h *Hub) Server() *http.Server { return h.server(&sync.WaitGroup{}) }

func (h *Hub) server(active *sync.WaitGroup) *http.Server {
	l := h.Limits.withDefaults()
	srv := &http.Server{Handler: h.handler(active), ReadHeaderTimeout: l.ReadHeader, IdleTimeout: l.Idle, MaxHeaderBytes: l.MaxHeader}
	if h.Log != nil {
		srv.ErrorLog = slog.NewLogLogger(h.Log.Handler(), slog.LevelWarn)
	}
	return srv
}

// Serve serves the hub on ln (with TLS when certFile is given) until ctx
// ends, then stops gracefully: it takes no new connection, lets the syncs
// under way finish for up to Limits.Drain, then cuts the rest, whose
// imports roll back, and returns only once every sync has returned, so
// the store can be closed with none half-applied.
func (h *Hub) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	var active sync.WaitGroup
	srv := h.server(&active)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		h.note(context.Background(), slog.LevelInfo, "stopping: finishing the syncs under way", "outcome", "stopping")
		drain, cancel := context.WithTimeout(context.Background(), h.Limits.withDefaults().Drain)
		defer cancel()
		if err := srv.Shutdown(drain); err != nil {
			h.note(context.Background(), slog.LevelWarn, "stopping: syncs still under way were cut; their imports roll back", "outcome", "cut")
			srv.Close()
		}
	}()
	var err error
	if certFile != "" {
		err = srv.ServeTLS(ln, certFile, keyFile)
	} else {
		err = srv.Serve(ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		<-stopped
		err = nil
	}
	active.Wait()
	if err == nil {
		h.note(context.Background(), slog.LevelInfo, "stopped", "outcome", "stopped")
	}
	return err
}

// Listener wraps ln so that connections beyond MaxConns wait in the
// listen queue rather than cost the hub a descriptor each.
func (h *Hub) Listener(ln net.Listener) net.Listener {
	return netutil.LimitListener(ln, h.Limits.withDefaults().MaxConns)
}

// bodyClock reads a request body against deadlines that count only the
// time spent waiting for the device's bytes, never the hub's own work (a
// hub busy with 500 syncs must not cut them for its own slowness): until
// the bundle's signed header is verified, SignedHeader of waiting in all;
// then no pause longer than Grace, and no more waiting than Grace plus
// the time the bytes so far take at MinRate.
type bodyClock struct {
	rc       *http.ResponseController
	r        io.Reader
	lim      Limits
	verified bool
	waited   time.Duration // blocked in Read, in this stage
	n        int64         // bytes read in this stage
	timedOut bool
}

func newBodyClock(rc *http.ResponseController, r io.Reader, lim Limits) *bodyClock {
	return &bodyClock{rc: rc, r: r, lim: lim}
}

// verify starts the rate stage.
func (b *bodyClock) verify() {
	b.verified, b.waited, b.n = true, 0, 0
}

// done lifts the deadline once the body is read: the hub's work on it is
// not the device's to hurry.
func (b *bodyClock) done() {
	b.rc.SetReadDeadline(time.Time{})
}

func (b *bodyClock) Read(p []byte) (int, error) {
	allow := b.lim.SignedHeader - b.waited
	if b.verified {
		allow = min(b.lim.Grace, b.lim.Grace+time.Duration(float64(b.n)/float64(b.lim.MinRate)*float64(time.Second))-b.waited)
	}
	start := time.Now()
	deadline := start.Add(max(allow, 0))
	b.rc.SetReadDeadline(deadline) // unsupported (a recorder): no deadline
	n, err := b.r.Read(p)
	b.waited += time.Since(start)
	b.n += int64(n)
	if err != nil && err != io.EOF {
		var ne net.Error
		if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) || !time.Now().Before(deadline) {
			b.timedOut = true
		}
	}
	return n, err
}
