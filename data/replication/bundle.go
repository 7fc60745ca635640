// Package sync moves changes between replicas (docs/ARCHITECTURE.md §4): bundles
// carried across an air gap, receipts carried back, and a hub over HTTP,
// all in one format: a header signed by the sender and a body of changes
// with their signed commits, the whole encrypted with age to the
// recipients.
package replication

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// Format is the bundle format version this build writes for a store in
// no organisation; FormatOrg adds the sender's certificate and the roster
// to the signed header. This build reads both.
const (
	Format    = 1
	FormatOrg = 2
	// FormatContent: attachment content follows the body, each listed in
	// the signed header's Contents (hash and size) and streamed in that
	// order; written only when there is content, so a bundle without any
	// still reads on older versions.
	FormatContent = 3
)

// magic starts the decrypted bundle.
const magic = "liaisondesk-bundle-v1\n"

// maxHeader bounds the signed header, which is read before anything is
// verified.
const maxHeader = 1 << 20

// Header describes a bundle; the sender signs it, and its body hash ties
// the body to the signature.
type Header struct {
	Format     int              `json:"format"`
	Bundle     string           `json:"bundle"` // UUIDv7, remembered by importers
	Sender     string           `json:"sender"` // site id
	Officer    string           `json:"officer"`
	Recipients []string         `json:"recipients"` // site ids
	Holds      map[string]int64 `json:"holds"`      // the sender's vector
	Created    string           `json:"created"`
	Commits    int              `json:"commits"`
	Changes    int              `json:"changes"`
	BodySize   int64            `json:"body_size"`
	BodyHash   string           `json:"body_hash"` // SHA-256, hex
	// Format 2 (FormatOrg): the sender's certificate, checked before the
	// body is read by a device that knows only the organisation's key, and
	// every roster entry the sender holds, which the importer stores.
	Cert   string   `json:"cert,omitempty"`
	Roster []string `json:"roster,omitempty"`
	// Every key rotation statement the sender holds (its own and
	// relayed): a rotated sender's header verifies with the key its
	// statements lead to from the one the importer holds.
	Rotations []string `json:"rotations,omitempty"`
	// Format 3 (FormatContent): the attachment content after the body,
	// in this order, each exactly its size and checked against its hash
	// as the import stores it.
	Contents []data.ContentRef `json:"contents,omitempty"`
}

// rosterLines is what an importer stores of the organisation's roster.
func (h *Header) rosterLines() []string {
	if h.Cert == "" {
		return h.Roster
	}
	return append(slices.Clone(h.Roster), h.Cert)
}

// signedHeader is what the header signature covers.
func signedHeader(header []byte) []byte {
	return append([]byte("liaisondesk-bundle-header-v1\x00"), header...)
}

// Replica is what sync needs of a store. The laptop's store and the hub's
// are both one (*store.Store, embedded SQLite); a hub kept in PostgreSQL
// implements the same methods and passes the same conformance tests
// (replica_test.go).
type Replica interface {
	Device() (*data.Device, error)
	Identity(ctx context.Context) (data.Identity, error)
	AgeIdentity(ctx context.Context) (*age.X25519Identity, error)
	Peers(ctx context.Context) ([]data.Peer, error)
	SenderKey(ctx context.Context, sender data.SiteID) ([]byte, error)
	// The organisation (docs/ARCHITECTURE.md §4.4): the roster this replica
	// carries, a sender's key from the certificate it presents, and a hub's
	// certificate taken at first contact.
	RosterLines(ctx context.Context) (all []string, own string, err error)
	SenderKeyFor(ctx context.Context, sender data.SiteID, cert string) ([]byte, error)
	AcceptCertificate(ctx context.Context, line string, site data.SiteID, want data.Role) (data.Peer, error)
	// Key rotation: the statements this replica carries, and the key a
	// sender signs with now, following its statements from key.
	RotationLines(ctx context.Context) ([]string, error)
	RotatedKey(ctx context.Context, sender data.SiteID, key []byte, lines []string) []byte
	Vector(ctx context.Context) (data.Vector, error)
	PeerHolds(ctx context.Context, peer data.SiteID) (data.Vector, error)
	// OutgoingPage is the first page of what a replica holding have
	// lacks: at most limit changes (limit > 0), in site order and, within
	// a site, in seq order, each site's starting just after have[site]
	// (or after a seq it holds as discarded) and leaving out none it holds
	// between; every commit that covers one of them, whole (a commit the
	// page's end cuts comes again with the next page); the author of every
	// site in the page. Merging the page's highest seq of each site into
	// have gives the next page; an empty page is the end. Each page is one
	// consistent read; changes that arrive between pages may appear in a
	// later one.
	OutgoingPage(ctx context.Context, have data.Vector, limit int) (*data.Batch, error)
	// Import verifies everything in, then applies all of it in one
	// transaction, or nothing when anything is refused. With in.Pages set
	// the changes come a page at a time and can be read again from the
	// first: the import reads them once to verify, then again to apply,
	// holding no more than it must (a page, each commit's hashes, and what
	// it needs to merge the records they touch); it may spool them to a
	// temporary file instead. A batch imported before (in.BundleID seen)
	// is a no-op that says so (ImportResult.Replay).
	Import(ctx context.Context, in data.Incoming) (data.ImportResult, error)
	RecordAck(ctx context.Context, peer data.SiteID, v data.Vector) error
	ResetAck(ctx context.Context, peer data.SiteID, v data.Vector) error
	BundleSeen(ctx context.Context, sender data.SiteID, bundle string) (bool, error)
	RememberBundle(ctx context.Context, sender data.SiteID, bundle string) error
	RecordSent(ctx context.Context, peer data.SiteID) error
	// Attachment content: what a batch (a page) refers to and this replica
	// holds, and its bytes, streamed and checked against their hash.
	ContentFor(ctx context.Context, b *data.Batch) ([]data.ContentRef, error)
	WriteContent(ctx context.Context, sum string, w io.Writer) error
}

var _ Replica = (*store.Store)(nil)

// CreateResult says what a new bundle holds.
type CreateResult struct {
	Bundle     string   `json:"bundle"`
	Recipients []string `json:"recipients"`
	Changes    int      `json:"changes"`
	Commits    int      `json:"commits"`
	Bytes      int64    `json:"bytes"`
}

// TrustedPeers finds peers by name, refusing unknown and revoked ones.
func TrustedPeers(ctx context.Context, r Replica, names []string) ([]data.Peer, error) {
	peers, err := r.Peers(ctx)
	if err != nil {
		return nil, err
	}
	var out []data.Peer
	for _, name := range names {
		i := slices.IndexFunc(peers, func(p data.Peer) bool { return p.Name == name })
		switch {
		case i < 0:
			return nil, &data.PeerNotFoundError{Name: name}
		case peers[i].RevokedAt != "":
			return nil, fmt.Errorf("%w: peer %s was revoked on %s", data.ErrInvalid, name, peers[i].RevokedAt)
		}
		if !slices.ContainsFunc(out, func(p data.Peer) bool { return p.Name == name }) {
			out = append(out, peers[i])
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: name at least one peer to send to", data.ErrInvalid)
	}
	return out, nil
}

// have is what every recipient holds, as far as we know: the changes a
// bundle to all of them must carry are those beyond it.
func have(ctx context.Context, r Replica, to []data.Peer) (data.Vector, error) {
	var common data.Vector
	for i, p := range to {
		v, err := r.PeerHolds(ctx, p.Identity.Site)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			common = v
			continue
		}
		for site, seq := range common {
			common[site] = min(seq, v[site])
		}
	}
	return common, nil
}

// WriteBundle writes a bundle to the peers: every change they may lack
// (beyond what they last acknowledged), signed and encrypted to them. With
// nothing new it is still a valid bundle, which tells them what we hold.
func WriteBundle(ctx context.Context, r Replica, to []data.Peer, w io.Writer) (CreateResult, error) {
	base, err := have(ctx, r, to)
	if err != nil {
		return CreateResult{}, err
	}
	res, err := writeBundleFrom(ctx, r, to, base, w)
	if err != nil {
		return res, err
	}
	for _, p := range to {
		if err := r.RecordSent(ctx, p.Identity.Site); err != nil {
			return res, err
		}
	}
	return res, nil
}

// writeBundleFrom writes a bundle carrying what a replica holding base lacks.
func writeBundleFrom(ctx context.Context, r Replica, to []data.Peer, base data.Vector, w io.Writer) (CreateResult, error) {
	dev, err := r.Device()
	if err != nil {
		return CreateResult{}, err
	}
	holds, err := r.Vector(ctx)
	if err != nil {
		return CreateResult{}, err
	}
	out, err := collectOutgoing(ctx, r, base)
	if err != nil {
		return CreateResult{}, err
	}
	defer out.Close()
	holds.Merge(out.reach) // what arrived while the pages were read
	id, err := uuid.NewV7()
	if err != nil {
		return CreateResult{}, err
	}
	body, size, sum, err := out.body()
	if err != nil {
		return CreateResult{}, fmt.Errorf("write bundle: %w", err)
	}
	h := Header{Format: Format, Bundle: id.String(), Sender: dev.Site.String(), Officer: dev.Officer,
		Holds: vectorJSON(holds), Created: time.Now().UTC().Format(time.RFC3339),
		Commits: out.nCommits, Changes: out.n, BodySize: size, BodyHash: hex.EncodeToString(sum)}
	if h.Roster, h.Cert, err = r.RosterLines(ctx); err != nil {
		return CreateResult{}, err
	}
	if h.Rotations, err = r.RotationLines(ctx); err != nil {
		return CreateResult{}, err
	}
	if h.Cert != "" || len(h.Roster) > 0 {
		h.Format = FormatOrg
	}
	if h.Contents = out.contents; len(h.Contents) > 0 {
		h.Format = FormatContent
	}
	var recipients []age.Recipient
	for _, p := range to {
		rec, err := age.ParseX25519Recipient(p.Identity.AgeRecipient)
		if err != nil {
			return CreateResult{}, fmt.Errorf("peer %s: %w", p.Name, err)
		}
		recipients = append(recipients, rec)
		h.Recipients = append(h.Recipients, p.Identity.Site.String())
	}
	header, err := json.Marshal(h)
	if err != nil {
		return CreateResult{}, err
	}
	sig, err := dev.Sign(signedHeader(header))
	if err != nil {
		return CreateResult{}, err
	}
	cw := &countingWriter{w: w}
	enc, err := age.Encrypt(cw, recipients...)
	if err != nil {
		return CreateResult{}, fmt.Errorf("encrypt: %w", err)
	}
	bw := bufio.NewWriterSize(enc, 64<<10)
	bw.WriteString(magic)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(header)))
	bw.Write(n[:])
	bw.Write(header)
	bw.Write(sig)
	if _, err := io.Copy(bw, body); err != nil {
		return CreateResult{}, fmt.Errorf("write bundle: %w", err)
	}
	for _, c := range h.Contents { // streamed, a chunk at a time
		if err := r.WriteContent(ctx, c.SHA256, bw); err != nil {
			return CreateResult{}, fmt.Errorf("write bundle: attachment content: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return CreateResult{}, fmt.Errorf("write bundle: %w", err)
	}
	if err := enc.Close(); err != nil {
		return CreateResult{}, fmt.Errorf("write bundle: %w", err)
	}
	return CreateResult{Bundle: h.Bundle, Recipients: h.Recipients, Changes: h.Changes, Commits: h.Commits, Bytes: cw.n}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func vectorJSON(v data.Vector) map[string]int64 {
	out := make(map[string]int64, len(v))
	for site, seq := range v {
		out[site.String()] = seq
	}
	return out
}

func parseVector(m map[string]int64) (data.Vector, error) {
	v := data.Vector{}
	for s, seq := range m {
		site, err := data.ParseSiteID(s)
		if err != nil {
			return nil, err
		}
		if seq < 0 || seq >= 1<<40 {
			return nil, fmt.Errorf("seq %d of %s out of range", seq, s)
		}
		v[site] = seq
	}
	return v, nil
}

// Bundle is a bundle read and verified: its header and its changes.
type Bundle struct {
	Header Header
	Sender data.SiteID
	Holds  data.Vector
	// Batch holds the authors and commits; the changes stay in body,
	// spooled, read a page at a time by the import.
	Batch *data.Batch
	body  *spooledBody
	// content is the rest of the decrypted stream, the attachment content
	// the header lists, read by the import; nil for none.
	content io.Reader
}

// incoming is what a verified bundle gives the replica to import.
func (b *Bundle) incoming() data.Incoming {
	return data.Incoming{BundleID: b.Header.Bundle, Sender: b.Sender, SenderHolds: b.Holds, Batch: b.Batch, Pages: b.body.pages,
		Roster: b.Header.rosterLines(), Rotations: b.Header.Rotations, Contents: b.Header.Contents, ContentReader: b.content}
}

// Close removes the spooled body, if it went to a temporary file.
func (b *Bundle) Close() {
	if b != nil && b.body != nil {
		b.body.Close()
	}
}

// refusedf is a refusal naming what is wrong with a bundle.
func refusedf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", data.ErrRefused, fmt.Sprintf(format, args...))
}

// ReadBundle decrypts a bundle addressed to r and verifies everything a
// bundle alone can prove: it is for us, its sender is a trusted peer, the
// header is signed by that sender, the body is complete and untouched and
// decodes. The header is verified before the body is read, so a stranger's
// bundle is refused without reading the rest. The changes' own signatures
// are checked when it is imported.
func ReadBundle(ctx context.Context, r Replica, in io.Reader) (*Bundle, error) {
	return readBundle(ctx, r, in, nil)
}

// authError is a bundle whose sender is not trusted here, or whose header
// its sender's key does not verify: a hub answers all of them alike.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// readBundle is ReadBundle calling verified, when given, once the header
// is verified and before the body is read: an error from it ends the read.
func readBundle(ctx context.Context, r Replica, in io.Reader, verified func(*Header, data.SiteID) error) (*Bundle, error) {
	me, err := r.AgeIdentity(ctx)
	if err != nil {
		return nil, err
	}
	dev, err := r.Device()
	if err != nil {
		return nil, err
	}
	dec, err := age.Decrypt(in, me)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return nil, refusedf("this bundle is not addressed to this device (%s): it was encrypted to other recipients, or its envelope is damaged", dev.Site.ShortCode())
		}
		return nil, refusedf("this is not a Liaison Desk bundle, or its envelope is damaged (%v)", err)
	}
	return readPlain(ctx, r, dev, &damageReader{r: dec}, verified)
}

// damageReader reports a failure of the decrypting reader (a chunk that
// does not authenticate, a cut-off stream) as a damaged bundle.
type damageReader struct{ r io.Reader }

func (d *damageReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: the bundle is damaged or truncated: decryption failed (%w)", data.ErrRefused, err)
	}
	return n, err
}

// parsePlain reads and verifies a decrypted bundle held in memory.
func parsePlain(ctx context.Context, r Replica, dev *data.Device, plain []byte) (*Bundle, error) {
	return readPlain(ctx, r, dev, bytes.NewReader(plain), nil)
}

// readFull reads exactly len(p) bytes, calling a short read truncation.
func readFull(rd io.Reader, p []byte, what string) error {
	if _, err := io.ReadFull(rd, p); err != nil {
		if errors.Is(err, data.ErrRefused) {
			return err
		}
		return refusedf("the bundle is truncated (%s)", what)
	}
	return nil
}

// readPlain reads and verifies a decrypted bundle: the header and its
// signature first, then the body it announces, nothing after it.
func readPlain(ctx context.Context, r Replica, dev *data.Device, rd io.Reader, verified func(*Header, data.SiteID) error) (*Bundle, error) {
	head := make([]byte, len(magic)+4)
	if _, err := io.ReadFull(rd, head); err != nil || !bytes.HasPrefix(head, []byte(magic)) {
		if errors.Is(err, data.ErrRefused) {
			return nil, err
		}
		return nil, refusedf("this is not a Liaison Desk bundle (format marker missing)")
	}
	hlen := binary.BigEndian.Uint32(head[len(magic):])
	if hlen > maxHeader {
		return nil, refusedf("the bundle header is malformed (%d bytes)", hlen)
	}
	// Read, not allocated up front: before the sender is known, the
	// header costs no more memory than the bytes that actually came.
	headerBytes, err := io.ReadAll(io.LimitReader(rd, int64(hlen)))
	if errors.Is(err, data.ErrRefused) {
		return nil, err
	}
	if err != nil || len(headerBytes) != int(hlen) {
		return nil, refusedf("the bundle is truncated (in its header)")
	}
	sig := make([]byte, ed25519.SignatureSize)
	if err := readFull(rd, sig, "in its signature"); err != nil {
		return nil, err
	}
	var h Header
	if err := json.Unmarshal(headerBytes, &h); err != nil {
		return nil, refusedf("the bundle header is malformed (%v)", err)
	}
	if h.Format != Format && h.Format != FormatOrg && h.Format != FormatContent {
		return nil, refusedf("the bundle is in format %d; this version reads formats %d to %d: update Liaison Desk", h.Format, Format, FormatContent)
	}
	if (h.Format == FormatContent) != (len(h.Contents) > 0) {
		return nil, refusedf("the bundle header is malformed (format %d with %d attachment contents)", h.Format, len(h.Contents))
	}
	for _, c := range h.Contents {
		if err := c.Check(); err != nil {
			return nil, refusedf("the bundle header lists attachment content it cannot carry: %v", err)
		}
	}
	sender, err := data.ParseSiteID(h.Sender)
	if err != nil {
		return nil, refusedf("the bundle header names no valid sender")
	}
	key, err := r.SenderKeyFor(ctx, sender, h.Cert)
	if err != nil {
		return nil, &authError{err}
	}
	if len(h.Rotations) > 0 {
		key = r.RotatedKey(ctx, sender, key, h.Rotations)
	}
	if !ed25519.Verify(key, signedHeader(headerBytes), sig) {
		return nil, &authError{refusedf("the bundle header's signature does not verify with the key of its sender %s (altered or forged)", sender.ShortCode())}
	}
	if !slices.Contains(h.Recipients, dev.Site.String()) {
		return nil, refusedf("this bundle is addressed to other devices, not to this one (%s)", dev.Site.ShortCode())
	}
	if _, err := uuid.Parse(h.Bundle); err != nil {
		return nil, refusedf("the bundle id is malformed")
	}
	if verified != nil {
		if err := verified(&h, sender); err != nil {
			return nil, err
		}
	}
	if h.BodySize < 0 || h.BodySize > maxPush {
		return nil, refusedf("the bundle announces a body of %d bytes", h.BodySize)
	}
	body, batch, err := spoolBody(rd, h.BodySize, h.BodyHash, sender)
	if err != nil {
		return nil, err
	}
	if body.changes != h.Changes || len(batch.Commits) != h.Commits {
		body.Close()
		return nil, refusedf("the bundle holds %d changes and %d commits, its header says %d and %d",
			body.changes, len(batch.Commits), h.Changes, h.Commits)
	}
	var content io.Reader
	if len(h.Contents) > 0 {
		content = rd // the import streams it, checking each against its hash
	} else if n, _ := io.Copy(io.Discard, io.LimitReader(rd, 1<<20)); n > 0 {
		body.Close()
		return nil, refusedf("the bundle has %d unexpected bytes after its body", n)
	}
	holds, err := parseVector(h.Holds)
	if err != nil {
		body.Close()
		return nil, refusedf("the bundle header's vector is malformed: %v", err)
	}
	return &Bundle{Header: h, Sender: sender, Holds: holds, Batch: batch, body: body, content: content}, nil
}

// ImportBundle reads, verifies and applies a bundle in one transaction.
func ImportBundle(ctx context.Context, r Replica, in io.Reader) (data.ImportResult, *Bundle, error) {
	return ImportBundleProgress(ctx, r, in, nil)
}

// ImportBundleProgress is ImportBundle telling progress how far it is
// (see data.Incoming.Progress).
func ImportBundleProgress(ctx context.Context, r Replica, in io.Reader, progress func(done, total int)) (data.ImportResult, *Bundle, error) {
	b, err := ReadBundle(ctx, r, in)
	if err != nil {
		return data.ImportResult{}, nil, data.Op("bundle", "import", err)
	}
	defer b.Close()
	incoming := b.incoming()
	incoming.Progress = progress
	res, err := r.Import(ctx, incoming)
	if err != nil {
		return res, b, data.Op("bundle", "import", err)
	}
	return res, b, nil
}
