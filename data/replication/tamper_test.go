package replication

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// tamperSetup gives a sender a with some history, a recipient b that
// trusts it, and a bundle from a to b.
func tamperSetup(t *testing.T) (a, b *store.Store, bundleBytes []byte) {
	t.Helper()
	a, b = openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Original")
	if err := a.Update(context.Background(), "exchange", id, []byte(`{"title":"Edited"}`)); err != nil {
		t.Fatal(err)
	}
	return a, b, bundle(t, a, "peerb")
}

// storeState is what must not change when a bundle is refused.
func storeState(t *testing.T, s *store.Store) string {
	t.Helper()
	v, err := s.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q, _ := s.Quarantine(context.Background())
	ps, _ := s.PeerStatuses(context.Background())
	var acks []string
	for _, p := range ps {
		acks = append(acks, p.Holds.String()+p.AckedAt)
	}
	return digest(t, s) + v.String() + strings.Join(acks, ",") + string(mustJSON(q))
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// expectRefused imports a bundle and requires a refusal mentioning want,
// with the store unchanged.
func expectRefused(t *testing.T, s *store.Store, b []byte, want string) {
	t.Helper()
	before := storeState(t, s)
	_, _, err := ImportBundle(context.Background(), s, bytes.NewReader(b))
	if err == nil {
		t.Fatalf("import accepted a bad bundle (want %q)", want)
	}
	if !errors.Is(err, data.ErrRefused) {
		t.Fatalf("error is not a refusal: %v", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	if storeState(t, s) != before {
		t.Fatal("a refused bundle changed the store")
	}
}

// decrypt opens a bundle with the recipient's key.
func decrypt(t testing.TB, s *store.Store, b []byte) []byte {
	t.Helper()
	id, err := s.AgeIdentity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(b), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// encrypt seals a plaintext to a store, as an attacker who knows its
// public recipient could.
func encrypt(t *testing.T, to *store.Store, plain []byte) []byte {
	t.Helper()
	id, err := to.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rec, err := age.ParseX25519Recipient(id.AgeRecipient)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rec)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	return buf.Bytes()
}

// split cuts a plaintext into header, signature and body.
func split(plain []byte) (header, sig, body []byte) {
	rest := plain[len(magic):]
	n := binary.BigEndian.Uint32(rest)
	rest = rest[4:]
	return rest[:n], rest[n : n+64], rest[n+64:]
}

func join(header, sig, body []byte) []byte {
	out := []byte(magic)
	out = binary.BigEndian.AppendUint32(out, uint32(len(header)))
	out = append(out, header...)
	out = append(out, sig...)
	return append(out, body...)
}

// resign rebuilds a plaintext around a new body, signed by the real
// sender's key: only the changes' own signatures can catch what is wrong.
func resign(t *testing.T, sender *store.Store, header []byte, body []byte) []byte {
	t.Helper()
	var h Header
	if err := json.Unmarshal(header, &h); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	h.BodyHash, h.BodySize = hex.EncodeToString(sum[:]), int64(len(body))
	nh, _ := json.Marshal(h)
	dev, _ := sender.Device()
	return join(nh, ed25519.Sign(dev.PrivateKey, signedHeader(nh)), body)
}

func TestABundleThatWasAlteredInAnyWayIsRefusedAndChangesNothing(t *testing.T) {
	a, b, good := tamperSetup(t)
	plain := decrypt(t, b, good)
	header, sig, body := split(plain)

	t.Run("a bit flipped anywhere in the encrypted file", func(t *testing.T) {
		for _, at := range []int{0, 40, len(good) / 3, len(good) / 2, len(good) - 20, len(good) - 1} {
			bad := bytes.Clone(good)
			bad[at] ^= 0x04
			expectRefused(t, b, bad, "")
		}
	})
	t.Run("the file truncated", func(t *testing.T) {
		for _, n := range []int{0, 10, len(good) / 2, len(good) - 1} {
			expectRefused(t, b, good[:n], "")
		}
	})
	t.Run("the header changed after signing", func(t *testing.T) {
		h := bytes.Replace(header, []byte(`"officer":"Cdr A"`), []byte(`"officer":"Cdr X"`), 1)
		expectRefused(t, b, encrypt(t, b, join(h, sig, body)), "signature does not verify")
	})
	t.Run("the header signature flipped", func(t *testing.T) {
		s := bytes.Clone(sig)
		s[5] ^= 1
		expectRefused(t, b, encrypt(t, b, join(header, s, body)), "signature does not verify")
	})
	t.Run("a body byte flipped", func(t *testing.T) {
		bd := bytes.Clone(body)
		bd[len(bd)/2] ^= 1
		expectRefused(t, b, encrypt(t, b, join(header, sig, bd)), "does not match the hash")
	})
	t.Run("the body truncated inside the encryption", func(t *testing.T) {
		expectRefused(t, b, encrypt(t, b, join(header, sig, body[:len(body)-7])), "truncated")
	})
	t.Run("a change altered and the header re-signed by the sender", func(t *testing.T) {
		batch, err := decodeBody(bytes.Clone(body))
		if err != nil {
			t.Fatal(err)
		}
		for i := range batch.Changes {
			if bytes.Contains(batch.Changes[i].Fields, []byte("Edited")) {
				batch.Changes[i].Fields = bytes.Replace(batch.Changes[i].Fields, []byte("Edited"), []byte("Forged"), 1)
			}
		}
		expectRefused(t, b, encrypt(t, b, resign(t, a, header, encodeBody(nil, batch))), "does not match the hash its author signed")
	})
	t.Run("a commit signature forged and the header re-signed", func(t *testing.T) {
		batch, _ := decodeBody(bytes.Clone(body))
		batch.Commits[len(batch.Commits)-1].Signature[0] ^= 1
		expectRefused(t, b, encrypt(t, b, resign(t, a, header, encodeBody(nil, batch))), "not signed by the enrolled key")
	})
	t.Run("a change without its commit", func(t *testing.T) {
		batch, _ := decodeBody(bytes.Clone(body))
		batch.Commits = batch.Commits[:len(batch.Commits)-1]
		var h Header
		json.Unmarshal(header, &h)
		h.Commits--
		nh, _ := json.Marshal(h)
		expectRefused(t, b, encrypt(t, b, resign(t, a, nh, encodeBody(nil, batch))), "not covered by a signed commit")
	})
	t.Run("a commit missing some of its changes", func(t *testing.T) {
		batch, _ := decodeBody(bytes.Clone(body))
		batch.Changes = batch.Changes[:len(batch.Changes)-1]
		var h Header
		json.Unmarshal(header, &h)
		h.Changes--
		nh, _ := json.Marshal(h)
		expectRefused(t, b, encrypt(t, b, resign(t, a, nh, encodeBody(nil, batch))), "arrived without")
	})
	t.Run("a malformed body encoding, signed", func(t *testing.T) {
		expectRefused(t, b, encrypt(t, b, resign(t, a, header, append(bytes.Clone(body), 0x01))), "malformed")
	})
	t.Run("not a bundle at all", func(t *testing.T) {
		expectRefused(t, b, []byte("hello, this is a text file\n"), "not a Liaison Desk bundle")
		expectRefused(t, b, encrypt(t, b, []byte("PK\x03\x04 a zip file")), "not a Liaison Desk bundle")
	})
	// After every refusal the genuine bundle still imports.
	if res := importOK(t, b, good); res.Applied == 0 {
		t.Fatalf("the genuine bundle applied nothing: %+v", res)
	}
}

func TestABundleForAnotherDeviceIsRefused(t *testing.T) {
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b, c)
	addExchange(t, a, "For B only")
	expectRefused(t, c, bundle(t, a, "peerb"), "not addressed to this device")
	// Encrypted to C, but the signed header names only B.
	plain := decrypt(t, b, bundle(t, a, "peerb"))
	expectRefused(t, c, encrypt(t, c, plain), "addressed to other devices")
}

func TestABundleFromARevokedPeerIsRefused(t *testing.T) {
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	addExchange(t, a, "Before revocation")
	bb := bundle(t, a, "peerb")
	if err := b.RevokePeer(context.Background(), "peera"); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, b, bb, "was revoked")
}

// Before the sender is known, a bundle costs the reader no more memory than
// the bytes it actually sent: a stranger announcing a huge header and
// stopping is not given a megabyte per connection.
func TestAnAnnouncedHeaderIsNotAllocatedBeforeItArrives(t *testing.T) {
	b := openReplica(t, "Cdr B", day)
	dev, _ := b.Device()
	plain := binary.BigEndian.AppendUint32([]byte(magic), maxHeader)
	plain = append(plain, `{"format":1`...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := parsePlain(context.Background(), b, dev, plain)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("want a truncated bundle refused, got %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > maxHeader/4 {
		t.Fatalf("reading a 40-byte bundle allocated %d bytes", n)
	}
}
