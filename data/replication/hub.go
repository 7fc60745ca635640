package replication

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"liaisondesk/data"
)

// The hub protocol is one exchange per sync, in the bundle format:
//
//	GET  /v1/identity  the hub's identity line, so a device can check it
//	                   is talking to the hub it enrolled
//	POST /v1/sync      body: a bundle from the device to the hub (what the
//	                   hub lacks, and the device's vector); reply: a bundle
//	                   from the hub to the device (what the device lacks),
//	                   and in the Liaisondesk-Result header what the hub
//	                   applied, as JSON
//	                   With the request header "Liaisondesk-Reply: vector"
//	                   (a push-only sync, SyncOptions.PushOnly) the reply
//	                   is the hub's signed vector only, as a receipt
//	                   answering the bundle's id (receipt.go), sent once
//	                   the push is applied: the device records it as its
//	                   ack and pulls nothing. The header is not signed: a
//	                   relayer that adds or strips it changes only the
//	                   kind of answer, which the device checks.
//	GET  /healthz      200 "ok" while the hub can read its store
//	GET  /metrics      counters in the Prometheus text format (hubmetrics.go)
//
// A device proves itself by the signature on its bundle's header, made
// with its enrolled key; the reply is encrypted to that device alone. An
// unknown, revoked or forged sender gets one 403, the same for all, before
// its body is read (the hub's log says which). Other answers:
//
//	409  a bundle id the hub has answered before: a replay, nothing sent back
//	412  the push would leave a gap in the device's own changes (the hub's
//	     store was put back from an older copy): the body is the hub's signed
//	     vector (a receipt), and the device resends from the gap
//	503  busy, with Retry-After: the device waits and sends a new request
//	408  a body slower than the hub's limits allow (Limits)
//	413  a request larger than Limits.MaxRequest

// maxPush bounds one bundle's body (its changes and commits; attachment
// content follows it, bounded by the request limit, Limits.MaxRequest).
const maxPush = 1 << 30

// Hub serves sync over HTTP for a replica.
type Hub struct {
	R      Replica
	Log    *slog.Logger // nil: no request log
	Limits Limits       // zero fields: DefaultLimits
}

// hubHandler is a hub at work: its limits, its turns for syncs and what
// it counts.
type hubHandler struct {
	*Hub
	lim     Limits
	turns   chan struct{} // one token per sync under way
	metrics *hubMetrics
	active  *sync.WaitGroup // syncs being handled, waited for at shutdown
}

// oneWriter is a Replica that applies one import at a time (SQLite). A
// hub on it lets only oneWriterSyncs syncs in at once: more would only
// queue on the store's lock, silent, until their devices' stall watchdogs
// gave up; past the few, a device waits QueueWait and gets 503 with
// Retry-After, and comes back.
type oneWriter interface{ OneWriter() bool }

const oneWriterSyncs = 4

// Handler returns the hub's HTTP handler: the sync protocol, /healthz,
// and /metrics (Prometheus text format).
func (h *Hub) Handler() http.Handler { return h.handler(&sync.WaitGroup{}) }

func (h *Hub) handler(active *sync.WaitGroup) http.Handler {
	lim := h.Limits.withDefaults()
	if w, ok := h.R.(oneWriter); ok && w.OneWriter() && h.Limits.MaxSyncs == 0 {
		lim.MaxSyncs = oneWriterSyncs
	}
	hh := &hubHandler{Hub: h, lim: lim, turns: make(chan struct{}, lim.MaxSyncs), metrics: newHubMetrics(), active: active}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/identity", hh.identity)
	mux.HandleFunc("POST /v1/sync", hh.sync)
	mux.HandleFunc("GET /healthz", hh.healthz)
	mux.Handle("GET /metrics", hh.metrics.handler())
	return mux
}

func (h *hubHandler) identity(w http.ResponseWriter, r *http.Request) {
	id, err := h.R.Identity(r.Context())
	if err != nil {
		http.Error(w, "hub identity: "+err.Error(), http.StatusInternalServerError)
		return
	}
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(h.lim.Grace))
	// The hub's certificate, for a device that knows only the
	// organisation's key: a header, so older devices read the body as before.
	if _, own, err := h.R.RosterLines(r.Context()); err == nil && own != "" {
		w.Header().Set(certHeader, own)
	}
	// A rotated hub's statements, so a device that enrolled its old key
	// follows it to the new one (docs/ARCHITECTURE.md §4.4).
	for _, line := range ownRotations(r.Context(), h.R, id.Site) {
		w.Header().Add(rotationHeader, line)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, id)
}

// certHeader carries the hub's certificate with its identity answer.
const certHeader = "Liaisondesk-Certificate"

// The hub's answers to a push it does not take.
var (
	errReplay = errors.New("this request was answered before (a replay): nothing was applied")
	errBusy   = errors.New("the hub is busy with other devices' syncs: try again shortly")
)

// forbidden is the one answer to a request the hub will not authenticate,
// whatever the reason, so a stranger learns nothing of who is enrolled.
const forbidden = "the hub does not accept requests from this device"

// receiptType marks a hub's signed vector, sent when it refuses a push
// that would leave a gap in the pushing device's own changes.
const receiptType = "application/vnd.liaisondesk.receipt"

func (h *hubHandler) sync(w http.ResponseWriter, r *http.Request) {
	h.active.Add(1)
	defer h.active.Done()
	h.metrics.inFlight.Inc()
	rec := &syncRecord{start: time.Now(), remote: r.RemoteAddr}
	ctx := r.Context()
	rc := http.NewResponseController(w)
	body := newBodyClock(rc, http.MaxBytesReader(w, r.Body, h.lim.MaxRequest), h.lim)
	var name string // the sender's peer name, once verified
	turn := false   // whether this sync holds a turn
	b, err := readBundle(ctx, h.R, body, func(hd *Header, sender data.SiteID) error {
		name = h.peerName(ctx, sender)
		rec.device, rec.site = name, sender.ShortCode()
		seen, err := h.R.BundleSeen(ctx, sender, hd.Bundle)
		if err != nil {
			return err
		}
		if seen {
			return errReplay
		}
		if turn = h.take(ctx); !turn {
			return errBusy
		}
		body.verify()
		return nil
	})
	body.done()
	defer b.Close()
	if turn {
		defer h.give()
	}
	if err != nil {
		h.refuse(w, r, rec, body, err)
		return
	}
	if h.ownGap(ctx, w, rec, b) {
		return
	}
	working := keepAnswering(w, h.lim)
	defer working.halt()
	w = working
	res, err := h.R.Import(ctx, b.incoming())
	if err != nil {
		h.refuse(w, r, rec, body, err)
		return
	}
	if res.Replay {
		h.refuse(w, r, rec, body, errReplay)
		return
	}
	rec.received = res.Applied
	peers, err := h.R.Peers(ctx)
	if err != nil {
		h.fail(w, rec, err)
		return
	}
	i := slices.IndexFunc(peers, func(p data.Peer) bool { return p.Identity.Site == b.Sender && p.RevokedAt == "" })
	if i < 0 {
		rec.outcome, rec.reason, rec.status = outcomeRefused, reasonRevoked, http.StatusForbidden
		h.finish(ctx, rec, fmt.Sprintf("sync from %s (%s) refused (403): the device was revoked during the sync", name, b.Sender.ShortCode()))
		http.Error(w, forbidden, http.StatusForbidden)
		return
	}
	if r.Header.Get(replyHeader) == replyVector {
		h.ackOnly(ctx, w, rc, rec, peers[i], b, res)
		return
	}
	// The device holds what its header says plus what it just pushed.
	base := b.Holds
	reply := &spill{}
	defer reply.Close()
	out, err := writeBundleFrom(ctx, h.R, []data.Peer{peers[i]}, base, reply)
	if err != nil {
		h.fail(w, rec, err)
		return
	}
	if err := h.R.RecordSent(ctx, b.Sender); err != nil {
		h.fail(w, rec, err)
		return
	}
	rd, err := reply.reader()
	if err != nil {
		h.fail(w, rec, err)
		return
	}
	result, _ := json.Marshal(res)
	rc.SetWriteDeadline(h.writeDeadline(int(reply.Len())))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Liaisondesk-Result", string(result))
	w.Header().Set("Connection", "close") // one sync per connection: its slot is free at once
	w.Header().Set("Content-Length", fmt.Sprint(reply.Len()))
	w.WriteHeader(http.StatusOK)
	io.Copy(w, rd)
	rec.outcome, rec.status, rec.sent = outcomeSynced, http.StatusOK, out.Changes
	h.finish(ctx, rec, fmt.Sprintf("sync from %s (%s): applied %d, already had %d, quarantined %d; sent %d changes",
		peers[i].Name, b.Sender.ShortCode(), res.Applied, res.AlreadyHad, res.Quarantined, out.Changes),
		"already_had", res.AlreadyHad, "quarantined", res.Quarantined)
	for _, held := range res.Held {
		h.note(ctx, slog.LevelWarn, fmt.Sprintf("sync from %s (%s): held for review: %s", peers[i].Name, b.Sender.ShortCode(), held),
			"device", peers[i].Name, "site", b.Sender.ShortCode(), "outcome", "held_for_review")
	}
	if w := res.UnknownKindsWarning(); w != "" {
		h.note(ctx, slog.LevelWarn, fmt.Sprintf("sync from %s (%s): %s", peers[i].Name, b.Sender.ShortCode(), w),
			"device", peers[i].Name, "site", b.Sender.ShortCode(), "outcome", "unknown_kinds")
	}
}

// replyHeader on a sync request says what reply the device wants:
// replyVector for the hub's signed vector only (a push-only sync); absent,
// everything the device lacks.
const (
	replyHeader = "Liaisondesk-Reply"
	replyVector = "vector"
)

// ackOnly answers an applied push-only sync with the hub's signed vector,
// answering the bundle's id, and what it applied: no changes go back, so
// a fleet pushing at once costs the hub what it takes in, not what it
// holds (a full reply carries all a device lacks, which for devices
// pushing at once grows with the square of their number).
func (h *hubHandler) ackOnly(ctx context.Context, w http.ResponseWriter, rc *http.ResponseController, rec *syncRecord, peer data.Peer, b *Bundle, res data.ImportResult) {
	var receipt bytes.Buffer
	if err := WriteReceipt(ctx, h.R, b.Header.Bundle, &receipt); err != nil {
		h.fail(w, rec, err)
		return
	}
	result, _ := json.Marshal(res)
	rc.SetWriteDeadline(h.writeDeadline(receipt.Len()))
	w.Header().Set("Content-Type", receiptType)
	w.Header().Set("Liaisondesk-Result", string(result))
	w.Header().Set("Connection", "close")
	w.Header().Set("Content-Length", fmt.Sprint(receipt.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(receipt.Bytes())
	rec.outcome, rec.status = outcomeSynced, http.StatusOK
	h.finish(ctx, rec, fmt.Sprintf("push from %s (%s): applied %d, already had %d, quarantined %d; sent its vector only",
		peer.Name, b.Sender.ShortCode(), res.Applied, res.AlreadyHad, res.Quarantined),
		"already_had", res.AlreadyHad, "quarantined", res.Quarantined)
	for _, held := range res.Held {
		h.note(ctx, slog.LevelWarn, fmt.Sprintf("push from %s (%s): held for review: %s", peer.Name, b.Sender.ShortCode(), held),
			"device", peer.Name, "site", b.Sender.ShortCode(), "outcome", "held_for_review")
	}
}

// fail answers a sync the hub could not complete for its own error
// (its store), which rolled back whatever it had begun.
func (h *hubHandler) fail(w http.ResponseWriter, rec *syncRecord, err error) {
	rec.outcome, rec.reason, rec.status = outcomeFailed, reasonError, http.StatusInternalServerError
	h.finish(context.Background(), rec, fmt.Sprintf("sync from %s failed (500): %v", rec.who(), err))
	http.Error(w, "hub: "+err.Error(), http.StatusInternalServerError)
}

// note logs a line beside a sync's own.
func (h *Hub) note(ctx context.Context, level slog.Level, msg string, args ...any) {
	if h.Log != nil {
		h.Log.Log(ctx, level, msg, args...)
	}
}

// who names the device of a sync, or its address before it is known.
func (rec *syncRecord) who() string {
	if rec.device == "" {
		return rec.remote
	}
	return rec.device + " at " + rec.remote
}

// take waits for a turn to handle a sync, at most QueueWait.
func (h *hubHandler) take(ctx context.Context) bool {
	select {
	case h.turns <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(h.lim.QueueWait)
	defer t.Stop()
	select {
	case h.turns <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

func (h *hubHandler) give() { <-h.turns }

// writeDeadline gives a reply of n bytes the time to go at the minimum rate.
func (h *hubHandler) writeDeadline(n int) time.Time {
	return time.Now().Add(h.lim.Grace + time.Duration(float64(n)/float64(h.lim.MinRate)*float64(time.Second)))
}

// peerName is the hub's name for an enrolled device.
func (h *Hub) peerName(ctx context.Context, site data.SiteID) string {
	peers, err := h.R.Peers(ctx)
	if err == nil {
		if i := slices.IndexFunc(peers, func(p data.Peer) bool { return p.Identity.Site == site }); i >= 0 {
			return peers[i].Name
		}
	}
	return "device " + site.ShortCode()
}

// heldAfter is the highest seq of a device the hub holds without a gap
// once the runs of its seqs a push carries (in any order) are added to
// the held before, and the lowest and highest seq carried.
func heldAfter(held int64, runs []seqRun) (next, lowest, highest int64) {
	runs = slices.SortedFunc(slices.Values(runs), func(x, y seqRun) int { return cmp.Compare(x.first, y.first) })
	next = held
	for i, r := range runs {
		if r.first <= next+1 && r.last > next { // no gap before it: all it covers is held
			next = r.last
		}
		if i == 0 {
			lowest = r.first
		}
		highest = max(highest, r.last)
	}
	return next, lowest, highest
}

// ownGap refuses a push after which the hub would still lack some of the
// pushing device's own changes below its last: the hub lost them (its
// store was put back from an older copy) while the device believes it
// holds them. The hub answers with its signed vector, so the device
// resends from the gap. Other authors' changes may arrive with gaps, in
// any order: they are relayed once the gap fills.
func (h *hubHandler) ownGap(ctx context.Context, w http.ResponseWriter, rec *syncRecord, b *Bundle) bool {
	name := rec.device
	mine, err := h.R.Vector(ctx)
	if err != nil {
		h.fail(w, rec, err)
		return true
	}
	held := mine[b.Sender]
	next, lowest, highest := heldAfter(held, b.body.ownSeqs)
	made := b.Holds[b.Sender]
	if next >= made && next >= highest {
		return false
	}
	pushed := "none of them"
	if len(b.body.ownSeqs) > 0 {
		pushed = fmt.Sprintf("%d-%d", lowest, highest)
	}
	if err := h.R.RememberBundle(ctx, b.Sender, b.Header.Bundle); err != nil {
		h.fail(w, rec, err)
		return true
	}
	var receipt bytes.Buffer
	if err := WriteReceipt(ctx, h.R, b.Header.Bundle, &receipt); err != nil {
		h.fail(w, rec, err)
		return true
	}
	rec.outcome, rec.reason, rec.status = outcomeRefused, reasonGap, http.StatusPreconditionFailed
	h.finish(ctx, rec, fmt.Sprintf("sync from %s (%s) refused (412): its push would leave a gap in its own changes: the hub holds them up to %d, "+
		"the push carries %s, the device has made %d. The hub lost %d of them (its store put back from an older copy?): "+
		"it sent its vector so the device resends them", name, b.Sender.ShortCode(), held, pushed, made, made-held))
	w.Header().Set("Content-Type", receiptType)
	w.WriteHeader(http.StatusPreconditionFailed)
	w.Write(receipt.Bytes())
	return true
}

func isAuth(err error) bool {
	var ae *authError
	return errors.As(err, &ae)
}

// refuse answers a push the hub will not take: one 403 for any sender it
// will not authenticate (the detail goes to its log only), 409 for a
// replay, 503 when busy, 408 for a body too slow, 400 for a damaged or
// forged bundle.
func (h *hubHandler) refuse(w http.ResponseWriter, r *http.Request, rec *syncRecord, body *bodyClock, err error) {
	status, reason := http.StatusInternalServerError, reasonError
	msg := err.Error()
	var tooBig *http.MaxBytesError
	switch {
	case isAuth(err), errors.Is(err, data.ErrUntrusted):
		status, reason, msg = http.StatusForbidden, reasonForbidden, forbidden
	case errors.Is(err, errReplay):
		status, reason = http.StatusConflict, reasonReplay
	case errors.Is(err, errBusy):
		status, reason = http.StatusServiceUnavailable, reasonBusy
		w.Header().Set("Retry-After", strconv.Itoa(int((h.lim.RetryAfter+time.Second-1)/time.Second)))
	case body.timedOut:
		status, reason, msg = http.StatusRequestTimeout, reasonSlow, "the request's body came too slowly"
	case errors.As(err, &tooBig):
		status, reason = http.StatusRequestEntityTooLarge, reasonTooLarge
		msg = fmt.Sprintf("the request is larger than the %s this hub takes from a device in one sync", data.FormatSize(h.lim.MaxRequest))
	case errors.Is(err, data.ErrRefused), errors.Is(err, data.ErrInvalid):
		status, reason = http.StatusBadRequest, reasonInvalid
	}
	rec.outcome, rec.reason, rec.status = outcomeRefused, reason, status
	who := rec.who()
	switch status {
	case http.StatusConflict:
		h.finish(r.Context(), rec, fmt.Sprintf("sync from %s refused (409): replay of a request already answered; no reply sent", who))
	case http.StatusServiceUnavailable:
		rec.outcome = outcomeDeferred
		h.finish(r.Context(), rec, fmt.Sprintf("sync from %s deferred (503): busy", who))
	case http.StatusRequestTimeout:
		h.finish(r.Context(), rec, fmt.Sprintf("sync from %s refused (408): the request's body came too slowly (%v)", who, err))
	case http.StatusInternalServerError:
		rec.outcome = outcomeFailed
		h.finish(r.Context(), rec, fmt.Sprintf("sync from %s failed (500): %v", who, err))
	default:
		h.finish(r.Context(), rec, fmt.Sprintf("sync from %s refused (%d): %v", who, status, err))
	}
	w.Header().Set("Connection", "close")
	http.Error(w, msg, status)
}

// HubResult is what a sync with the hub did, both ways.
type HubResult struct {
	Hub    string            `json:"hub"`    // the hub's peer name
	Pushed CreateResult      `json:"pushed"` // the (last) bundle sent up
	AtHub  data.ImportResult `json:"at_hub"` // what the hub applied of it
	Pulled data.ImportResult `json:"pulled"` // what this store applied of the reply
	// HubLost counts the changes the hub had acknowledged once and no
	// longer held (its store put back from an older copy), which this
	// laptop resent in this sync: its own (HubLostOwn of them) and other
	// devices' it holds. Note says so.
	HubLost    int64 `json:"hub_lost,omitempty"`
	HubLostOwn int64 `json:"hub_lost_own,omitempty"`
	// HubLostElsewhere counts changes the hub lost that this laptop does
	// not hold, so cannot resend.
	HubLostElsewhere int64  `json:"hub_lost_elsewhere,omitempty"`
	Busy             int    `json:"hub_busy,omitempty"` // times the hub said to wait and try again
	Note             string `json:"note,omitempty"`     // a sentence for the officer, when something is worth saying
}

// HubError is a hub's refusal, with its HTTP status.
type HubError struct {
	Status  int
	Message string
}

func (e *HubError) Error() string {
	switch e.Status {
	case http.StatusForbidden:
		return fmt.Sprintf("the hub refused this device (HTTP 403): the hub's operator must enrol this device's identity line at the hub, "+
			"or check in the hub's log why it was refused (revoked?). The hub said: %s", e.Message)
	case http.StatusConflict:
		return fmt.Sprintf("the hub refused this request as a replay (HTTP 409): %s", e.Message)
	}
	return fmt.Sprintf("the hub answered HTTP %d: %s", e.Status, e.Message)
}

// Bounds of a sync's retries: a hub that keeps finding a gap in this
// laptop's changes after it resent from the gap, or keeps signing a
// vector lower than what it acknowledged, or keeps saying it is busy, is
// reported rather than retried for ever.
const (
	maxGapRetries = 3
	maxBusyWait   = 10 * time.Minute
)

// SyncHub pushes what the hub lacks and pulls what this replica lacks, in
// one exchange (client nil: one with the default stall watchdog). The hub
// must be a trusted peer: its identity is checked before anything is
// sent. Each attempt is a new request with a new bundle id: a hub that is
// busy is waited for as it asks; a hub that lost some of this laptop's
// changes answers with its signed vector, and they are resent. A hub whose
// reply signs a vector lower than what it acknowledged before lost
// changes of other devices too (its store put back from an older copy,
// after this laptop pulled them): what this laptop holds of them is
// resent in the same sync, whoever made it, since their author may never
// sync again.
func SyncHub(ctx context.Context, r Replica, baseURL string, client *http.Client) (HubResult, error) {
	return SyncHubWith(ctx, r, baseURL, client, SyncOptions{})
}

// SyncOptions changes what a hub sync does.
type SyncOptions struct {
	// PushOnly pushes what the hub lacks and pulls nothing: the hub
	// answers with its signed vector only (the request header
	// Liaisondesk-Reply: vector), which this replica checks (the hub's
	// key, this request's bundle id) and records as what the hub holds,
	// as a full sync records the vector its reply carries. A later full
	// sync pulls everything. A hub that ignores the request and sends
	// everything is imported as in a full sync.
	PushOnly bool
}

// SyncHubWith is SyncHub with options.
func SyncHubWith(ctx context.Context, r Replica, baseURL string, client *http.Client, opts SyncOptions) (HubResult, error) {
	var res HubResult
	if client == nil {
		client = &http.Client{Transport: &StallTransport{}}
	}
	baseURL = strings.TrimRight(baseURL, "/")
	if err := checkHubURL(baseURL); err != nil {
		return res, err
	}
	hub, err := hubPeer(ctx, r, baseURL, client)
	if err != nil {
		return res, err
	}
	res.Hub = hub.Name
	var waited time.Duration
	for gaps := 0; ; {
		resp, err := push(ctx, r, hub, baseURL, client, opts, &res)
		if err != nil {
			return res, err
		}
		switch resp.StatusCode {
		case http.StatusOK:
			var loss hubLoss
			if resp.Header.Get("Content-Type") == receiptType {
				loss, err = acked(ctx, r, hub, opts, resp, &res)
			} else {
				loss, err = pull(ctx, r, hub, resp, &res)
			}
			resp.Body.Close()
			if err != nil {
				return res, err
			}
			res.addLoss(loss)
			if loss.resend() > 0 {
				if gaps++; gaps > maxGapRetries {
					return res, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), fmt.Errorf("the hub still holds less than it acknowledged after %d resends", maxGapRetries))
				}
				continue // resend in this sync, as a new request
			}
			res.Note = res.lossNote()
			return res, nil
		case http.StatusServiceUnavailable:
			wait := retryAfter(resp.Header.Get("Retry-After"))
			io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if waited += wait; waited > maxBusyWait {
				return res, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), fmt.Errorf("the hub has been busy for %s: try again later", maxBusyWait))
			}
			res.Busy++
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return res, ctx.Err()
			}
		case http.StatusPreconditionFailed:
			loss, err := resetToHub(ctx, r, hub, res.Pushed.Bundle, resp)
			resp.Body.Close()
			if err != nil {
				return res, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), err)
			}
			res.addLoss(loss)
			if gaps++; gaps > maxGapRetries {
				return res, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), fmt.Errorf("the hub still finds a gap in this laptop's changes after %d resends", maxGapRetries))
			}
		default:
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			return res, &HubError{Status: resp.StatusCode, Message: strings.TrimSpace(string(msg))}
		}
	}
}

// hubLoss is what a hub had acknowledged holding and no longer holds:
// this laptop's own changes and other devices' it holds (to resend), and
// changes it does not hold (gone from the hub, unless another laptop
// resends them).
type hubLoss struct{ own, others, gone int64 }

func (l hubLoss) resend() int64 { return l.own + l.others }

func (res *HubResult) addLoss(l hubLoss) {
	res.HubLost += l.resend()
	res.HubLostOwn += l.own
	res.HubLostElsewhere += l.gone
}

// lossNote is the sentence for the officer when the hub had lost changes.
func (res *HubResult) lossNote() string {
	others := res.HubLost - res.HubLostOwn
	var note string
	switch {
	case res.HubLost == 0:
	case others == 0:
		note = fmt.Sprintf("the hub had lost %s of this laptop: resent", changes(res.HubLost))
	case res.HubLostOwn == 0:
		note = fmt.Sprintf("the hub had lost %s of other devices, which this laptop holds: resent", changes(res.HubLost))
	default:
		note = fmt.Sprintf("the hub had lost %s (%d of this laptop, %d of other devices): resent", changes(res.HubLost), res.HubLostOwn, others)
	}
	if res.HubLostElsewhere > 0 {
		if note == "" {
			note = fmt.Sprintf("the hub had lost %s this laptop does not hold: the laptops that hold them resend them when they sync", changes(res.HubLostElsewhere))
		} else {
			note += fmt.Sprintf("; it also lost %s this laptop does not hold", changes(res.HubLostElsewhere))
		}
	}
	return note
}

// addImport adds what a later exchange of the same sync imported.
func addImport(to *data.ImportResult, r data.ImportResult) {
	to.Bundle = r.Bundle
	to.Applied += r.Applied
	to.AlreadyHad += r.AlreadyHad
	to.Records += r.Records
	to.Conflicts += r.Conflicts
	to.Quarantined += r.Quarantined
	to.FutureStamped += r.FutureStamped
	to.FutureLeadSeconds = max(to.FutureLeadSeconds, r.FutureLeadSeconds)
	to.ClockWarnings = append(to.ClockWarnings, r.ClockWarnings...)
	to.Held = append(to.Held, r.Held...)
	for tbl, n := range r.UnknownKinds {
		for range n {
			to.NoteUnknownKind(tbl)
		}
	}
}

func changes(n int64) string {
	if n == 1 {
		return "1 change"
	}
	return fmt.Sprintf("%d changes", n)
}

// push sends what the hub lacks, as far as this replica knows, in a new
// bundle.
func push(ctx context.Context, r Replica, hub data.Peer, baseURL string, client *http.Client, opts SyncOptions, res *HubResult) (*http.Response, error) {
	base, err := r.PeerHolds(ctx, hub.Identity.Site)
	if err != nil {
		return nil, err
	}
	body := &spill{}
	defer body.Close() // the request has been sent by the time push returns
	if res.Pushed, err = writeBundleFrom(ctx, r, []data.Peer{hub}, base, body); err != nil {
		return nil, err
	}
	rd, err := body.reader()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/v1/sync", rd)
	if err != nil {
		return nil, err
	}
	req.ContentLength = body.Len()
	req.Header.Set("Content-Type", "application/octet-stream")
	if opts.PushOnly {
		req.Header.Set(replyHeader, replyVector)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), err)
	}
	return resp, nil
}

// pull applies the hub's reply, and compares the vector it signed with
// what this laptop recorded it as holding (lowerToHub).
func pull(ctx context.Context, r Replica, hub data.Peer, resp *http.Response, res *HubResult) (hubLoss, error) {
	var atHub data.ImportResult
	_ = json.Unmarshal([]byte(resp.Header.Get("Liaisondesk-Result")), &atHub)
	addImport(&res.AtHub, atHub)
	b, err := ReadBundle(ctx, r, resp.Body)
	if err != nil {
		return hubLoss{}, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), fmt.Errorf("the reply: %w", err))
	}
	defer b.Close()
	if b.Sender != hub.Identity.Site { // checked before anything is applied
		return hubLoss{}, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), refusedf("the reply was signed by another device (%s)", b.Sender.ShortCode()))
	}
	// What the hub was recorded to hold before this reply raised it.
	recorded, err := r.PeerHolds(ctx, hub.Identity.Site)
	if err != nil {
		return hubLoss{}, err
	}
	pulled, err := r.Import(ctx, b.incoming())
	if err != nil {
		return hubLoss{}, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), fmt.Errorf("the reply: %w", err))
	}
	addImport(&res.Pulled, pulled)
	if err := r.RecordSent(ctx, hub.Identity.Site); err != nil {
		return hubLoss{}, err
	}
	loss, err := lowerToHub(ctx, r, hub, recorded, b.Holds)
	if err != nil {
		return hubLoss{}, data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), err)
	}
	return loss, nil
}

// acked takes the hub's answer to a push-only sync: its signed vector,
// answering this request's bundle, recorded as what the hub holds (and
// compared with what this laptop recorded, lowerToHub). A full sync
// answered so pulled nothing: refused, rather than reported as done.
func acked(ctx context.Context, r Replica, hub data.Peer, opts SyncOptions, resp *http.Response, res *HubResult) (hubLoss, error) {
	op := func(err error) error { return data.Op("sync", fmt.Sprintf("with hub %s", hub.Name), err) }
	if !opts.PushOnly {
		return hubLoss{}, op(refusedf("the hub answered with its vector only, not with what this laptop lacks"))
	}
	var atHub data.ImportResult
	_ = json.Unmarshal([]byte(resp.Header.Get("Liaisondesk-Result")), &atHub)
	addImport(&res.AtHub, atHub)
	rc, site, holds, err := readReceipt(ctx, r, resp.Body)
	if err != nil {
		return hubLoss{}, op(fmt.Errorf("the hub's vector: %w", err))
	}
	if site != hub.Identity.Site || rc.Bundle != res.Pushed.Bundle {
		return hubLoss{}, op(refusedf("the hub answered with a vector signed by another device, or for another request"))
	}
	recorded, err := r.PeerHolds(ctx, hub.Identity.Site)
	if err != nil {
		return hubLoss{}, err
	}
	if err := r.RecordAck(ctx, hub.Identity.Site, holds); err != nil {
		return hubLoss{}, op(err)
	}
	if err := r.RecordSent(ctx, hub.Identity.Site); err != nil {
		return hubLoss{}, err
	}
	loss, err := lowerToHub(ctx, r, hub, recorded, holds)
	if err != nil {
		return hubLoss{}, op(err)
	}
	return loss, nil
}

// lowerToHub takes a vector the hub signed as what it holds. Where this
// laptop recorded it as holding more, the hub lost those changes (its
// store put back from an older copy): the record is lowered, so the next
// push carries again what this laptop holds of them, its own or relayed.
// The hub's own changes stay as recorded: it cannot take them back (they
// would be a second history of its identity).
func lowerToHub(ctx context.Context, r Replica, hub data.Peer, recorded, holds data.Vector) (hubLoss, error) {
	var loss hubLoss
	dev, err := r.Device()
	if err != nil {
		return loss, err
	}
	mine, err := r.Vector(ctx)
	if err != nil {
		return loss, err
	}
	v := data.Vector{}
	v.Merge(holds)
	lowered := false
	for site, seq := range recorded {
		if site == hub.Identity.Site {
			v[site] = max(v[site], seq)
			continue
		}
		if holds[site] >= seq {
			continue
		}
		lowered = true
		n := max(min(seq, mine[site])-holds[site], 0)
		loss.gone += seq - holds[site] - n
		if site == dev.Site {
			loss.own += n
		} else {
			loss.others += n
		}
	}
	if !lowered {
		return loss, nil
	}
	return loss, r.ResetAck(ctx, hub.Identity.Site, v)
}

// resetToHub takes the vector a hub signed when it refused a push with a
// gap in this laptop's changes: what it was recorded to hold beyond that
// is lowered (lowerToHub), so the next push resends it.
func resetToHub(ctx context.Context, r Replica, hub data.Peer, bundle string, resp *http.Response) (hubLoss, error) {
	if resp.Header.Get("Content-Type") != receiptType {
		return hubLoss{}, &HubError{Status: resp.StatusCode, Message: "the hub refused the push without saying what it holds"}
	}
	rc, site, holds, err := readReceipt(ctx, r, resp.Body)
	if err != nil {
		return hubLoss{}, fmt.Errorf("the hub's vector: %w", err)
	}
	if site != hub.Identity.Site || rc.Bundle != bundle {
		return hubLoss{}, refusedf("the hub answered with a vector signed by another device, or for another request")
	}
	recorded, err := r.PeerHolds(ctx, hub.Identity.Site)
	if err != nil {
		return hubLoss{}, err
	}
	return lowerToHub(ctx, r, hub, recorded, holds)
}

// retryAfter reads a 503's Retry-After (seconds or a date), between 1 s
// and 5 minutes.
func retryAfter(v string) time.Duration {
	d := time.Second
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return min(max(d, time.Second), 5*time.Minute)
}

// checkHubURL refuses plain HTTP beyond loopback: the bundles are
// encrypted and signed, but who syncs with whom, when, should not travel
// in clear on a real network.
func checkHubURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%w: %q is not a hub address like https://hub.example:8443", data.ErrInvalid, raw)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%w: plain http:// is only for a hub on this machine (tests); use https://%s", data.ErrInvalid, u.Host)
		}
	}
	return nil
}

// hubPeer asks the hub who it is and finds it among the trusted peers.
func hubPeer(ctx context.Context, r Replica, baseURL string, client *http.Client) (data.Peer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/v1/identity", nil)
	if err != nil {
		return data.Peer{}, fmt.Errorf("hub URL %q: %w", baseURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return data.Peer{}, fmt.Errorf("reach the hub: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return data.Peer{}, &HubError{Status: resp.StatusCode, Message: strings.TrimSpace(string(body))}
	}
	id, err := data.ParseIdentity(string(body))
	if err != nil {
		return data.Peer{}, fmt.Errorf("%s does not look like a Liaison Desk hub: %w", baseURL, err)
	}
	peers, err := r.Peers(ctx)
	if err != nil {
		return data.Peer{}, err
	}
	for _, p := range peers {
		if p.Identity.Site != id.Site {
			continue
		}
		if p.Role != "" && p.Role != string(data.RoleHub) {
			return data.Peer{}, fmt.Errorf("%w: the device at %s is %s, certified by the organisation as %s, not as a hub", data.ErrUntrusted, baseURL, p.Name, p.Role)
		}
		if p.RevokedAt != "" {
			return data.Peer{}, fmt.Errorf("%w: the hub at %s is peer %s, revoked on %s", data.ErrUntrusted, baseURL, p.Name, p.RevokedAt)
		}
		if !bytes.Equal(p.Identity.PublicKey, id.PublicKey) && bytes.Equal(r.RotatedKey(ctx, id.Site, p.Identity.PublicKey, resp.Header.Values(rotationHeader)), id.PublicKey) {
			p.Identity = id // the hub rotated its keys, by statements its old key signed
		}
		if !bytes.Equal(p.Identity.PublicKey, id.PublicKey) {
			return data.Peer{}, fmt.Errorf("%w: the hub at %s claims to be %s but its key differs from the enrolled one", data.ErrUntrusted, baseURL, p.Name)
		}
		return p, nil
	}
	if cert := resp.Header.Get(certHeader); cert != "" {
		p, err := r.AcceptCertificate(ctx, cert, id.Site, data.RoleHub)
		if err != nil {
			return data.Peer{}, fmt.Errorf("the hub at %s: %w", baseURL, err)
		}
		if !bytes.Equal(p.Identity.PublicKey, id.PublicKey) {
			return data.Peer{}, fmt.Errorf("%w: the hub at %s presents a certificate for another key", data.ErrUntrusted, baseURL)
		}
		return p, nil
	}
	return data.Peer{}, &UntrustedHubError{URL: baseURL, Site: id.Site}
}

// UntrustedHubError is a hub this store has not enrolled as a peer. It
// matches data.ErrUntrusted; each front end says how to enrol it.
type UntrustedHubError struct {
	URL  string
	Site data.SiteID
}

func (e *UntrustedHubError) Error() string {
	return fmt.Sprintf("%v: the hub at %s (device %s) is not among this store's peers: get its identity line from the hub's operator, "+
		"by a channel you trust rather than from the network", data.ErrUntrusted, e.URL, e.Site.ShortCode())
}

func (e *UntrustedHubError) Unwrap() error { return data.ErrUntrusted }
