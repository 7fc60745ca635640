package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
)

func TestIdentityLine(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id, err := s.Identity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("reads back what it writes, names with spaces included", func(t *testing.T) {
		got, err := data.ParseIdentity(id.String())
		if err != nil || got.String() != id.String() || got.Officer != "Col. A. Sharma" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("every damaged line is refused, naming the identity", func(t *testing.T) {
		parts := strings.Fields(id.String())
		for name, line := range map[string]string{
			"empty":             "",
			"another program's": "ssh-ed25519 AAAA",
			"a part missing":    strings.Join(parts[:4], " "),
			"a short site id":   strings.Replace(id.String(), parts[1], parts[1][:30], 1),
			"a short key":       strings.Replace(id.String(), parts[3], parts[3][:60], 1),
			"a bad recipient":   strings.Replace(id.String(), parts[4], "age1notarecipient", 1),
			"not hex":           strings.Replace(id.String(), parts[3], strings.Repeat("zz", 32), 1),
		} {
			if _, err := data.ParseIdentity(line); data.FieldOf(err) != "identity" {
				t.Errorf("%s: got %v", name, err)
			}
		}
	})
	t.Run("a restored store has a new identity", func(t *testing.T) {
		dir := t.TempDir()
		if err := s.Backup(ctx, filepath.Join(dir, "b.db")); err != nil {
			t.Fatal(err)
		}
		if _, err := Restore(ctx, filepath.Join(dir, "b.db"), filepath.Join(dir, "r.db"), false); err != nil {
			t.Fatal(err)
		}
		r, err := Open(ctx, filepath.Join(dir, "r.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rid, err := r.Identity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rid.Site == id.Site || rid.AgeRecipient == id.AgeRecipient || string(rid.PublicKey) == string(id.PublicKey) {
			t.Fatal("the restored store kept a part of the old identity")
		}
	})
}

func TestAPeerWhoseDeviceCodeIsTakenIsRefused(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	dev, _ := s.Device()
	other := data.Identity{Site: dev.Site, Officer: "Twin", PublicKey: make([]byte, 32), AgeRecipient: mustIdentityOf(t, s).AgeRecipient}
	other.Site[15] ^= 1 // same first two bytes: same device code
	_, err := s.AddPeer(ctx, "twin", other.String())
	if !errors.Is(err, data.ErrInvalid) || !strings.Contains(err.Error(), "same device code") {
		t.Fatalf("want a refusal naming the device code, got %v", err)
	}
	if ps, _ := s.Peers(ctx); len(ps) != 0 {
		t.Fatalf("enrolled anyway: %+v", ps)
	}
}

func mustIdentityOf(t *testing.T, s *Store) data.Identity {
	t.Helper()
	id, err := s.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}
