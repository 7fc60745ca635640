package synctest

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// copyStore copies the store file src into dir as name and opens it; the
// caller closes it.
func copyStore(b *testing.B, src, dir, name string) *store.Store {
	b.Helper()
	dst := filepath.Join(dir, name)
	if err := copyFile(src, dst); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(context.Background(), dst)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// copyFile streams: a source store of 1,000,000 changes is 1.7 GB.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// newStore is an initialised, empty SQLite store in dir, officer
// "Cdr <name>"; the caller closes it.
func newStore(b *testing.B, dir, name string) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Init(context.Background(), data.Officer{Name: "Cdr " + name, Rank: "Commander", Posting: "CMF"}); err != nil {
		s.Close()
		b.Fatal(err)
	}
	return s
}

// enrol makes x and y trust each other: y is yName at x, x is xName at y.
func enrol(b *testing.B, x Replica, xName string, y Replica, yName string) {
	b.Helper()
	ctx := context.Background()
	for _, p := range []struct {
		at, peer Replica
		name     string
	}{{x, y, yName}, {y, x, xName}} {
		id, err := p.peer.Identity(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.at.AddPeer(ctx, p.name, id.String()); err != nil {
			b.Fatal(err)
		}
	}
}
