package data

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// KindAttachment is a file attached to an exchange, a request or an
// action. Its metadata is a synced kind like any other, so attaching and
// detaching are changes that merge per field; its content is kept once
// per SHA-256, outside the change log (docs/ARCHITECTURE.md §2).
const KindAttachment Kind = "attachment"

// AttachableKinds are the kinds of record a file may be attached to.
var AttachableKinds = []Kind{KindExchange, KindRequest, KindAction, KindDocument, KindAccreditation}

// Size limits of attached files.
const (
	// DefaultAttachLimit is what this laptop attaches unless its setting
	// says otherwise.
	DefaultAttachLimit int64 = 100 << 20
	// MaxAttachmentSize is what every replica accepts from a peer,
	// whatever its own setting, so a peer with a higher setting is never
	// refused.
	MaxAttachmentSize int64 = 1 << 30
	// MinHashPrefix is the fewest hex digits that name content.
	MinHashPrefix = 12
)

// ErrTooLarge: a file is larger than the limit on what this laptop
// attaches; nothing was changed.
var ErrTooLarge = errors.New("file larger than the attachment limit")

// ErrNoContent: an attachment's content is not held here (it has not
// arrived from the peer that attached it).
var ErrNoContent = errors.New("attachment content not held here")

// Attachment is one file attached to a record: what it is, and the marking
// it carries (by default the record's). Its content is found by SHA256.
type Attachment struct {
	ID             string `json:"id"`
	ParentKind     Kind   `json:"record_kind"`
	ParentID       string `json:"record_id"`
	Name           string `json:"name"`
	Size           int64  `json:"size"`
	MediaType      string `json:"media_type"`
	SHA256         string `json:"sha256"`
	Classification string `json:"classification"`
}

func (a *Attachment) RecordKind() Kind      { return KindAttachment }
func (a *Attachment) RecordID() string      { return a.ID }
func (a *Attachment) SetRecordID(id string) { a.ID = id }

// Validate checks an attachment before it is written, and a peer's before
// it is applied: the hard size limit holds for every replica.
func (a *Attachment) Validate() error {
	if !slices.Contains(AttachableKinds, a.ParentKind) {
		return Invalid("record_kind", "%q is not one of %s", Clip(string(a.ParentKind)), JoinKinds(AttachableKinds))
	}
	if err := CheckLine("record_id", a.ParentID, true); err != nil {
		return err
	}
	if err := CheckLine("name", a.Name, true); err != nil {
		return err
	}
	if a.Name != filepath.Base(a.Name) || strings.ContainsAny(a.Name, `/\`) || a.Name == "." || a.Name == ".." {
		return Invalid("name", "%q must be a file name without a folder", Clip(a.Name))
	}
	if a.Size < 0 || a.Size > MaxAttachmentSize {
		return InvalidBecause(ErrTooLarge, "size", "%d bytes is more than the %s every replica accepts", a.Size, FormatSize(MaxAttachmentSize))
	}
	if err := CheckLine("media_type", a.MediaType, true); err != nil {
		return err
	}
	if !IsSHA256(a.SHA256) {
		return Invalid("sha256", "%q is not 64 lowercase hex digits", Clip(a.SHA256))
	}
	return CheckLine("classification", a.Classification, true)
}

// IsSHA256 says whether s is a SHA-256 as attachments name it: 64
// lowercase hex digits.
func IsSHA256(s string) bool { return len(s) == 64 && IsHexPrefix(s) }

// IsHexPrefix says whether s is lowercase hex digits only.
func IsHexPrefix(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// FormatSize writes a size for people: 1.5 MB, 100 MB, 312 bytes.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// ContentRef names attachment content travelling with a batch: its
// SHA-256 (64 lowercase hex digits) and size in bytes.
type ContentRef struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Check refuses a reference a sender could not have made.
func (c ContentRef) Check() error {
	if !IsSHA256(c.SHA256) {
		return Invalid("sha256", "%q is not 64 lowercase hex digits", Clip(c.SHA256))
	}
	if c.Size < 0 || c.Size > MaxAttachmentSize {
		return InvalidBecause(ErrTooLarge, "size", "%d bytes is more than the %s every replica accepts", c.Size, FormatSize(MaxAttachmentSize))
	}
	return nil
}

// AttachmentMeta is an attachment as outputs show it: `attachments --json`
// and JSON exports.
type AttachmentMeta struct {
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
	SHA256    string `json:"sha256"`
	Marking   string `json:"marking"`
}

// Meta is what outputs show of an attachment.
func (a *Attachment) Meta() AttachmentMeta {
	return AttachmentMeta{Name: a.Name, Size: a.Size, MediaType: a.MediaType, SHA256: a.SHA256, Marking: a.Classification}
}
