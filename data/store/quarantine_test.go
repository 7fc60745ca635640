package store

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"liaisondesk/data"
)

// forgeAs rewrites a batch as if site had authored it, signed with priv
// and vouched for with priv's public key: what an enrolled peer can make
// in another device's name.
func forgeAs(b *data.Batch, site data.SiteID, priv ed25519.PrivateKey) *data.Batch {
	out := &data.Batch{Authors: []data.Author{{Site: site, PublicKey: priv.Public().(ed25519.PublicKey), Officer: "Forged"}}}
	for _, c := range b.Commits {
		nc := data.Commit{Site: site, FirstSeq: c.FirstSeq, LastSeq: c.LastSeq}
		for _, ch := range b.Changes {
			if ch.ID.Seq < c.FirstSeq || ch.ID.Seq > c.LastSeq {
				continue
			}
			ch.ID.Site = site
			h := ch.Hash()
			nc.Hashes = append(nc.Hashes, h[:]...)
			out.Changes = append(out.Changes, ch)
		}
		nc.Signature = ed25519.Sign(priv, data.CommitMessage(site, nc.FirstSeq, nc.LastSeq, nc.Hashes))
		out.Commits = append(out.Commits, nc)
	}
	return out
}

// forgery sets up b, which trusts m, and a batch m forged in c's name
// holding a new exchange.
func forgery(t *testing.T) (b, c, m *Store, forged *data.Batch, exchangeID string) {
	t.Helper()
	ctx := context.Background()
	b, c, m = openTestStore(t), openTestStore(t), openTestStore(t)
	if _, err := b.AddPeer(ctx, "m", mustIdentityOf(t, m).String()); err != nil {
		t.Fatal(err)
	}
	ids, err := m.Add(ctx, sampleExchange())
	if err != nil {
		t.Fatal(err)
	}
	batch, err := m.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	mdev, _ := m.Device()
	cdev, _ := c.Device()
	return b, c, m, forgeAs(batch, cdev.Site, mdev.PrivateKey), ids[0]
}

func TestAPeerCannotForgeTheChangesOfARevokedDevice(t *testing.T) {
	ctx := context.Background()
	t.Run("relayed after the revocation: refused", func(t *testing.T) {
		b, c, m, forged, id := forgery(t)
		if _, err := b.AddPeer(ctx, "c", mustIdentityOf(t, c).String()); err != nil {
			t.Fatal(err)
		}
		if err := b.RevokePeer(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		mdev, _ := m.Device()
		_, err := b.Import(ctx, data.Incoming{Sender: mdev.Site, Batch: forged})
		if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "does not verify") {
			t.Fatalf("a forgery in a revoked device's name was not refused: %v", err)
		}
		if q, _ := b.Quarantine(ctx); len(q) != 0 {
			t.Fatalf("held for review: %+v", q)
		}
		if _, err := b.Get(ctx, "exchange", id); !errors.Is(err, data.ErrNotFound) {
			t.Fatalf("the forged record is there: %v", err)
		}
	})
	t.Run("held while unknown, released after the revocation: refused", func(t *testing.T) {
		b, c, m, forged, id := forgery(t)
		mdev, _ := m.Device()
		if res, err := b.Import(ctx, data.Incoming{Sender: mdev.Site, Batch: forged}); err != nil || res.Quarantined == 0 {
			t.Fatalf("not held for review: %+v %v", res, err)
		}
		if _, err := b.AddPeer(ctx, "c", mustIdentityOf(t, c).String()); err != nil {
			t.Fatal(err)
		}
		if err := b.RevokePeer(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		q, _ := b.Quarantine(ctx)
		if _, err := b.ReleaseQuarantine(ctx, q[0].Author); !errors.Is(err, data.ErrRefused) {
			t.Fatalf("a forgery released with the key its sender vouched for: %v", err)
		}
		if _, err := b.Get(ctx, "exchange", id); !errors.Is(err, data.ErrNotFound) {
			t.Fatalf("the forged record is there: %v", err)
		}
	})
	t.Run("its genuine changes relayed after the revocation: held, and released on review", func(t *testing.T) {
		b, c, m, _, _ := forgery(t)
		if _, err := b.AddPeer(ctx, "c", mustIdentityOf(t, c).String()); err != nil {
			t.Fatal(err)
		}
		if err := b.RevokePeer(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.AddPeer(ctx, "c", mustIdentityOf(t, c).String()); err != nil {
			t.Fatal(err)
		}
		ids, _ := c.Add(ctx, sampleExchange())
		cb, _ := c.Outgoing(ctx, data.Vector{})
		cdev, _ := c.Device()
		mdev, _ := m.Device()
		if _, err := m.Import(ctx, data.Incoming{Sender: cdev.Site, Batch: cb}); err != nil {
			t.Fatal(err)
		}
		mb, _ := m.Outgoing(ctx, data.Vector{})
		res, err := b.Import(ctx, data.Incoming{Sender: mdev.Site, Batch: mb})
		if err != nil || res.Quarantined == 0 {
			t.Fatalf("not held for review: %+v %v", res, err)
		}
		q, _ := b.Quarantine(ctx)
		if len(q) != 1 || q[0].Reason != "revoked" || q[0].Officer != "Col. A. Sharma" {
			t.Fatalf("held: %+v", q)
		}
		if _, err := b.ReleaseQuarantine(ctx, q[0].Author); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Get(ctx, "exchange", ids[0]); err != nil {
			t.Fatalf("the released record is not there: %v", err)
		}
	})
}

// Changes forged in this device's own name are refused, not counted as
// already held.
func TestAPeerCannotForgeThisDevicesOwnChanges(t *testing.T) {
	ctx := context.Background()
	b, _, m, _, _ := forgery(t)
	batch, err := m.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	bdev, _ := b.Device()
	mdev, _ := m.Device()
	_, err = b.Import(ctx, data.Incoming{Sender: mdev.Site, Batch: forgeAs(batch, bdev.Site, mdev.PrivateKey)})
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "not signed by this device's key") {
		t.Fatalf("a forgery in this device's name was not refused: %v", err)
	}
}
