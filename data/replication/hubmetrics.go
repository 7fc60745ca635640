package replication

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// hubMetrics is what a hub process counts, served at /metrics in the
// Prometheus text format. The labels are outcomes and reasons only, never
// a device, a site or a peer's name: who syncs with the hub, and when, is
// for its log, which stays on the machine.
type hubMetrics struct {
	reg        *prometheus.Registry
	syncs      *prometheus.CounterVec // by outcome
	refusals   *prometheus.CounterVec // by reason
	changesIn  prometheus.Counter
	changesOut prometheus.Counter
	duration   prometheus.Histogram
	inFlight   prometheus.Gauge
}

// The outcomes of a sync request, and the reasons for a refusal.
const (
	outcomeSynced   = "synced"
	outcomeRefused  = "refused"
	outcomeDeferred = "deferred" // 503: busy, the device retries
	outcomeFailed   = "failed"   // the hub's own error (500)

	reasonForbidden = "forbidden" // unknown, revoked or forged sender
	reasonReplay    = "replay"
	reasonBusy      = "busy"
	reasonSlow      = "slow_body"
	reasonTooLarge  = "too_large"
	reasonInvalid   = "invalid" // a damaged, malformed or refused bundle
	reasonGap       = "gap"     // 412: the hub lacks some of the device's own changes
	reasonRevoked   = "revoked_during_sync"
	reasonError     = "error"
)

func newHubMetrics() *hubMetrics {
	m := &hubMetrics{reg: prometheus.NewRegistry()}
	m.syncs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "liaisondesk_hub_syncs_total",
		Help: "Sync requests answered, by outcome (synced, refused, deferred, failed)."}, []string{"outcome"})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "liaisondesk_hub_refusals_total",
		Help: "Sync requests refused or deferred, by reason."}, []string{"reason"})
	m.changesIn = prometheus.NewCounter(prometheus.CounterOpts{Name: "liaisondesk_hub_changes_received_total",
		Help: "Changes devices pushed that the hub applied (new to it)."})
	m.changesOut = prometheus.NewCounter(prometheus.CounterOpts{Name: "liaisondesk_hub_changes_sent_total",
		Help: "Changes the hub sent to devices in its replies."})
	m.duration = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "liaisondesk_hub_sync_duration_seconds",
		Help:    "Time from a sync request's start to its answer, whatever the outcome.",
		Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300}})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "liaisondesk_hub_syncs_in_flight",
		Help: "Sync requests being handled now."})
	m.reg.MustRegister(m.syncs, m.refusals, m.changesIn, m.changesOut, m.duration, m.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []string{outcomeSynced, outcomeRefused, outcomeDeferred, outcomeFailed} {
		m.syncs.WithLabelValues(o) // every series from the start, at 0
	}
	for _, r := range []string{reasonForbidden, reasonReplay, reasonBusy, reasonSlow, reasonTooLarge, reasonInvalid, reasonGap, reasonRevoked, reasonError} {
		m.refusals.WithLabelValues(r)
	}
	return m
}

func (m *hubMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// syncRecord is what one sync request did, counted and logged once when
// it is answered.
type syncRecord struct {
	start    time.Time
	device   string // the peer's name, once its bundle's header verified
	site     string // its short code
	remote   string
	outcome  string
	reason   string
	status   int
	received int // changes applied
	sent     int // changes sent back
}

// finish counts the sync and logs it, naming the device and the outcome.
func (h *hubHandler) finish(ctx context.Context, rec *syncRecord, msg string, args ...any) {
	h.metrics.inFlight.Dec()
	h.metrics.duration.Observe(time.Since(rec.start).Seconds())
	h.metrics.syncs.WithLabelValues(rec.outcome).Inc()
	if rec.reason != "" {
		h.metrics.refusals.WithLabelValues(rec.reason).Inc()
	}
	h.metrics.changesIn.Add(float64(rec.received))
	h.metrics.changesOut.Add(float64(rec.sent))
	if h.Log == nil {
		return
	}
	level := slog.LevelInfo
	switch rec.outcome {
	case outcomeRefused:
		level = slog.LevelWarn
	case outcomeFailed:
		level = slog.LevelError
	}
	attrs := []any{"device", rec.device, "site", rec.site, "remote", rec.remote, "outcome", rec.outcome, "status", rec.status,
		"duration_ms", time.Since(rec.start).Milliseconds()}
	if rec.reason != "" {
		attrs = append(attrs, "reason", rec.reason)
	}
	if rec.outcome == outcomeSynced {
		attrs = append(attrs, "received", rec.received, "sent", rec.sent)
	}
	h.Log.Log(ctx, level, msg, append(attrs, args...)...)
}

// healthz answers 200 when the hub can read its store.
func (h *hubHandler) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := h.R.Identity(r.Context()); err != nil {
		http.Error(w, "unhealthy: the hub cannot read its store", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
