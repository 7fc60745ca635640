package gui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// settingsScreen is where the officer changes their profile, the theme and
// the classification list (adding levels, changing colours), sees where the store lives, backs it up,
// restores a backup and checks the store.
//
// Backup and restore never let a file dialog create the destination: a
// save dialog truncates the file it is given before the app sees it, which
// would destroy the open store if it were chosen. The destination is a
// path the officer types or builds with a folder chooser instead.
type settingsScreen struct {
	app *App

	officer, rank *widget.Entry
	posting       *widget.Select
	homeZone      *widget.SelectEntry // "Also show times in" (hometime.go)
	attachLimit   *attachLimitSection // the largest file attached here (settings_attach.go)
	dpasClocks    *dpasClocksSection  // HQ's DPAS clocks (settings_clocks.go)
	profile       *fieldForm
	profileSave   *widget.Button
	profileStatus *widget.Label
	loadingForm   bool

	themeRadio *widget.RadioGroup

	levels               []data.Classification
	levelList            *widget.List
	levelForm            *fieldForm
	levelID, levelColour *widget.Entry
	levelAfter           *widget.Select // a new level goes right after this one
	levelPreview         *banner
	levelSave            *widget.Button
	levelStatus          *widget.Label
	leftOff              []data.LeftOffLevel // added levels with no place in the order
	levelLeftOff         *widget.Label       // says which, why, and what it means
	leftOffLoads         *reloader
	editingLevel         string // the level whose colour is being changed; "" for a new one

	path *widget.Label

	backupBar    *widget.ProgressBarInfinite
	backupStatus *widget.Label
	backupBtn    *widget.Button
	backupPass   string // typed in the backup dialog; the backup is encrypted to it
	restorePass  string // typed in the restore dialog

	restoreBar    *widget.ProgressBarInfinite
	restoreStatus *widget.Label
	restoreBtn    *widget.Button
	restoreAdvice *message // after a restore: revoke the old device

	checkBar    *widget.ProgressBarInfinite
	checkResult *widget.Label
	checkBtn    *widget.Button

	org *orgSection // organisation and security (settings_org.go)

	reminderLead *widget.Select // the reminders' lead time (reminders.go)
}

func newSettingsScreen(a *App) *settingsScreen {
	sc := &settingsScreen{app: a, leftOffLoads: a.newReloader()}
	a.catalogue.onChange(func() {
		if sc.levelList != nil {
			sc.setLevels(a.catalogue.Levels())
			sc.loadLeftOff()
		}
	})
	return sc
}

// themeLabels maps the theme names to what the radio buttons say.
var themeLabels = map[string]string{"system": "Follow the system", "light": "Light", "dark": "Dark"}

func (sc *settingsScreen) build() fyne.CanvasObject {
	left := container.NewVBox(sc.buildProfile(), sc.buildTheme(), sc.buildHomeTime(), sc.reminderControls(), sc.buildAttachLimit(), sc.buildStore(), sc.buildCheck())
	right := container.NewVBox(sc.buildLevels(), sc.buildDPASClocks(), sc.buildBackup(), sc.buildRestore())
	org := sc.buildOrg()
	title := container.NewHBox(widget.NewIcon(theme.SettingsIcon()),
		widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	sc.load()
	return container.NewBorder(container.NewPadded(title), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(container.NewGridWithColumns(2, left, right), org))))
}

func (sc *settingsScreen) shown() {
	sc.load()
}

// load fills the screen: the profile (unless being edited), the
// classification list and the store's place.
func (sc *settingsScreen) load() {
	if dev, err := sc.app.store.Device(); err == nil && !sc.profileDirty(dev) {
		sc.loadingForm = true
		sc.officer.SetText(dev.Officer)
		sc.rank.SetText(dev.Rank)
		sc.posting.SetSelected(dev.Posting)
		sc.loadingForm = false
		sc.profileSave.Disable()
	}
	sc.setLevels(sc.app.catalogue.Levels())
	sc.loadLeftOff()
	sc.path.SetText(sc.app.store.Path())
	sc.org.load()
}

// loadLeftOff reads, off the UI thread, which added levels have no place
// in the order.
func (sc *settingsScreen) loadLeftOff() {
	var left []data.LeftOffLevel
	var err error
	sc.leftOffLoads.load(func() {
		left, err = sc.app.store.LeftOffLevels(context.Background())
	}, func() {
		if err == nil {
			sc.setLeftOff(left)
		}
	})
}

// ---- officer profile ----

func (sc *settingsScreen) buildProfile() fyne.CanvasObject {
	sc.officer = widget.NewEntry()
	sc.officer.SetPlaceHolder("e.g. Col. A. Sharma")
	sc.rank = widget.NewEntry()
	sc.rank.SetPlaceHolder("e.g. Colonel")
	var codes []string
	names := map[string]string{}
	for _, p := range sc.app.catalogue.Postings() {
		codes = append(codes, p.ID)
		names[p.ID] = p.Name
	}
	sc.posting = widget.NewSelect(codes, nil)
	sc.posting.PlaceHolder = "Choose your posting"
	sc.profile = newFieldForm()
	sc.profile.add("officer", "Name", sc.officer, "")
	sc.profile.add("rank", "Rank", sc.rank, "")
	sc.profile.add("posting", "Posting", sc.posting, "New exchanges and requests start in this posting")
	sc.profileStatus = widget.NewLabel("")
	sc.profileStatus.Wrapping = fyne.TextWrapWord
	sc.profileSave = widget.NewButtonWithIcon("Save profile", theme.DocumentSaveIcon(), sc.saveProfile)
	sc.profileSave.Importance = widget.HighImportance
	changed := func(string) {
		if sc.loadingForm {
			return
		}
		sc.profileStatus.SetText("")
		o := sc.officerForm()
		err := o.Validate(sc.app.catalogue.Postings())
		sc.profile.setError(err)
		if err == nil {
			sc.profileSave.Enable()
		} else {
			sc.profileSave.Disable()
		}
	}
	sc.officer.OnChanged = changed
	sc.rank.OnChanged = changed
	sc.posting.OnChanged = changed
	return settingsSection("Officer profile", theme.AccountIcon(),
		"Who this laptop belongs to. Changes you save from now on carry the new name.",
		container.NewVBox(sc.profile.build(), container.NewBorder(nil, nil, nil, sc.profileSave, sc.profileStatus)))
}

func (sc *settingsScreen) officerForm() data.Officer {
	return data.Officer{Name: strings.TrimSpace(sc.officer.Text), Rank: strings.TrimSpace(sc.rank.Text), Posting: sc.posting.Selected}
}

// profileDirty reports unsaved edits to the profile.
func (sc *settingsScreen) profileDirty(dev *data.Device) bool {
	o := sc.officerForm()
	if o.Name == "" && o.Rank == "" && o.Posting == "" {
		return false
	}
	return o.Name != dev.Officer || o.Rank != dev.Rank || o.Posting != dev.Posting
}

func (sc *settingsScreen) saveProfile() {
	err := sc.app.store.UpdateOfficer(context.Background(), sc.officerForm())
	sc.profile.setError(err)
	if err != nil {
		if data.FieldOf(err) == "" {
			sc.profileStatus.SetText("Not saved: " + plain(err))
		}
		return
	}
	sc.profileSave.Disable()
	sc.profileStatus.SetText("Saved at " + time.Now().Format("15:04") + ".")
}

// ---- theme ----

func (sc *settingsScreen) buildTheme() fyne.CanvasObject {
	var labels []string
	for _, n := range themeChoices {
		labels = append(labels, themeLabels[n])
	}
	sc.themeRadio = widget.NewRadioGroup(labels, func(label string) {
		for n, l := range themeLabels {
			if l == label {
				sc.setTheme(n)
			}
		}
	})
	sc.themeRadio.Horizontal = true
	sc.themeRadio.Required = true
	current := sc.app.app.Preferences().StringWithFallback(themePreference, "system")
	if _, ok := themeLabels[current]; !ok {
		current = "system"
	}
	sc.themeRadio.Selected = themeLabels[current]
	return settingsSection("Appearance", theme.ColorPaletteIcon(),
		"Light or dark, or whatever the desktop uses. Applied at once and remembered.", sc.themeRadio)
}

// setTheme remembers a theme and applies it at once.
func (sc *settingsScreen) setTheme(name string) {
	if sc.app.app.Preferences().StringWithFallback(themePreference, "system") == name {
		return
	}
	sc.app.app.Preferences().SetString(themePreference, name)
	applyTheme(sc.app.app, name)
}

// ---- classification levels ----

// The built-in levels keep the ranks fixed in code; a level the officer
// adds goes right after one chosen from the list and never moves. So the
// editor has no rank to type: a new level has a name, a place and a
// colour; an existing one only a colour.

func (sc *settingsScreen) buildLevels() fyne.CanvasObject {
	sc.levelList = widget.NewList(func() int { return len(sc.levels) },
		func() fyne.CanvasObject {
			sw := newBanner()
			sw.text.TextSize = theme.CaptionTextSize()
			rank := widget.NewLabel("rank 1000")
			colour := widget.NewLabel("#RRGGBB")
			kind := widget.NewLabel("built-in")
			return container.New(&columnsLayout{weights: []float32{3, 1, 1.1, 1}},
				container.NewPadded(container.NewStack(sw.bg, sw.text)), rank, colour, kind)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(sc.levels) {
				return
			}
			l := sc.levels[i]
			cells := o.(*fyne.Container).Objects
			sw := cells[0].(*fyne.Container).Objects[0].(*fyne.Container).Objects
			paintSwatch(sw[0], sw[1], l)
			cells[1].(*widget.Label).SetText(fmt.Sprintf("rank %d", l.Rank))
			cells[2].(*widget.Label).SetText(l.Colour)
			kind := "added"
			if l.BuiltIn() {
				kind = "built-in"
			}
			cells[3].(*widget.Label).SetText(kind)
		})
	sc.levelList.OnSelected = func(i widget.ListItemID) {
		if i < len(sc.levels) {
			sc.editLevel(sc.levels[i])
		}
	}

	sc.levelID = widget.NewEntry()
	sc.levelID.SetPlaceHolder("e.g. TOP SECRET")
	sc.levelAfter = widget.NewSelect(nil, func(string) { sc.levelChanged() })
	sc.levelAfter.PlaceHolder = "Choose the level it goes after"
	sc.levelColour = widget.NewEntry()
	sc.levelColour.SetPlaceHolder("#RRGGBB")
	sc.levelPreview = newBanner()
	sc.levelForm = newFieldForm()
	sc.levelForm.add("id", "Level", sc.levelID, "")
	sc.levelForm.add("after", "Add after", sc.levelAfter, "")
	sc.levelForm.add("colour", "Banner colour", sc.levelColour, "")
	sc.levelForm.add("preview", "Banner", sc.levelPreview.box, "")
	sc.levelStatus = widget.NewLabel("")
	sc.levelStatus.Wrapping = fyne.TextWrapWord
	sc.levelLeftOff = widget.NewLabel("")
	sc.levelLeftOff.Wrapping = fyne.TextWrapWord
	sc.levelLeftOff.Importance = widget.WarningImportance
	sc.levelLeftOff.Hide()
	defer sc.levelChanged()
	sc.levelSave = widget.NewButtonWithIcon("Add level", theme.ContentAddIcon(), sc.saveLevel)
	sc.levelSave.Importance = widget.HighImportance
	sc.levelSave.Disable()
	newLevel := widget.NewButtonWithIcon("New level", theme.ContentClearIcon(), func() { sc.editLevel(data.Classification{}) })
	for _, e := range []*widget.Entry{sc.levelID, sc.levelColour} {
		e.OnChanged = func(string) { sc.levelChanged() }
	}
	list := container.NewGridWrap(fyne.NewSize(440, 5*40), sc.levelList)
	return settingsSection("Classification levels", theme.VisibilityIcon(),
		"The ordered list of markings, lowest first, and their banner colours. The four built-in levels keep their "+
			"order; a level you add goes right after the one you choose and never moves. The list is shared: every "+
			"laptop gets an addition once synced. Tap a level to change its colour.",
		container.NewVBox(list, sc.levelLeftOff, sc.levelForm.build(),
			container.NewBorder(nil, nil, nil, container.NewHBox(newLevel, sc.levelSave), sc.levelStatus)))
}

// setLevels shows a new list of levels and offers each as a place to add
// after.
func (sc *settingsScreen) setLevels(levels []data.Classification) {
	sc.levels = levels
	ids := make([]string, len(levels))
	for i, l := range levels {
		ids[i] = l.ID
	}
	sc.levelAfter.SetOptions(ids)
	sc.levelList.Refresh()
}

// setLeftOff says which added levels have no place in the order (two
// officers adding a level at one place before syncing gives both the same
// rank), what that means for their records, and what the officer can do.
func (sc *settingsScreen) setLeftOff(left []data.LeftOffLevel) {
	sc.leftOff = left
	if len(left) == 0 {
		sc.levelLeftOff.SetText("")
		sc.levelLeftOff.Hide()
		return
	}
	var b strings.Builder
	b.WriteString("Left off the order: records marked with these levels count as an unknown level " +
		"(left out of every ceiling, at the top of every banner).")
	for _, l := range left {
		fmt.Fprintf(&b, "\n• %s (rank %d) %s.", l.ID, l.Rank, l.Why)
	}
	b.WriteString("\nLevels never move and cannot be deleted: to use such a level again, add it under another name " +
		"and mark its records with that.")
	sc.levelLeftOff.SetText(b.String())
	sc.levelLeftOff.Show()
}

// paintSwatch draws a level as its banner would look.
func paintSwatch(bg, text fyne.CanvasObject, l data.Classification) {
	b := &banner{bg: bg.(*canvas.Rectangle), text: text.(*canvas.Text)}
	b.set(data.Banner{Classification: l})
}

// editLevel loads a level into the editor (an empty one: a new level).
func (sc *settingsScreen) editLevel(l data.Classification) {
	sc.editingLevel = l.ID
	sc.levelID.SetText(l.ID)
	sc.levelAfter.ClearSelected()
	if l.ID == "" {
		sc.levelID.Enable()
		sc.levelColour.SetText("")
		sc.levelForm.rows["id"].hint = ""
		sc.levelForm.show("after", true)
		sc.levelSave.SetText("Add level")
		sc.levelSave.SetIcon(theme.ContentAddIcon())
		sc.levelList.UnselectAll()
	} else {
		sc.levelID.Disable() // the id is the level's name everywhere
		sc.levelColour.SetText(l.Colour)
		hint := fmt.Sprintf("Added at rank %d; it never moves.", l.Rank)
		if l.BuiltIn() {
			hint = fmt.Sprintf("Built in at rank %d, fixed.", l.Rank)
		}
		sc.levelForm.rows["id"].hint = hint
		sc.levelForm.show("after", false)
		sc.levelSave.SetText("Save colour")
		sc.levelSave.SetIcon(theme.DocumentSaveIcon())
	}
	sc.levelStatus.SetText("")
	sc.levelChanged()
}

// levelValue reads the editor and names the first problem by its field:
// for a new level its name, its place (and so its rank) and its colour;
// for an existing one its colour alone. It also says, under "Add after",
// where the new level will go.
func (sc *settingsScreen) levelValue() (data.Classification, error) {
	c := data.Classification{ID: strings.ToUpper(strings.TrimSpace(sc.levelID.Text)), Colour: strings.TrimSpace(sc.levelColour.Text)}
	if c.Colour != "" && !strings.HasPrefix(c.Colour, "#") {
		c.Colour = "#" + c.Colour
	}
	after := sc.levelForm.rows["after"]
	after.hint = ""
	if sc.editingLevel != "" {
		for _, l := range sc.levels {
			if l.ID == sc.editingLevel {
				c.Rank = l.Rank
			}
		}
		return c, c.Validate()
	}
	named := c
	named.Colour = "#000000" // the name alone first
	if err := named.Validate(); err != nil {
		return c, err
	}
	for _, l := range sc.levels {
		if l.ID == c.ID {
			return c, &data.FieldError{Field: "id", Problem: c.ID + " is already on the list: tap it to change its colour"}
		}
	}
	for _, l := range sc.leftOff {
		if l.ID == c.ID {
			return c, &data.FieldError{Field: "id", Problem: c.ID + " is already on the list, left off the order: choose another name"}
		}
	}
	if sc.levelAfter.Selected == "" {
		return c, &data.FieldError{Field: "after", Problem: "is required: choose the level the new one goes after"}
	}
	rank, err := data.RankAfter(sc.levels, sc.levelAfter.Selected, sc.leftOff...)
	if err != nil {
		return c, err
	}
	c.Rank = rank
	after.hint = fmt.Sprintf("Goes above %s, at the top (rank %d); it never moves.", sc.levelAfter.Selected, rank)
	for i, l := range sc.levels {
		if l.ID == sc.levelAfter.Selected && i+1 < len(sc.levels) {
			after.hint = fmt.Sprintf("Goes between %s and %s (rank %d); it never moves.", l.ID, sc.levels[i+1].ID, rank)
		}
	}
	return c, c.Validate()
}

// levelChanged validates as the officer types and previews the banner.
func (sc *settingsScreen) levelChanged() {
	c, err := sc.levelValue()
	empty := sc.editingLevel == "" && c.ID == "" && sc.levelAfter.Selected == "" && sc.levelColour.Text == ""
	if empty {
		err = nil
	}
	sc.levelForm.setError(err)
	preview := c
	if preview.ID == "" {
		preview.ID = "LEVEL"
	}
	sc.levelPreview.set(data.Banner{Classification: preview, Releasability: []string{"USA", "IND"}})
	if preview.Validate() != nil { // no colour yet: neutral grey, not a level's colour
		sc.levelPreview.bg.FillColor = color.NRGBA{0x75, 0x75, 0x75, 0xff}
		sc.levelPreview.text.Color = color.White
		sc.levelPreview.bg.Refresh()
		sc.levelPreview.text.Refresh()
	}
	if err == nil && !empty {
		sc.levelSave.Enable()
	} else {
		sc.levelSave.Disable()
	}
}

func (sc *settingsScreen) saveLevel() {
	ctx := context.Background()
	c, err := sc.levelValue()
	after := sc.levelAfter.Selected
	if err == nil {
		if sc.editingLevel == "" {
			_, err = sc.app.store.AddClassification(ctx, c.ID, after, c.Colour)
		} else {
			err = sc.app.store.SetClassificationColour(ctx, sc.editingLevel, c.Colour)
		}
	}
	sc.levelForm.setError(err)
	if err != nil {
		if data.FieldOf(err) == "" {
			sc.levelStatus.SetText("Not saved: " + plain(err))
		}
		return
	}
	// The new list reaches this screen, the pickers and the banners
	// through the catalogue.
	sc.app.reloadCatalogue(func() { sc.app.setMarkings(nil) })
	done := fmt.Sprintf("Changed the colour of %s.", c.ID)
	if sc.editingLevel == "" {
		done = fmt.Sprintf("Added %s after %s.", c.ID, after)
	}
	sc.editLevel(data.Classification{})
	sc.levelStatus.SetText(done)
}

// ---- where the store lives ----

func (sc *settingsScreen) buildStore() fyne.CanvasObject {
	sc.path = widget.NewLabel("")
	sc.path.Wrapping = fyne.TextWrapBreak
	sc.path.TextStyle = fyne.TextStyle{Monospace: true}
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		sc.app.app.Clipboard().SetContent(sc.app.store.Path())
	})
	return settingsSection("Where the store lives", theme.StorageIcon(),
		"Everything is in this one file. Start the app with --db PATH (or set LIAISONDESK_DB) to open another.",
		container.NewBorder(nil, nil, nil, copyBtn, sc.path))
}

// ---- backup ----

func (sc *settingsScreen) buildBackup() fyne.CanvasObject {
	sc.backupBar = widget.NewProgressBarInfinite()
	sc.backupBar.Hide()
	sc.backupStatus = widget.NewLabel("")
	sc.backupStatus.Wrapping = fyne.TextWrapWord
	sc.backupBtn = widget.NewButtonWithIcon("Back up now…", theme.DownloadIcon(), sc.backupNow)
	sc.backupBtn.Importance = widget.HighImportance
	return settingsSection("Backup", theme.DocumentSaveIcon(),
		"A consistent copy of the whole store, taken while you keep working. Keep it off this laptop.",
		container.NewVBox(container.NewBorder(nil, nil, nil, sc.backupBtn, sc.backupStatus), sc.backupBar))
}

// backupNow asks where to write the backup, then writes it in the
// background.
func (sc *settingsScreen) backupNow() {
	dir, _ := os.UserHomeDir()
	if dir == "" {
		dir = filepath.Dir(sc.app.store.Path())
	}
	dest := widget.NewEntry()
	pass := sc.app.backupPassphrase()
	ext := ".db"
	if pass != nil {
		ext = ".age"
	}
	dest.SetText(filepath.Join(dir, "liaisondesk-backup-"+time.Now().Format("20060102-1504")+ext))
	content := container.NewVBox(widget.NewLabel("Write the backup to:"),
		container.NewBorder(nil, nil, nil, folderButton(sc.app.win, dest), dest))
	if pass != nil {
		content.Add(pass)
	}
	d := dialog.NewCustomConfirm("Back up the store", "Back up", "Cancel", container.NewGridWrap(fyne.NewSize(560, 130), content),
		func(ok bool) {
			if ok {
				if sc.backupPass = ""; pass != nil {
					sc.backupPass = pass.Text
				}
				sc.confirmBackup(strings.TrimSpace(dest.Text))
			}
		}, sc.app.win)
	d.Show()
}

// confirmBackup asks before replacing a file, then backs up.
func (sc *settingsScreen) confirmBackup(dest string) {
	if dest == "" {
		sc.backupStatus.SetText("Not backed up: give the backup a file name.")
		return
	}
	if samePath(dest, sc.app.store.Path()) {
		sc.backupStatus.SetText("Not backed up: that is the store itself; choose another file.")
		return
	}
	if _, err := os.Stat(dest); err == nil {
		dialog.ShowConfirm("Replace the file?", dest+" exists. Replace it with this backup?", func(ok bool) {
			if ok {
				sc.startBackup(dest)
			}
		}, sc.app.win)
		return
	}
	sc.startBackup(dest)
}

// startBackup writes the backup off the UI thread, showing activity, and
// reports the result.
func (sc *settingsScreen) startBackup(dest string) {
	sc.backupBtn.Disable()
	sc.backupBar.Show()
	sc.backupBar.Start()
	sc.backupStatus.SetText("Backing up to " + dest + "…")
	var err error
	var size int64
	sc.app.async(func() {
		err = sc.app.backupTo(context.Background(), dest, sc.backupPass)
		if fi, serr := os.Stat(dest); serr == nil {
			size = fi.Size()
		}
	}, func() {
		sc.backupBar.Stop()
		sc.backupBar.Hide()
		sc.backupBtn.Enable()
		if err != nil {
			sc.backupStatus.SetText("Backup failed: " + plain(err))
			return
		}
		sc.backupStatus.SetText(fmt.Sprintf("Backed up to %s (%s) at %s.", dest, humanSize(size), time.Now().Format("15:04")))
	})
}

// ---- restore ----

func (sc *settingsScreen) buildRestore() fyne.CanvasObject {
	sc.restoreBar = widget.NewProgressBarInfinite()
	sc.restoreBar.Hide()
	sc.restoreStatus = widget.NewLabel("")
	sc.restoreStatus.Wrapping = fyne.TextWrapWord
	sc.restoreBtn = widget.NewButtonWithIcon("Restore a backup…", theme.UploadIcon(), sc.restoreDialog)
	intro := "Restoring never touches the store in use: it creates a new store file from a backup, checked first, " +
		"with a new device identity that peers must enrol again. Then quit and start Liaison Desk on it with --db."
	return settingsSection("Restore", theme.HistoryIcon(), intro,
		container.NewVBox(container.NewBorder(nil, nil, nil, sc.restoreBtn, sc.restoreStatus), sc.restoreBar))
}

// restoreDialog asks for the backup and where to create the restored
// store (a new file), then restores in the background.
func (sc *settingsScreen) restoreDialog() {
	backup := widget.NewEntry()
	backup.SetPlaceHolder("/path/to/liaisondesk-backup.db")
	pick := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			backup.SetText(r.URI().Path())
		}, sc.app.win)
		d.Show()
	})
	dest := widget.NewEntry()
	dest.SetText(filepath.Join(filepath.Dir(sc.app.store.Path()), "store-restored-"+time.Now().Format("20060102-1504")+".db"))
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("the backup's passphrase: it also protects the restored store")
	form := container.NewVBox(
		widget.NewLabel("Backup file:"), container.NewBorder(nil, nil, nil, pick, backup),
		widget.NewLabel("Create the restored store at (a new file):"), container.NewBorder(nil, nil, nil, folderButton(sc.app.win, dest), dest),
		pass)
	d := dialog.NewCustomConfirm("Restore a backup", "Restore", "Cancel", container.NewGridWrap(fyne.NewSize(600, 220), form),
		func(ok bool) {
			if ok {
				sc.restorePass = pass.Text
				sc.startRestore(strings.TrimSpace(backup.Text), strings.TrimSpace(dest.Text))
			}
		}, sc.app.win)
	d.Show()
}

// startRestore restores a backup into a new file off the UI thread.
func (sc *settingsScreen) startRestore(backup, dest string) {
	switch {
	case backup == "" || dest == "":
		sc.restoreStatus.SetText("Not restored: name both the backup and the new store file.")
		return
	case samePath(dest, sc.app.store.Path()):
		sc.restoreStatus.SetText("Not restored: that is the store in use. Choose a new file.")
		return
	}
	if _, err := os.Stat(dest); err == nil {
		sc.restoreStatus.SetText("Not restored: " + dest + " already exists. Choose a new file.")
		return
	}
	sc.restoreBtn.Disable()
	sc.restoreBar.Show()
	sc.restoreBar.Start()
	sc.restoreStatus.SetText("Checking and restoring " + backup + "…")
	var restored *data.Restored
	var err error
	sc.app.async(func() {
		restored, err = restoreFrom(context.Background(), backup, dest, sc.restorePass)
	}, func() {
		sc.restoreBar.Stop()
		sc.restoreBar.Hide()
		sc.restoreBtn.Enable()
		if err != nil {
			sc.restoreStatus.SetText("Not restored: " + plain(err))
			return
		}
		dev := restored.Device
		sc.restoreStatus.SetText(fmt.Sprintf("Restored into %s. Its new identity is device %s (site %s): peers must enrol it again. "+
			"To use it, quit and start: liaisondesk --db %q", dest, dev.Site.ShortCode(), dev.Site, dest))
		// The backup held no keys, but the old laptop still does: whoever
		// has it can sign as this officer until its peers revoke it.
		sc.restoreAdvice = sc.app.showMessage("Revoke the old device", restoredAdvice(restored), "", widget.WarningImportance, "Close", nil)
	})
}

// ---- check ----

func (sc *settingsScreen) buildCheck() fyne.CanvasObject {
	sc.checkBar = widget.NewProgressBarInfinite()
	sc.checkBar.Hide()
	sc.checkResult = widget.NewLabel("")
	sc.checkResult.Wrapping = fyne.TextWrapWord
	sc.checkBtn = widget.NewButtonWithIcon("Check the store", theme.ConfirmIcon(), sc.runCheck)
	return settingsSection("Check the store", theme.SearchIcon(),
		"Verifies the file's integrity, the search index, every signature in the change log, and that every table "+
			"matches a rebuild from the log. It takes a while on a big store; you can keep working.",
		container.NewVBox(container.NewBorder(nil, nil, nil, sc.checkBtn, sc.checkResult), sc.checkBar))
}

// runCheck checks the store off the UI thread and shows what it found.
func (sc *settingsScreen) runCheck() {
	sc.checkBtn.Disable()
	sc.checkBar.Show()
	sc.checkBar.Start()
	sc.checkResult.Importance = widget.MediumImportance
	sc.checkResult.SetText("Checking…")
	start := time.Now()
	var r *store.CheckReport
	var err error
	sc.app.async(func() {
		r, err = sc.app.store.Check(context.Background())
	}, func() {
		sc.checkBar.Stop()
		sc.checkBar.Hide()
		sc.checkBtn.Enable()
		took := "under a second"
		if d := time.Since(start); d >= time.Second {
			took = d.Round(100 * time.Millisecond).String()
		}
		switch {
		case err != nil:
			sc.checkResult.Importance = widget.DangerImportance
			sc.checkResult.SetText("Could not check the store: " + plain(err))
		case len(r.Problems) > 0:
			sc.checkResult.Importance = widget.DangerImportance
			sc.checkResult.SetText(fmt.Sprintf("%s found (%s):\n• %s", plural(len(r.Problems), "problem", "problems"), took,
				strings.Join(r.Problems, "\n• ")))
		default:
			sc.checkResult.Importance = widget.MediumImportance
			sc.checkResult.SetText(fmt.Sprintf("The store is sound (%s): integrity %s, %s verified, %s compared with the log.",
				took, r.Integrity, plural(r.Commits, "signed commit", "signed commits"), plural(r.Rows, "row", "rows")))
		}
	})
}

// ---- helpers ----

// folderButton lets the officer pick the folder of a path typed in an
// entry, keeping its file name.
func folderButton(win fyne.Window, e *widget.Entry) *widget.Button {
	return widget.NewButtonWithIcon("Folder…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				return
			}
			e.SetText(filepath.Join(l.Path(), filepath.Base(e.Text)))
		}, win)
		startDialogIn(d, filepath.Dir(e.Text))
		d.Show()
	})
}

// restoredAdvice says, after a restore, to revoke the old device at its
// peers and hub and to enrol the new identity there.
func restoredAdvice(r *data.Restored) string {
	return fmt.Sprintf("The old device (site %s, device code %s) is still trusted by its peers and hub: "+
		"revoke it at each of them (Revoke on their Sync screen, under the name each gave it) and enrol this laptop's new identity instead. "+
		"The restored store trusts the old identity as peer %s, so work it made after the backup is applied when it arrives; "+
		"revoke %[3]s there too if the old device may be in other hands.",
		r.OldSite, r.OldSite.ShortCode(), r.OldPeer)
}

// samePath reports whether two paths name the same file (or would).
func samePath(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	aa, errA := filepath.Abs(a)
	bb, errB := filepath.Abs(b)
	return errors.Join(errA, errB) == nil && aa == bb
}
