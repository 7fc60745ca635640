package gui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// TestTheWindowGivesItsOwnAdvice: errors from the store say what is wrong
// and the window says what to do in the window, never what to type.
func TestTheWindowGivesItsOwnAdvice(t *testing.T) {
	ctx := context.Background()
	_, s := newTestApp(t)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, existsErr := store.RestoreBackup(ctx, backup, s.Path(), false)
	_, unknownPeerErr := replication.TrustedPeers(ctx, s, []string{"nobody"})
	_, lineErr := s.AddPeer(ctx, "bahrain", "not an identity line")
	_, heldErr := s.ReleaseQuarantine(ctx, "zz")

	for _, c := range []struct {
		name string
		err  error
		want string // the window's words, "" when none
	}{
		{"a backup opened as the store", b.CheckWorking(), "Restore a backup…"},
		{"a restore onto an existing file", existsErr, "choose a new file"},
		{"a bundle for a peer that does not exist", unknownPeerErr, "the peers on the Sync screen"},
		{"a peer's identity that is not an identity line", lineErr, "under This laptop"},
		{"a held author id that is not one", heldErr, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error")
			}
			_, text := explain(c.err)
			if strings.Contains(text, "liaisondesk ") || strings.Contains(text, "--") { // a command, or a flag
				t.Errorf("command-line advice in the window: %q", text)
			}
			if !strings.Contains(text, c.want) {
				t.Errorf("%q does not say %q", text, c.want)
			}
			if strings.HasPrefix(strings.ToLower(text), "restore:") || strings.HasPrefix(strings.ToLower(text), "peers add:") {
				t.Errorf("the operation is the dialog's title, not the text's: %q", text)
			}
		})
	}
	t.Run("a refusal says nothing was changed, without the word refused twice", func(t *testing.T) {
		dev, err := s.Device()
		if err != nil {
			t.Fatal(err)
		}
		title, text := explain(data.Op("bundle", "import", &data.UntrustedSenderError{Site: dev.Site}))
		if title != "Refused: the sender is not trusted" || !strings.Contains(text, "Add peer on the Sync screen") ||
			!strings.HasSuffix(text, "Nothing was changed.") || strings.Contains(strings.ToLower(text), "refused") {
			t.Errorf("%q: %q", title, text)
		}
	})
}
