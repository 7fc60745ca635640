package replication

import (
	"bytes"
	"context"
	"testing"
)

// Every decoder of sync input is fuzzed: nothing may panic, allocate past
// its input, or accept what it cannot read back. Seeds are in
// testdata/fuzz; `go test -fuzz=FuzzDecodeBody ./data/replication/` explores more.

func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{1})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := decodeBody(body)
		if err != nil {
			return
		}
		// What decodes re-encodes to the same bytes: the format has one
		// spelling, so a signed body cannot be re-read two ways.
		if again := encodeBody(nil, b); !bytes.Equal(again, body) {
			t.Fatalf("body decodes but re-encodes differently:\n%x\n%x", body, again)
		}
	})
}

func FuzzReadBundle(f *testing.F) {
	a, b := openReplica(f, "Cdr A", day), openReplica(f, "Cdr B", day)
	enrol(f, a, b)
	addExchange(f, a, "Seed")
	good := bundle(f, a, "peerb")
	plain := decrypt(f, b, good)
	f.Add(plain)
	f.Add(plain[:len(plain)/2])
	f.Add([]byte(magic))
	dev, _ := b.Device()
	f.Fuzz(func(t *testing.T, in []byte) {
		bd, err := parsePlain(context.Background(), b, dev, in)
		if err == nil && !bytes.Equal(in, plain) {
			// Only the genuine plaintext carries the sender's signature.
			t.Fatalf("accepted an altered bundle: %+v", bd.Header)
		}
	})
}

func FuzzReadReceipt(f *testing.F) {
	a, b := openReplica(f, "Cdr A", day), openReplica(f, "Cdr B", day)
	enrol(f, a, b)
	var rc bytes.Buffer
	if err := WriteReceipt(context.Background(), b, "", &rc); err != nil {
		f.Fatal(err)
	}
	good := rc.Bytes()
	f.Add(good)
	f.Add([]byte(receiptMagic + "\n{}\n\n"))
	f.Add([]byte("liaisondesk-receipt-v1\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		_, _, _, err := readReceipt(context.Background(), a, bytes.NewReader(in))
		if err == nil && !bytes.Equal(bytes.TrimSpace(in), bytes.TrimSpace(good)) && !bytes.Contains(in, []byte("\r")) {
			t.Fatalf("accepted an altered receipt: %q", in)
		}
	})
}
