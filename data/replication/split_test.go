package replication

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"liaisondesk/data"
)

// splitFor writes a bundle from a to b and splits it into parts of max.
func splitFor(t *testing.T, bundleBytes []byte, max int64) []string {
	t.Helper()
	parts, err := SplitBundle(bytes.NewReader(bundleBytes), int64(len(bundleBytes)), max, filepath.Join(t.TempDir(), "bundle"))
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

func TestSplitPartsImportInAnyOrderAndATamperedPartChangesNothing(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Pack")
	att := attachFile(t, a, data.KindExchange, id, "pack.pdf", sampleContent(9))
	whole := bundle(t, a, "peerb")
	parts := splitFor(t, whole, 512<<10)
	if len(parts) < 4 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if st, _ := os.Stat(p); st.Size() > 512<<10 {
			t.Fatalf("%s is %d bytes, over the limit", p, st.Size())
		}
	}
	staging := filepath.Join(t.TempDir(), "parts")

	t.Run("a tampered part: the bundle is refused and the store unchanged", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad")
		b2, _ := os.ReadFile(parts[1])
		b2[len(b2)-100] ^= 0xff
		os.WriteFile(bad, b2, 0o600)
		before := storeState(t, b)
		order := append([]string{bad}, parts[2:]...)
		order = append(order, parts[0])
		var err error
		for _, p := range order {
			_, _, _, err = ImportPart(ctx, b, staging, p)
		}
		if !errors.Is(err, data.ErrRefused) {
			t.Fatalf("got %v", err)
		}
		if storeState(t, b) != before {
			t.Fatal("a tampered split changed the store")
		}
	})

	// The genuine parts, in a scrambled order (another staging folder: the
	// tampered one stays staged until its genuine part replaces it).
	staging = filepath.Join(t.TempDir(), "parts")
	order := []string{parts[2], parts[0], parts[len(parts)-1]}
	for i := range parts {
		if i != 2 && i != 0 && i != len(parts)-1 {
			order = append(order, parts[i])
		}
	}
	var waiting *PartsWaiting
	var err error
	for _, p := range order {
		waiting, _, _, err = ImportPart(ctx, b, staging, p)
		if err != nil {
			t.Fatal(err)
		}
	}
	if waiting != nil {
		t.Fatalf("still waiting for %v", waiting.Missing)
	}
	if !bytes.Equal(savedContent(t, b, att.SHA256), sampleContent(9)) {
		t.Fatal("content differs after the split")
	}
	if left, _ := os.ReadDir(staging); len(left) != 0 {
		t.Fatalf("staged parts left: %v", left)
	}
	checkClean(t, b)
}
