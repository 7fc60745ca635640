package gui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// openSettings shows the Settings section of a new test app.
func openSettings(t *testing.T) (*App, *store.Store, *settingsScreen) {
	t.Helper()
	ui, s := newTestApp(t)
	ui.showSection("Settings")
	return ui, s, ui.settings
}

func TestSettingsProfile(t *testing.T) {
	ui, s, sc := openSettings(t)
	if sc.officer.Text != "Col. A. Sharma" || sc.rank.Text != "Colonel" || sc.posting.Selected != "CMF" {
		t.Fatalf("profile shows %q %q %q", sc.officer.Text, sc.rank.Text, sc.posting.Selected)
	}
	if !sc.profileSave.Disabled() {
		t.Error("Save is enabled with nothing changed")
	}

	t.Run("a change is saved and persists", func(t *testing.T) {
		sc.rank.SetText("")
		test.Type(sc.rank, "Brigadier")
		sc.posting.SetSelected("SOCOM")
		if sc.profileSave.Disabled() {
			t.Fatal("Save is disabled for a valid profile")
		}
		test.Tap(sc.profileSave)
		if !strings.HasPrefix(sc.profileStatus.Text, "Saved") {
			t.Fatalf("status %q", sc.profileStatus.Text)
		}
		again, err := store.Open(context.Background(), s.Path()) // a second handle reads the file
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		dev, err := again.Device()
		if err != nil || dev.Rank != "Brigadier" || dev.Posting != "SOCOM" || dev.Officer != "Col. A. Sharma" {
			t.Fatalf("stored profile %+v %v", dev, err)
		}
		ui.show(0)
		if !strings.Contains(ui.dashboard.identity.Text, "Brigadier") {
			t.Errorf("dashboard still shows %q", ui.dashboard.identity.Text)
		}
		ui.showSection("Settings")
	})

	t.Run("an empty name is flagged next to the field and not saved", func(t *testing.T) {
		sc.officer.SetText("")
		if got := sc.profile.errorText("officer"); !strings.Contains(got, "required") {
			t.Fatalf("message next to the name: %q", got)
		}
		if !sc.profileSave.Disabled() {
			t.Error("Save is enabled for an invalid profile")
		}
		sc.saveProfile() // as Ctrl+S or a forced tap would
		if got := sc.profile.errorText("officer"); !strings.Contains(got, "required") {
			t.Fatalf("after saving: %q", got)
		}
		if dev, _ := s.Device(); dev.Officer != "Col. A. Sharma" {
			t.Fatalf("the empty name was saved: %+v", dev)
		}
		test.Type(sc.officer, "Col. R. K. Mehta")
		if sc.profile.errorText("officer") != "" || sc.profileSave.Disabled() {
			t.Error("the message stays after the name is fixed")
		}
	})
}

func TestSettingsTheme(t *testing.T) {
	ui, _, sc := openSettings(t)
	if sc.themeRadio.Selected != themeLabels["system"] {
		t.Fatalf("selected %q", sc.themeRadio.Selected)
	}
	sc.themeRadio.SetSelected(themeLabels["dark"])
	if got := ui.app.Preferences().String(themePreference); got != "dark" {
		t.Fatalf("preference %q", got)
	}
	vt, ok := ui.app.Settings().Theme().(*deskTheme)
	if !ok || !vt.forced || vt.variant != theme.VariantDark {
		t.Fatalf("theme %T %+v", ui.app.Settings().Theme(), vt)
	}
	if theme.Color(theme.ColorNameBackground) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("the dark background is not in force")
	}
	sc.themeRadio.SetSelected(themeLabels["light"])
	if theme.Color(theme.ColorNameBackground) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("the light background is not in force")
	}
	sc.themeRadio.SetSelected(themeLabels["system"])
	if ui.app.Preferences().String(themePreference) != "system" {
		t.Error("system not remembered")
	}
	if dt, ok := ui.app.Settings().Theme().(*deskTheme); !ok || dt.forced {
		t.Error("system still forces a variant")
	}
}

func TestSettingsClassifications(t *testing.T) {
	ui, s, sc := openSettings(t)
	if len(sc.levels) != 4 || sc.levelList.Length() != 4 {
		t.Fatalf("levels %+v", sc.levels)
	}
	rankOf := func(id string) int {
		for _, l := range ui.catalogue.Levels() {
			if l.ID == id {
				return l.Rank
			}
		}
		t.Fatalf("%s not among the app's levels %+v", id, ui.catalogue.Levels())
		return 0
	}

	t.Run("no rank can be typed: a new level goes after one chosen from the list", func(t *testing.T) {
		walk(ui.Window().Content(), func(o fyne.CanvasObject) {
			if e, ok := o.(*widget.Entry); ok && strings.Contains(strings.ToLower(e.PlaceHolder), "rank") {
				t.Errorf("an entry for the rank: %q", e.PlaceHolder)
			}
		})
		if got := sc.levelAfter.Options; strings.Join(got, ",") != "UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET" {
			t.Errorf("after offers %v", got)
		}
	})

	t.Run("a new level is added after the top and the app knows it", func(t *testing.T) {
		test.Type(sc.levelID, "top secret")
		sc.levelAfter.SetSelected("SECRET")
		test.Type(sc.levelColour, "FF8C00")
		if sc.levelSave.Disabled() {
			t.Fatalf("Add disabled: %q %q %q", sc.levelForm.errorText("id"), sc.levelForm.errorText("after"), sc.levelForm.errorText("colour"))
		}
		if got := sc.levelForm.rows["after"].err.Text; !strings.Contains(got, "above SECRET") {
			t.Errorf("where it goes: %q", got)
		}
		if sc.levelPreview.Text() != "TOP SECRET//REL TO USA, IND" {
			t.Errorf("preview %q", sc.levelPreview.Text())
		}
		test.Tap(sc.levelSave)
		if sc.levelStatus.Text != "Added TOP SECRET after SECRET." {
			t.Fatalf("status %q", sc.levelStatus.Text)
		}
		last := ui.catalogue.Levels()[len(ui.catalogue.Levels())-1]
		if len(ui.catalogue.Levels()) != 5 || last.ID != "TOP SECRET" || last.Rank <= 30 || last.Colour != "#FF8C00" {
			t.Fatalf("a.levels %+v", ui.catalogue.Levels())
		}
		if sc.levelList.Length() != 5 || len(sc.levelAfter.Options) != 5 {
			t.Error("the list did not grow")
		}
		stored, _ := s.Classifications(context.Background())
		if len(stored) != 5 {
			t.Errorf("stored %+v", stored)
		}
	})

	t.Run("a level added after CONFIDENTIAL goes between it and SECRET", func(t *testing.T) {
		test.Type(sc.levelID, "CONFIDENTIAL-NOFORN")
		sc.levelAfter.SetSelected("CONFIDENTIAL")
		test.Type(sc.levelColour, "#1565C0")
		if got := sc.levelForm.rows["after"].err.Text; !strings.Contains(got, "between CONFIDENTIAL and SECRET") {
			t.Errorf("where it goes: %q", got)
		}
		ui.Window().Resize(fyne.NewSize(1200, 1060))
		capture(t, ui.Window(), "settings-add-level")
		test.Tap(sc.levelSave)
		if r := rankOf("CONFIDENTIAL-NOFORN"); r <= 20 || r >= 30 {
			t.Fatalf("rank %d", r)
		}
		if ui.catalogue.Levels()[3].ID != "CONFIDENTIAL-NOFORN" {
			t.Errorf("order %+v", ui.catalogue.Levels())
		}
	})

	t.Run("problems are named next to their field as the officer types", func(t *testing.T) {
		sc.editLevel(data.Classification{})
		test.Type(sc.levelID, "SECRET/X")
		if got := sc.levelForm.errorText("id"); !strings.Contains(got, "letters") {
			t.Errorf("name message %q", got)
		}
		sc.levelID.SetText("")
		test.Type(sc.levelID, "SECRET")
		if got := sc.levelForm.errorText("id"); !strings.Contains(got, "already") {
			t.Errorf("duplicate message %q", got)
		}
		sc.levelID.SetText("")
		test.Type(sc.levelID, "COSMIC")
		if got := sc.levelForm.errorText("after"); !strings.Contains(got, "required") {
			t.Errorf("after message %q", got)
		}
		sc.levelAfter.SetSelected("TOP SECRET")
		test.Type(sc.levelColour, "#GG0000")
		if got := sc.levelForm.errorText("colour"); !strings.Contains(got, "#RRGGBB") {
			t.Errorf("colour message %q", got)
		}
		if !sc.levelSave.Disabled() {
			t.Error("Add enabled with a bad colour")
		}
		sc.levelColour.SetText("#000000")
		if sc.levelForm.errorText("colour") != "" || sc.levelSave.Disabled() {
			t.Error("the message stays after the colour is fixed")
		}
		sc.editLevel(data.Classification{})
	})

	t.Run("a built-in level's colour is changed, never its rank", func(t *testing.T) {
		sc.levelList.Select(1) // RESTRICTED
		if sc.levelID.Text != "RESTRICTED" || !sc.levelID.Disabled() {
			t.Fatalf("editing %q (disabled %v)", sc.levelID.Text, sc.levelID.Disabled())
		}
		if sc.levelForm.rows["after"].cell.Visible() {
			t.Error("an existing level offers a new place")
		}
		sc.levelColour.SetText("#7B1FA2")
		test.Tap(sc.levelSave)
		if sc.levelStatus.Text != "Changed the colour of RESTRICTED." {
			t.Errorf("status %q", sc.levelStatus.Text)
		}
		for _, l := range ui.catalogue.Levels() {
			if l.ID == "RESTRICTED" && (l.Colour != "#7B1FA2" || l.Rank != 10) {
				t.Fatalf("RESTRICTED is %+v", l)
			}
		}
	})

	t.Run("an added level's colour is changed and it stays where it was", func(t *testing.T) {
		before := rankOf("TOP SECRET")
		sc.levelList.Select(len(sc.levels) - 1)
		if sc.levelID.Text != "TOP SECRET" {
			t.Fatalf("editing %q", sc.levelID.Text)
		}
		sc.levelColour.SetText("#FFA000")
		test.Tap(sc.levelSave)
		if r := rankOf("TOP SECRET"); r != before {
			t.Errorf("TOP SECRET moved from %d to %d", before, r)
		}
	})

	t.Run("an existing level cannot be added twice", func(t *testing.T) {
		sc.editLevel(data.Classification{})
		test.Type(sc.levelID, "SECRET")
		sc.levelAfter.SetSelected("TOP SECRET")
		test.Type(sc.levelColour, "#000000")
		sc.saveLevel() // as a forced tap would
		if got := sc.levelForm.errorText("id"); !strings.Contains(got, "already") {
			t.Errorf("message %q", got)
		}
		if len(ui.catalogue.Levels()) != 6 {
			t.Errorf("levels %+v", ui.catalogue.Levels())
		}
	})
}

func TestSettingsStorePath(t *testing.T) {
	ui, s, sc := openSettings(t)
	if sc.path.Text != s.Path() {
		t.Fatalf("path %q", sc.path.Text)
	}
	var copyBtn *widget.Button
	walk(ui.Window().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Copy" {
			copyBtn = b
		}
	})
	if copyBtn == nil {
		t.Fatal("no Copy button")
	}
	test.Tap(copyBtn)
	if got := ui.app.Clipboard().Content(); got != s.Path() {
		t.Fatalf("clipboard %q", got)
	}
}

func TestSettingsBackupRestoreAndCheck(t *testing.T) {
	ui, s, sc := openSettings(t)
	addDashboardSample(t, s)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")

	t.Run("a backup with a wrong passphrase is refused and writes nothing", func(t *testing.T) {
		sc.backupPass = "not the passphrase"
		sc.confirmBackup(backup)
		if !strings.Contains(sc.backupStatus.Text, "Wrong passphrase") {
			t.Fatalf("status %q", sc.backupStatus.Text)
		}
		if _, err := os.Stat(backup); !os.IsNotExist(err) {
			t.Fatal("a backup was written")
		}
	})

	t.Run("backup writes a copy, encrypted to the passphrase", func(t *testing.T) {
		sc.backupPass, sc.restorePass = testPassphrase, testPassphrase
		sc.confirmBackup(backup)
		if !strings.HasPrefix(sc.backupStatus.Text, "Backed up to "+backup) {
			t.Fatalf("status %q", sc.backupStatus.Text)
		}
		if sc.backupBar.Visible() || sc.backupBtn.Disabled() {
			t.Error("the activity bar stayed")
		}
		head := make([]byte, 16)
		f, err := os.Open(backup)
		if err != nil {
			t.Fatal(err)
		}
		f.Read(head)
		f.Close()
		if string(head) != "age-encryption.o" {
			t.Fatalf("backup starts %q", head)
		}
	})

	t.Run("backing up onto the store itself is refused", func(t *testing.T) {
		sc.confirmBackup(s.Path())
		if !strings.Contains(sc.backupStatus.Text, "the store itself") {
			t.Fatalf("status %q", sc.backupStatus.Text)
		}
		if n, err := s.Count(context.Background()); err != nil || n["exchanges"] != 6 {
			t.Fatalf("the store was harmed: %v %v", n, err)
		}
	})

	t.Run("Back up now asks where, with a proposed file", func(t *testing.T) {
		sc.backupNow()
		top := ui.Window().Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no dialog")
		}
		found := false
		walk(top, func(o fyne.CanvasObject) {
			if e, ok := o.(*widget.Entry); ok && strings.Contains(e.Text, "liaisondesk-backup-") {
				found = true
			}
		})
		if !found {
			t.Error("no proposed file name")
		}
		ui.Window().Canvas().Overlays().Remove(top)
	})

	t.Run("restore creates a new store, never the one in use", func(t *testing.T) {
		sc.startRestore(backup, s.Path())
		if !strings.Contains(sc.restoreStatus.Text, "store in use") {
			t.Fatalf("status %q", sc.restoreStatus.Text)
		}
		sc.startRestore(backup, backup)
		if !strings.Contains(sc.restoreStatus.Text, "already exists") {
			t.Fatalf("status %q", sc.restoreStatus.Text)
		}
		dest := filepath.Join(dir, "restored.db")
		sc.startRestore(backup, dest)
		if !strings.Contains(sc.restoreStatus.Text, "Restored into "+dest) || !strings.Contains(sc.restoreStatus.Text, "--db") {
			t.Fatalf("status %q", sc.restoreStatus.Text)
		}
		if sc.restoreAdvice == nil || !strings.Contains(sc.restoreAdvice.text.Text, "revoke it at each of them") {
			t.Fatal("the window does not say to revoke the old device at its peers and hub")
		}
		sc.restoreAdvice.dialog.Hide()
		r, err := store.Open(context.Background(), dest)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		dev, _ := r.Device()
		mine, _ := s.Device()
		if dev == nil || dev.Site == mine.Site {
			t.Fatalf("restored identity %+v", dev)
		}
		if n, _ := r.Count(context.Background()); n["exchanges"] != 6 {
			t.Errorf("restored %d exchanges", n["exchanges"])
		}
	})

	t.Run("a broken backup is refused with its reason", func(t *testing.T) {
		junk := filepath.Join(dir, "junk.db")
		os.WriteFile(junk, []byte("not a database"), 0o600)
		sc.startRestore(junk, filepath.Join(dir, "from-junk.db"))
		if !strings.Contains(sc.restoreStatus.Text, "Not restored") || !strings.Contains(sc.restoreStatus.Text, "not a Liaison Desk backup") {
			t.Fatalf("status %q", sc.restoreStatus.Text)
		}
	})

	t.Run("check reports a sound store", func(t *testing.T) {
		sc.runCheck()
		if !strings.HasPrefix(sc.checkResult.Text, "The store is sound") {
			t.Fatalf("result %q", sc.checkResult.Text)
		}
	})
	ui.Window().Resize(fyne.NewSize(1200, 1060)) // the whole screen, unscrolled
	applyTheme(ui.app, "light")
	capture(t, ui.Window(), "settings")
	applyTheme(ui.app, "dark")
	capture(t, ui.Window(), "settings-dark")
}

// Two officers who each add a level after SECRET before syncing give both
// rank 40: Settings says both are left off the order, why, what it means
// for their records and what to do, and a new level keeps clear of them.
func TestSettingsSayWhenTwoLevelsShareARank(t *testing.T) {
	ui, s, sc := openSettings(t)
	_, other := newTestAppOn(t, ui.app, "Cdr. R. Iyer")
	ctx := context.Background()
	if _, err := s.AddPeer(ctx, "iyer", identityLine(t, other)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := other.AddClassification(ctx, "COSMIC", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	have, _ := s.Vector(ctx)
	b, err := other.Outgoing(ctx, have)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := other.Device()
	if res, err := s.Import(ctx, data.Incoming{Sender: dev.Site, Batch: b}); err != nil || len(res.Held) > 0 {
		t.Fatalf("import: %v, held %+v", err, res.Held)
	}
	sc.shown()

	t.Run("the list says both are left off, why, and what to do", func(t *testing.T) {
		if !sc.levelLeftOff.Visible() {
			t.Fatal("nothing says the levels are left off")
		}
		for _, want := range []string{"records marked with these levels count as an unknown level",
			"COSMIC (rank 40) shares rank 40 with NATO SECRET.", "NATO SECRET (rank 40) shares rank 40 with COSMIC.",
			"add it under another name"} {
			if !strings.Contains(sc.levelLeftOff.Text, want) {
				t.Errorf("it does not say %q: %q", want, sc.levelLeftOff.Text)
			}
		}
		if sc.levelList.Length() != 4 {
			t.Errorf("the ordered list holds %d levels", sc.levelList.Length())
		}
		capture(t, ui.win, "settings-levels-tied")
	})
	t.Run("a tied level's name is taken", func(t *testing.T) {
		test.Type(sc.levelID, "COSMIC")
		sc.levelAfter.SetSelected("SECRET")
		test.Type(sc.levelColour, "000000")
		if got := sc.levelForm.errorText("id"); !strings.Contains(got, "left off the order") || !sc.levelSave.Disabled() {
			t.Errorf("id says %q", got)
		}
	})
	t.Run("a new level after SECRET takes a rank of its own", func(t *testing.T) {
		sc.levelID.SetText("")
		test.Type(sc.levelID, "ULTRA")
		if got := sc.levelForm.rows["after"].err.Text; strings.Contains(got, "rank 40") || !strings.Contains(got, "above SECRET") {
			t.Errorf("where it goes: %q", got)
		}
		test.Tap(sc.levelSave)
		if sc.levelStatus.Text != "Added ULTRA after SECRET." || !strings.Contains(levelRanksOf(ui.catalogue.Levels()), "SECRET=30 ULTRA=") {
			t.Fatalf("status %q, levels %s", sc.levelStatus.Text, levelRanksOf(ui.catalogue.Levels()))
		}
	})
}

func levelRanksOf(levels []data.Classification) string {
	var parts []string
	for _, l := range levels {
		parts = append(parts, fmt.Sprintf("%s=%d", l.ID, l.Rank))
	}
	return strings.Join(parts, " ")
}

func TestSettingsSetsTheLargestFileThisLaptopAttaches(t *testing.T) {
	_, s, sc := openSettings(t)
	ctx := context.Background()
	l := sc.attachLimit
	if l.size.Text != "100" {
		t.Fatalf("the limit shows %q MB, want the default 100", l.size.Text)
	}
	t.Run("a value that is not a size is named and changes nothing", func(t *testing.T) {
		for _, bad := range []string{"lots", "0", "5000"} {
			test.Type(l.size, "")
			l.size.SetText(bad)
			test.Tap(l.save)
			if !strings.Contains(l.status.Text, "whole number of megabytes") {
				t.Errorf("%q: status %q", bad, l.status.Text)
			}
		}
		if n, err := s.AttachLimit(ctx); err != nil || n != 100<<20 {
			t.Fatalf("limit after bad input: %d %v", n, err)
		}
	})
	t.Run("a new limit is saved where attaching reads it", func(t *testing.T) {
		l.size.SetText("1")
		test.Tap(l.save)
		if n, err := s.AttachLimit(ctx); err != nil || n != 1<<20 {
			t.Fatalf("limit: %d %v (status %q)", n, err, l.status.Text)
		}
		if !strings.Contains(l.status.Text, "Saved") {
			t.Errorf("status %q", l.status.Text)
		}
	})
}
