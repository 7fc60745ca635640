package replication

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// attachFile attaches content under name to a record and returns it.
func attachFile(t *testing.T, s *store.Store, kind data.Kind, id, name string, content []byte) *data.Attachment {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := s.Attach(context.Background(), kind, id, p, store.AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// savedContent is what a replica gives back for a hash.
func savedContent(t *testing.T, s *store.Store, sum string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.WriteContent(context.Background(), sum, &buf); err != nil {
		t.Fatalf("content %s: %v", sum[:12], err)
	}
	return buf.Bytes()
}

// sampleContent is content over two 1 MiB chunks, so the bundle streams
// several.
func sampleContent(seed byte) []byte {
	b := make([]byte, 2<<20+777)
	for i := range b {
		b[i] = byte(i*31) ^ seed
	}
	return b
}

func TestTwoLaptopsExchangeAttachmentsByBundle(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Briefing with slides")
	slides, photo := sampleContent(1), []byte("\x89PNG\r\n\x1a\n whiteboard")
	s1 := attachFile(t, a, data.KindExchange, id, "slides.pdf", slides)
	attachFile(t, a, data.KindExchange, id, "slides-again.pdf", slides) // same content: carried once
	s2 := attachFile(t, a, data.KindExchange, id, "whiteboard.png", photo)
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("digests differ after the bundle")
	}
	if !bytes.Equal(savedContent(t, b, s1.SHA256), slides) || !bytes.Equal(savedContent(t, b, s2.SHA256), photo) {
		t.Fatal("content differs on the recipient")
	}
	list, err := b.Attachments(ctx, data.KindExchange, id)
	if err != nil || len(list) != 3 {
		t.Fatalf("recipient lists %v (%v)", list, err)
	}
	checkClean(t, a)
	checkClean(t, b)

	t.Run("a bundle with no attachment content is still in format 1", func(t *testing.T) {
		addExchange(t, a, "No files")
		bb, err := ReadBundle(ctx, b, bytes.NewReader(bundle(t, a, "peerb")))
		if err != nil {
			t.Fatal(err)
		}
		if bb.Header.Format != Format || len(bb.Header.Contents) != 0 {
			t.Fatalf("format %d, contents %v", bb.Header.Format, bb.Header.Contents)
		}
	})

	t.Run("a detach travels and the content no one refers to goes", func(t *testing.T) {
		for _, name := range []string{"slides.pdf", "slides-again.pdf"} {
			if _, err := a.Detach(ctx, data.KindExchange, id, name); err != nil {
				t.Fatal(err)
			}
		}
		importOK(t, b, bundle(t, a, "peerb"))
		importOK(t, a, bundle(t, b, "peera"))
		if digest(t, a) != digest(t, b) {
			t.Fatal("digests differ after the detach")
		}
		if err := b.WriteContent(ctx, s1.SHA256, io.Discard); !errors.Is(err, data.ErrNoContent) {
			t.Fatalf("detached content still held: %v", err)
		}
		checkClean(t, b)
	})
}

func TestTwoLaptopsExchangeAttachmentsThroughTheHub(t *testing.T) {
	ctx := context.Background()
	a, b, hub := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Hub", day)
	enrol(t, a, b, hub)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	id := addExchange(t, a, "Acceptance letter")
	content := sampleContent(7)
	att := attachFile(t, a, data.KindExchange, id, "letter.pdf", content)
	if _, err := SyncHub(ctx, a, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := SyncHub(ctx, b, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := SyncHub(ctx, a, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if digest(t, a) != digest(t, b) || digest(t, hub) != digest(t, a) {
		t.Fatal("digests differ after the hub")
	}
	if !bytes.Equal(savedContent(t, b, att.SHA256), content) || !bytes.Equal(savedContent(t, hub, att.SHA256), content) {
		t.Fatal("content differs after the hub")
	}
	checkClean(t, b)
	checkClean(t, hub)
}

// tamperingSender sends attachment content other than what it attached,
// under the same hash: a hostile peer, or a relayer's damaged disk.
type tamperingSender struct{ *store.Store }

func (s tamperingSender) WriteContent(ctx context.Context, sum string, w io.Writer) error {
	var buf bytes.Buffer
	if err := s.Store.WriteContent(ctx, sum, &buf); err != nil {
		return err
	}
	b := buf.Bytes()
	b[len(b)/2] ^= 0xff
	_, err := w.Write(b)
	return err
}

func TestTamperedAttachmentContentIsRefusedAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Minutes")
	attachFile(t, a, data.KindExchange, id, "minutes.pdf", sampleContent(3))
	peers, err := TrustedPeers(ctx, a, []string{"peerb"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := WriteBundle(ctx, tamperingSender{a}, peers, &buf); err != nil {
		t.Fatal(err)
	}
	before := storeState(t, b)
	_, _, err = ImportBundle(ctx, b, bytes.NewReader(buf.Bytes()))
	if !errors.Is(err, data.ErrRefused) {
		t.Fatalf("tampered content was not refused: %v", err)
	}
	if storeState(t, b) != before || countExchanges(t, b) != 0 {
		t.Fatal("the refused bundle changed the store")
	}
	checkClean(t, b)
}
