package replication

import (
	"context"
	"path/filepath"
	"testing"

	"liaisondesk/data"
)

// The audit of what left a laptop reaches HQ by sync like any change,
// still naming the laptop's officer and device, and stays append-only
// there.
func TestTheAuditOfALaptopReachesHQ(t *testing.T) {
	ctx := context.Background()
	laptop, hq := openReplica(t, "Cdr Laptop", day), openReplica(t, "Cdr HQ", day)
	enrol(t, laptop, hq)
	addExchange(t, laptop, "Boarding drills")
	if err := laptop.Backup(ctx, filepath.Join(t.TempDir(), "usb.db")); err != nil {
		t.Fatal(err)
	}
	importOK(t, hq, bundle(t, laptop, "peerb"))
	got, err := hq.Audit(ctx, data.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := laptop.Device()
	if len(got) != 1 || got[0].What != data.OutputBackup || got[0].File != "usb.db" || got[0].Officer != "Cdr Laptop" ||
		got[0].Device != dev.Site.ShortCode() || got[0].Classification != "RESTRICTED" {
		t.Fatalf("HQ's audit = %+v", got)
	}
	if err := hq.Delete(ctx, data.KindAudit, got[0].ID); err == nil {
		t.Fatal("HQ deleted a laptop's audit entry")
	}
	importOK(t, laptop, bundle(t, hq, "peera"))
	if digest(t, laptop) != digest(t, hq) {
		t.Fatal("the laptop and HQ differ")
	}
	checkClean(t, hq)
}
