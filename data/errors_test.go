package data

import (
	"errors"
	"fmt"
	"testing"
)

// TestErrorsCarryFactsNotAdvice: an error says what is wrong in its text
// and carries the fact a front end advises on, found with errors.Is/As.
func TestErrorsCarryFactsNotAdvice(t *testing.T) {
	t.Run("an operation reads as a wrapping did, and hides nothing from errors.Is", func(t *testing.T) {
		err := Op("update", "exchange 01ab", Invalid("title", "is required"))
		if err.Error() != "update exchange 01ab: title: is required" || !errors.Is(err, ErrInvalid) || FieldOf(err) != "title" {
			t.Fatalf("%v", err)
		}
		if err := Op("restore", "", ErrNotFound); err.Error() != "restore: not found" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("a field error with a fact matches both, also under a parent", func(t *testing.T) {
		err := Prefixed("lines[1]", InvalidBecause(ErrUnknownPosting, "posting", "%q is not a known posting", "NOWHERE"))
		if err.Error() != `lines[1].posting: "NOWHERE" is not a known posting` ||
			!errors.Is(err, ErrInvalid) || !errors.Is(err, ErrUnknownPosting) || errors.Is(err, ErrFinal) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("a refusal matches ErrRefused, and its fact when it has one", func(t *testing.T) {
		err := fmt.Errorf("bundle import: %w", RefusedBecause(ErrCloned, "device %s has two histories", "AB12"))
		var r *RefusedError
		if !errors.Is(err, ErrRefused) || !errors.Is(err, ErrCloned) || !errors.As(err, &r) || r.Reason != "device AB12 has two histories" {
			t.Fatalf("%v", err)
		}
		if err := Refused("damaged"); err.Error() != "refused: damaged" || errors.Is(err, ErrCloned) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("an untrusted sender is a refusal of an untrusted sender, named", func(t *testing.T) {
		var site SiteID
		site[0], site[1] = 0xAB, 0x12
		err := error(&UntrustedSenderError{Site: site, Peer: "bahrain"})
		if !errors.Is(err, ErrRefused) || !errors.Is(err, ErrUntrusted) ||
			err.Error() != "refused: sender not trusted: peer bahrain (device "+site.ShortCode()+") was revoked" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("a backup opened as a store names the file", func(t *testing.T) {
		err := fmt.Errorf("init: %w", &BackupAsStoreError{Path: "/tmp/b.db"})
		if !errors.Is(err, ErrBackupStore) || err.Error() != "init: /tmp/b.db: this file is a backup, which holds no keys" {
			t.Fatalf("%v", err)
		}
	})
}

func TestOnlyPostgresURLsNameADatabase(t *testing.T) {
	for db, want := range map[string]bool{
		"postgres://hub@db.example/liaison":    true,
		"postgresql:///liaison?host=/run/pg":   true,
		`C:\Users\officer\liaisondesk.db`:      false,
		"./postgres://not-a-url":               false,
		"postgres:/missing-slash":              false,
		"/home/officer/.local/liaisondesk.db":  false,
		"POSTGRES://upper.case.is.a.file/name": false,
	} {
		if IsDatabaseURL(db) != want {
			t.Errorf("%s: IsDatabaseURL = %v, want %v", db, !want, want)
		}
	}
}
