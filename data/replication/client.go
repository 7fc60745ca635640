package replication

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"time"
)

// HubClient is the HTTP client for syncing with a hub: the system's
// certificate authorities, plus caFile's (PEM) when given, so a hub with
// a self-signed certificate can be trusted explicitly.
func HubClient(caFile string) (*http.Client, error) {
	stall := &StallTransport{}
	client := &http.Client{Transport: stall}
	if caFile == "" {
		return client, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read the hub's certificate %s: %w", caFile, errors.Unwrap(err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	stall.Base = base
	return client, nil
}

// DefaultStall is how long a sync waits with no bytes moving either way
// before it gives up on the hub.
const DefaultStall = 2 * time.Minute

// StallTransport gives up on a request when no bytes have moved, up or
// down, for Stall: a big sync on a slow link goes on as long as it
// moves; a hub that stopped answering is abandoned.
type StallTransport struct {
	Base  http.RoundTripper // nil: http.DefaultTransport
	Stall time.Duration     // 0: DefaultStall
}

func (t *StallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base, stall := t.Base, t.Stall
	if base == nil {
		base = http.DefaultTransport
	}
	if stall <= 0 {
		stall = DefaultStall
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	stalled := fmt.Errorf("%w: no bytes moved to or from the hub for %s", ErrStalled, stall)
	w := &watchdog{timer: time.AfterFunc(stall, func() { cancel(stalled) }), stall: stall}
	// A hub still working on a sync says so (102 Processing): that moves.
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
		if code == http.StatusProcessing {
			w.moved()
		}
		return nil
	}})
	req = req.Clone(traced)
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = &watchedBody{rc: req.Body, w: w}
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		w.timer.Stop()
		if context.Cause(ctx) == stalled {
			err = stalled
		}
		cancel(nil)
		return nil, err
	}
	w.moved()
	resp.Body = &watchedBody{rc: resp.Body, w: w, done: func() { w.timer.Stop(); cancel(nil) }, ctx: ctx, stalled: stalled}
	return resp, nil
}

// ErrStalled is a sync given up because nothing moved.
var ErrStalled = errors.New("the hub stopped answering")

// watchdog is the timer a request's bytes keep pushing back.
type watchdog struct {
	timer *time.Timer
	stall time.Duration
}

func (w *watchdog) moved() { w.timer.Reset(w.stall) }

// watchedBody pushes the watchdog back with every byte that moves.
type watchedBody struct {
	rc      io.ReadCloser
	w       *watchdog
	done    func()
	ctx     context.Context
	stalled error
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.w.moved()
	}
	if err != nil && err != io.EOF && b.ctx != nil && context.Cause(b.ctx) == b.stalled {
		err = b.stalled
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.rc.Close()
	if b.done != nil {
		b.done()
	}
	return err
}
