package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"
)

// BenchmarkBackupRestore1M: an encrypted backup of the big store
// (BENCH_BIG_N exchanges, default 1,000,000) to HQ's backup key, and its
// restore into a new store, as the officer's laptop would run them. No
// target: the figures go in the closing note and the README. Binaries
// built with the ci tag seal the restored keys with a cheap scrypt cost;
// a release build adds about 0.8 s for that.
func BenchmarkBackupRestore1M(b *testing.B) {
	path, n := bigStorePath(b)
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	hq, err := age.GenerateX25519Identity()
	if err != nil {
		b.Fatal(err)
	}
	var backupTime, restoreTime time.Duration
	var size int64
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		file := filepath.Join(dir, "backup.age")
		start := time.Now()
		if err := s.BackupEncrypted(ctx, file, hq.Recipient()); err != nil {
			b.Fatal(err)
		}
		backupTime += time.Since(start)
		fi, err := os.Stat(file)
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
		start = time.Now()
		if _, err := RestoreWith(ctx, file, filepath.Join(dir, "restored.db"),
			RestoreOptions{Identities: []age.Identity{hq}, Passphrase: testPassphrase}); err != nil {
			b.Fatal(err)
		}
		restoreTime += time.Since(start)
	}
	b.ReportMetric(backupTime.Seconds()/float64(b.N), "backup-s")
	b.ReportMetric(restoreTime.Seconds()/float64(b.N), "restore-s")
	b.ReportMetric(float64(size)/1e6, "file-MB")
	b.ReportMetric(float64(n), "exchanges")
}
