package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// openStoreAt is an initialised store posted to posting.
func openStoreAt(t *testing.T, officer, posting string) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Brigadier", Posting: posting}); err != nil {
		t.Fatal(err)
	}
	return s
}

func identityOf(t *testing.T, s *Store) data.Identity {
	t.Helper()
	id, err := s.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func rosterCount(t *testing.T, s *Store) int {
	t.Helper()
	lines, _, err := s.RosterLines(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(lines)
}

// HQ can make a store: IHQ is built in, and seeded only into a store
// posted there.
func TestAStorePostedToIHQHoldsTheHQPostingAndALaptopsDoesNot(t *testing.T) {
	ctx := context.Background()
	hq := openStoreAt(t, "Brig HQ", "IHQ")
	ps, err := hq.Postings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range ps {
		if p.ID == "IHQ" {
			found = p.TimeZone == "Asia/Kolkata" && strings.Contains(p.Location, "New Delhi")
		}
	}
	if !found {
		t.Fatalf("postings at HQ: %+v", ps)
	}
	laptop := openTestStore(t)
	ps, _ = laptop.Postings(ctx)
	if len(ps) != 3 {
		t.Fatalf("a laptop's postings: %+v, want the three of the Memorandum", ps)
	}
}

// A device code already on the roster is refused, whoever holds it:
// request refs carry that code.
func TestEnrolRefusesATakenDeviceCodeAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	hq := openStoreAt(t, "Brig HQ", "IHQ")
	if _, _, err := hq.InitOrg(ctx, "Liaison Officers"); err != nil {
		t.Fatal(err)
	}
	a := openTestStore(t)
	if _, _, err := hq.Enrol(ctx, identityOf(t, a).String(), "alpha", data.RoleLaptop, ""); err != nil {
		t.Fatal(err)
	}
	twin := identityOf(t, openTestStore(t))
	aSite, hqSite := identityOf(t, a).Site, identityOf(t, hq).Site
	copy(twin.Site[:2], aSite[:2]) // the same device code, another device
	before := rosterCount(t, hq)
	_, _, err := hq.Enrol(ctx, twin.String(), "bravo", data.RoleLaptop, "")
	if !errors.Is(err, data.ErrInvalid) || !strings.Contains(err.Error(), "device code "+twin.Site.ShortCode()+" is already on the roster (alpha)") {
		t.Fatalf("got %v", err)
	}
	// HQ's own device is on the roster too.
	copy(twin.Site[:2], hqSite[:2])
	if _, _, err := hq.Enrol(ctx, twin.String(), "bravo", data.RoleLaptop, ""); err == nil || !strings.Contains(err.Error(), "(hq)") {
		t.Fatalf("HQ's own code: %v", err)
	}
	if _, _, err := hq.Enrol(ctx, identityOf(t, openTestStore(t)).String(), "alpha", data.RoleLaptop, ""); err == nil || !strings.Contains(err.Error(), "alpha is already on the roster") {
		t.Fatalf("a taken name: %v", err)
	}
	if _, _, err := hq.Enrol(ctx, identityOf(t, openTestStore(t)).String(), "charlie", data.RoleLaptop, "2020-01-01"); err == nil || !strings.Contains(err.Error(), "in the past") {
		t.Fatalf("a past date: %v", err)
	}
	if rosterCount(t, hq) != before {
		t.Fatal("the roster changed")
	}
	if _, _, err := a.Enrol(ctx, twin.String(), "x", data.RoleLaptop, ""); err == nil || !strings.Contains(err.Error(), "does not hold the organisation's key") {
		t.Fatalf("enrol without the key: %v", err)
	}
}

// A certificate or revocation the organisation did not sign is refused
// with the reason, and nothing is stored or applied.
func TestRosterEntriesNotSignedByTheOrganisationAreRefusedAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	hq := openStoreAt(t, "Brig HQ", "IHQ")
	org, _, err := hq.InitOrg(ctx, "Liaison Officers")
	if err != nil {
		t.Fatal(err)
	}
	b := openTestStore(t)
	if _, err := b.TrustOrg(ctx, org.String()); err != nil {
		t.Fatal(err)
	}
	x := openTestStore(t)
	xid := identityOf(t, x)
	_, forger, _ := ed25519.GenerateKey(rand.Reader)
	cert := data.Certificate{Org: org.ID(), Site: xid.Site.String(), Key: hexKey(xid.PublicKey), Age: xid.AgeRecipient,
		Name: "xray", Officer: xid.Officer, Role: data.RoleLaptop, Issued: "2026-11-25T09:00:00Z"}
	forged, _ := data.SignCertificate(forger, cert)
	hqLines, _, _ := hq.RosterLines(ctx)
	hqCert, _ := data.ParseRosterEntry(hqLines[0])
	hqSite := identityOf(t, hq).Site
	badRevocation, _ := data.SignRevocation(forger, data.Revocation{Org: org.ID(), Site: hqSite.String(), Name: "hq", LastSeq: 1, Issued: "2026-11-25T10:00:00Z"})

	// At first contact, before any body is read.
	if _, err := b.SenderKeyFor(ctx, xid.Site, forged.String()); !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "not signed by organisation Liaison Officers (forged or altered)") {
		t.Fatalf("a forged certificate at first contact: %v", err)
	}
	// Another device's genuine certificate does not make x that device.
	if _, err := b.SenderKeyFor(ctx, xid.Site, hqCert.String()); err == nil || !strings.Contains(err.Error(), "certificate of another device") {
		t.Fatalf("another device's certificate: %v", err)
	}
	for name, entry := range map[string]data.RosterEntry{"certificate": forged, "revocation": badRevocation} {
		before := rosterCount(t, b)
		_, err := b.Import(ctx, data.Incoming{Sender: hqSite, Batch: &data.Batch{}, Roster: []string{hqCert.String(), entry.String()}})
		if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "not signed by organisation Liaison Officers") {
			t.Fatalf("a forged %s in the roster: %v", name, err)
		}
		if rosterCount(t, b) != before {
			t.Fatalf("the forged %s's import stored roster entries", name)
		}
	}
}

func hexKey(k ed25519.PublicKey) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(k))
	for _, c := range k {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// A backup of HQ's store is not the organisation: it holds the roster but
// not the organisation's key.
func TestABackupOfHQsStoreHoldsNoOrganisationKey(t *testing.T) {
	ctx := context.Background()
	hq := openStoreAt(t, "Brig HQ", "IHQ")
	if _, _, err := hq.InitOrg(ctx, "Liaison Officers"); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "hq-backup.db")
	if err := hq.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := hq.OrgKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, key.Seed()) {
		t.Fatal("the backup holds the organisation's key")
	}
	if !bytes.Contains(raw, []byte("liaisondesk-certificate-v1")) {
		t.Fatal("the backup lost the roster")
	}
}
