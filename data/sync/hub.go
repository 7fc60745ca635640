package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

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
//
// A device proves itself by the signature on its bundle's header, made
// with its enrolled key; the reply is encrypted to that device alone. An
// unknown or revoked device gets 403.

// maxPush bounds one pushed bundle.
const maxPush = 1 << 30

// Hub serves sync over HTTP for a replica.
type Hub struct {
	R   Replica
	Log *log.Logger // nil: no request log
}

// Handler returns the hub's HTTP handler.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/identity", h.identity)
	mux.HandleFunc("POST /v1/sync", h.sync)
	return mux
}

func (h *Hub) logf(format string, args ...any) {
	if h.Log != nil {
		h.Log.Printf(format, args...)
	}
}

func (h *Hub) identity(w http.ResponseWriter, r *http.Request) {
	id, err := h.R.Identity(r.Context())
	if err != nil {
		http.Error(w, "hub identity: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, id)
}

func (h *Hub) sync(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := ReadBundle(ctx, h.R, http.MaxBytesReader(w, r.Body, maxPush))
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	res, err := h.R.Import(ctx, data.Incoming{BundleID: b.Header.Bundle, Sender: b.Sender, SenderHolds: b.Holds, Batch: b.Batch})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	peers, err := h.R.Peers(ctx)
	if err != nil {
		http.Error(w, "hub: "+err.Error(), http.StatusInternalServerError)
		return
	}
	i := slices.IndexFunc(peers, func(p data.Peer) bool { return p.Identity.Site == b.Sender && p.RevokedAt == "" })
	if i < 0 {
		http.Error(w, "hub: the device was revoked during the sync", http.StatusForbidden)
		return
	}
	// The device holds what its header says plus what it just pushed.
	base := b.Holds
	var reply bytes.Buffer
	out, err := writeBundleFrom(ctx, h.R, []data.Peer{peers[i]}, base, &reply)
	if err != nil {
		http.Error(w, "hub: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if err := h.R.RecordSent(ctx, b.Sender); err != nil {
		http.Error(w, "hub: "+err.Error(), http.StatusInternalServerError)
		return
	}
	result, _ := json.Marshal(res)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Liaisondesk-Result", string(result))
	w.WriteHeader(http.StatusOK)
	w.Write(reply.Bytes())
	h.logf("sync from %s (%s): applied %d, already had %d, quarantined %d; sent %d changes",
		peers[i].Name, b.Sender.ShortCode(), res.Applied, res.AlreadyHad, res.Quarantined, out.Changes)
	for _, held := range res.Held {
		h.logf("sync from %s (%s): held for review: %s", peers[i].Name, b.Sender.ShortCode(), held)
	}
}

// refuse answers a push the hub will not take: 403 for a device that is
// not enrolled, 400 for a damaged or forged bundle.
func (h *Hub) refuse(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, data.ErrUntrusted):
		status = http.StatusForbidden
	case errors.As(err, &tooBig):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, data.ErrRefused), errors.Is(err, data.ErrInvalid):
		status = http.StatusBadRequest
	}
	h.logf("sync from %s refused (%d): %v", r.RemoteAddr, status, err)
	http.Error(w, err.Error(), status)
}

// HubResult is what a sync with the hub did, both ways.
type HubResult struct {
	Hub    string            `json:"hub"`    // the hub's peer name
	Pushed CreateResult      `json:"pushed"` // the bundle sent up
	AtHub  data.ImportResult `json:"at_hub"` // what the hub applied of it
	Pulled data.ImportResult `json:"pulled"` // what this store applied of the reply
}

// HubError is a hub's refusal, with its HTTP status.
type HubError struct {
	Status  int
	Message string
}

func (e *HubError) Error() string {
	if e.Status == http.StatusForbidden {
		return fmt.Sprintf("the hub refused this device (HTTP 403): the hub's operator must enrol this device's identity line "+
			"('liaisondesk identity' prints it) at the hub with 'liaisondesk --db HUB.db peers add NAME IDENTITY'. The hub said: %s", e.Message)
	}
	return fmt.Sprintf("the hub answered HTTP %d: %s", e.Status, e.Message)
}

// SyncHub pushes what the hub lacks and pulls what this replica lacks, in
// one exchange (client nil: http.DefaultClient). The hub must be a trusted peer: its identity is checked
// before anything is sent.
func SyncHub(ctx context.Context, r Replica, baseURL string, client *http.Client) (HubResult, error) {
	var res HubResult
	if client == nil {
		client = http.DefaultClient
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
	base, err := r.PeerHolds(ctx, hub.Identity.Site)
	if err != nil {
		return res, err
	}
	var push bytes.Buffer
	if res.Pushed, err = writeBundleFrom(ctx, r, []data.Peer{hub}, base, &push); err != nil {
		return res, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/v1/sync", &push)
	if err != nil {
		return res, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := client.Do(req)
	if err != nil {
		return res, fmt.Errorf("sync with hub %s: %w", hub.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return res, &HubError{Status: resp.StatusCode, Message: strings.TrimSpace(string(msg))}
	}
	_ = json.Unmarshal([]byte(resp.Header.Get("Liaisondesk-Result")), &res.AtHub)
	b, err := ReadBundle(ctx, r, resp.Body)
	if err != nil {
		return res, fmt.Errorf("sync with hub %s: the reply: %w", hub.Name, err)
	}
	if b.Sender != hub.Identity.Site { // checked before anything is applied
		return res, fmt.Errorf("sync with hub %s: %w", hub.Name, refusedf("the reply was signed by another device (%s)", b.Sender.ShortCode()))
	}
	pulled, err := r.Import(ctx, data.Incoming{BundleID: b.Header.Bundle, Sender: b.Sender, SenderHolds: b.Holds, Batch: b.Batch})
	if err != nil {
		return res, fmt.Errorf("sync with hub %s: the reply: %w", hub.Name, err)
	}
	res.Pulled = pulled
	if err := r.RecordSent(ctx, hub.Identity.Site); err != nil {
		return res, err
	}
	return res, nil
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
		if p.RevokedAt != "" {
			return data.Peer{}, fmt.Errorf("%w: the hub at %s is peer %s, revoked on %s", data.ErrUntrusted, baseURL, p.Name, p.RevokedAt)
		}
		if !bytes.Equal(p.Identity.PublicKey, id.PublicKey) {
			return data.Peer{}, fmt.Errorf("%w: the hub at %s claims to be %s but its key differs from the enrolled one", data.ErrUntrusted, baseURL, p.Name)
		}
		return p, nil
	}
	return data.Peer{}, fmt.Errorf("%w: the hub at %s (device %s) is not among this store's peers: get its identity line from the hub's operator, "+
		"by a channel you trust rather than from the network, and enrol it with 'liaisondesk peers add hub IDENTITY'",
		data.ErrUntrusted, baseURL, id.Site.ShortCode())
}
