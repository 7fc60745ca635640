package gui

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"filippo.io/age"
	"liaisondesk/data"
	"liaisondesk/data/store"
)

// keyStore is what the window needs of a store whose keys are sealed under
// a passphrase (*store.Store, docs/ARCHITECTURE.md §11). A store without
// these methods opens as it is.
type keyStore interface {
	HasPassphrase() bool
	Locked() bool
	Unlock(ctx context.Context, passphrase string) error
	Lock()
	SetPassphrase(ctx context.Context, passphrase string) error
	ChangePassphrase(ctx context.Context, old, passphrase string) error
	CheckPassphrase(ctx context.Context, passphrase string) error
}

// idlePreference is the idle time, in minutes, after which the window
// locks itself; defaultIdleMinutes when never set.
const (
	idlePreference     = "idleLockMinutes"
	defaultIdleMinutes = 15
)

// lockState is the window's side of the lock: when the officer last did
// something, and whether the idle watch runs.
type lockState struct {
	last     atomic.Int64 // unix nanoseconds of the last activity
	watching bool
	locked   bool
	screen   *unlockScreen // on show, nil once unlocked
}

// touch records activity: navigation, background work a screen asks for
// (lists, searches, saves) and typing in a form all count.
func (a *App) touch() { a.keys.last.Store(time.Now().UnixNano()) }

func (a *App) keyStore() (keyStore, bool) {
	ks, ok := a.store.(keyStore)
	return ks, ok && !a.opts.Demo
}

// unlockThen runs done once the store's keys are open: at once for the
// demo, with the passphrase from LIAISONDESK_PASSPHRASE_FILE when given,
// else after the unlock screen (or, for a store without a passphrase yet,
// the screen that chooses one and seals its keys).
func (a *App) unlockThen(done func()) {
	ks, ok := a.keyStore()
	if !ok {
		done()
		return
	}
	started := func() {
		done()
		a.touch()
		a.watchIdle()
	}
	if p := a.opts.Passphrase; p != "" {
		var err error
		switch {
		case !ks.HasPassphrase():
			err = ks.SetPassphrase(context.Background(), p)
		case ks.Locked():
			err = ks.Unlock(context.Background(), p)
		}
		if err == nil {
			started()
			return
		}
	}
	if ks.HasPassphrase() && !ks.Locked() {
		started()
		return
	}
	u := newUnlockScreen(a, ks, started)
	a.keys.screen = u
	a.win.SetContent(u.build())
	a.win.Canvas().Focus(u.pass)
}

// lock forgets the keys and covers the window with the unlock screen; the
// screens underneath stay as they were (a form half typed included) and
// come back on unlock. Open dialogs are closed.
func (a *App) lock() {
	ks, ok := a.keyStore()
	if !ok || !ks.HasPassphrase() || a.keys.locked {
		return
	}
	ks.Lock()
	a.keys.locked = true
	for o := a.win.Canvas().Overlays().Top(); o != nil; o = a.win.Canvas().Overlays().Top() {
		a.win.Canvas().Overlays().Remove(o)
	}
	content := a.win.Content()
	u := newUnlockScreen(a, ks, func() {
		a.keys.locked = false
		a.win.SetContent(content)
		a.touch()
	})
	a.keys.screen = u
	a.win.SetContent(u.build())
	a.win.Canvas().Focus(u.pass)
}

// unlessLocked is fn made inert while the unlock screen covers the window,
// so a menu item or a shortcut cannot act on the screens behind it.
func (a *App) unlessLocked(fn func()) func() {
	return func() {
		if !a.keys.locked {
			fn()
		}
	}
}

// Locked reports whether the window shows the unlock screen over its
// screens (after Lock or the idle time).
func (a *App) Locked() bool { return a.keys.locked }

// idleLimit is the idle time set in Settings.
func (a *App) idleLimit() time.Duration {
	return time.Duration(a.app.Preferences().IntWithFallback(idlePreference, defaultIdleMinutes)) * time.Minute
}

// lockIfIdle locks when nothing happened for the idle time before now.
func (a *App) lockIfIdle(now time.Time) {
	if now.Sub(time.Unix(0, a.keys.last.Load())) >= a.idleLimit() {
		a.lock()
	}
}

// watchIdle checks for idleness twice a minute, for the window's life. The
// test driver has no UI thread; its tests call lockIfIdle.
func (a *App) watchIdle() {
	if a.opts.Synchronous || a.keys.watching {
		return
	}
	a.keys.watching = true
	go func() {
		for range time.Tick(30 * time.Second) {
			fyne.Do(func() { a.lockIfIdle(time.Now()) })
		}
	}()
}

// unlockScreen asks for the passphrase, or has one chosen (twice) for a
// store whose keys are not sealed yet. Enter submits; a wrong passphrase
// is said next to the field.
type unlockScreen struct {
	a      *App
	ks     keyStore
	done   func()
	choose bool

	pass, again *widget.Entry
	problem     *widget.Label
	button      *widget.Button
	busy        *widget.ProgressBarInfinite
}

func newUnlockScreen(a *App, ks keyStore, done func()) *unlockScreen {
	return &unlockScreen{a: a, ks: ks, done: done, choose: !ks.HasPassphrase()}
}

func (u *unlockScreen) build() fyne.CanvasObject {
	u.pass = widget.NewPasswordEntry()
	u.pass.OnSubmitted = func(string) { u.submit() }
	u.problem = widget.NewLabel("")
	u.problem.Importance = widget.DangerImportance
	u.problem.Wrapping = fyne.TextWrapWord
	u.busy = widget.NewProgressBarInfinite()
	u.busy.Hide()
	u.busy.Stop()
	title, intro, action := "Liaison Desk is locked", "Enter the passphrase of this store to open it.", "Unlock"
	fields := container.NewVBox(widget.NewLabel("Passphrase"), u.pass)
	if u.choose {
		title = "Protect this store with a passphrase"
		intro = fmt.Sprintf("This store's signing and decryption keys are not protected yet. Choose a passphrase "+
			"(at least %d characters): it is asked each time Liaison Desk opens and after it locks. "+
			"Without it nobody can sign as you or read what is sent to you, even with this laptop.", data.MinPassphrase)
		action = "Protect and open"
		u.pass.OnSubmitted = func(string) { u.a.win.Canvas().Focus(u.again) }
		u.again = widget.NewPasswordEntry()
		u.again.OnSubmitted = func(string) { u.submit() }
		fields.Add(widget.NewLabel("Type it again"))
		fields.Add(u.again)
	}
	fields.Add(u.problem)
	u.button = widget.NewButtonWithIcon(action, theme.LoginIcon(), u.submit)
	u.button.Importance = widget.HighImportance
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(intro)
	text.Wrapping = fyne.TextWrapWord
	where := widget.NewLabelWithStyle(u.a.store.Path(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	where.Wrapping = fyne.TextWrapBreak
	card := container.NewVBox(container.NewHBox(widget.NewIcon(theme.VisibilityOffIcon()), head), text, where,
		fields, container.NewBorder(nil, nil, nil, u.button, u.busy))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 380), card))
}

// submit unlocks (or seals) off the UI thread: the key derivation takes
// about half a second on purpose.
func (u *unlockScreen) submit() {
	pass := u.pass.Text
	if u.choose {
		if err := data.CheckNewPassphrase(pass); err != nil {
			u.fail("The passphrase " + plain(err))
			return
		}
		if u.again.Text != pass {
			u.fail("The two passphrases differ.")
			return
		}
	}
	u.button.Disable()
	u.busy.Show()
	u.busy.Start()
	var err error
	u.a.async(func() {
		if u.choose {
			err = u.ks.SetPassphrase(context.Background(), pass)
		} else {
			err = u.ks.Unlock(context.Background(), pass)
		}
	}, func() {
		u.busy.Stop()
		u.busy.Hide()
		u.button.Enable()
		if err != nil {
			u.fail(unlockProblem(err))
			return
		}
		u.a.keys.screen = nil
		u.done()
	})
}

func (u *unlockScreen) fail(msg string) {
	u.problem.SetText(msg)
	u.pass.SetText("")
	if u.again != nil {
		u.again.SetText("")
	}
	u.a.win.Canvas().Focus(u.pass)
}

// unlockProblem says why an unlock failed, in the officer's words.
func unlockProblem(err error) string {
	var wait *data.UnlockWait
	switch {
	case errors.As(err, &wait):
		return fmt.Sprintf("Wrong passphrase %d times in a row: try again in %s.", wait.Failures, wait.Until.Sub(wait.Now).Round(time.Second))
	case errors.Is(err, data.ErrWrongPassphrase):
		return "Wrong passphrase. Nothing was changed; try again."
	}
	return plain(err)
}

// ---- Settings: the passphrase and the idle lock ----

// idleChoices are the idle times Settings offers, in minutes.
func idleChoices() []int { return []int{5, 10, 15, 30, 60} }

// securityControls are the idle time and the passphrase's buttons, in
// Settings' "Organisation and security" section (settings_org.go).
func (sc *settingsScreen) securityControls() fyne.CanvasObject {
	var labels []string
	for _, m := range idleChoices() {
		labels = append(labels, fmt.Sprintf("%d minutes", m))
	}
	idle := widget.NewSelect(labels, func(v string) {
		var m int
		if _, err := fmt.Sscanf(v, "%d minutes", &m); err == nil {
			sc.app.app.Preferences().SetInt(idlePreference, m)
		}
	})
	idle.SetSelected(fmt.Sprintf("%d minutes", int(sc.app.idleLimit()/time.Minute)))
	change := widget.NewButtonWithIcon("Change passphrase…", theme.AccountIcon(), sc.app.changePassphrase)
	lock := widget.NewButtonWithIcon("Lock now", theme.VisibilityOffIcon(), sc.app.lock)
	return container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel("Lock after"), nil, idle),
		container.NewHBox(change, lock))
}

// changePassphrase asks for the current passphrase and a new one, twice.
func (a *App) changePassphrase() {
	ks, ok := a.keyStore()
	if !ok || !ks.HasPassphrase() {
		return
	}
	old, pass, again := widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem("Current passphrase", old),
		widget.NewFormItem("New passphrase", pass),
		widget.NewFormItem("Type it again", again),
	}
	d := dialog.NewForm("Change the passphrase", "Change", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		if pass.Text != again.Text {
			dialog.ShowError(errors.New("the two new passphrases differ: nothing was changed"), a.win)
			return
		}
		var err error
		a.async(func() {
			err = ks.ChangePassphrase(context.Background(), old.Text, pass.Text)
		}, func() {
			if err != nil {
				dialog.ShowError(errors.New(unlockProblem(err)), a.win)
				return
			}
			dialog.ShowInformation("Passphrase changed", "The store now opens with the new passphrase. "+
				"Backups made before still open with the old one.", a.win)
		})
	}, a.win)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

// ---- Backup and restore, encrypted to the passphrase ----

// backupTo writes the window's backup: with a passphrase set, encrypted to
// it (checked first, so a typo cannot make a backup nobody can open); a
// plain copy otherwise (the demo).
func (a *App) backupTo(ctx context.Context, dest, pass string) error {
	ks, ok := a.keyStore()
	enc, canEncrypt := a.store.(interface {
		BackupEncrypted(ctx context.Context, dest string, recipients ...age.Recipient) error
	})
	if !ok || !canEncrypt || !ks.HasPassphrase() {
		return a.store.Backup(ctx, dest)
	}
	if err := ks.CheckPassphrase(ctx, pass); err != nil {
		return errors.New(unlockProblem(err))
	}
	r, err := store.ScryptRecipient(pass)
	if err != nil {
		return err
	}
	return enc.BackupEncrypted(ctx, dest, r)
}

// backupPassphrase is the entry the backup dialog shows when backups are
// encrypted; nil for the demo.
func (a *App) backupPassphrase() *widget.Entry {
	if ks, ok := a.keyStore(); !ok || !ks.HasPassphrase() {
		return nil
	}
	e := widget.NewPasswordEntry()
	e.SetPlaceHolder("the store's passphrase: the backup is encrypted to it")
	return e
}

// restoreFrom restores a backup, plain or encrypted to pass, into a new
// store sealed under pass (left without one when pass is empty).
func restoreFrom(ctx context.Context, backup, dest, pass string) (*data.Restored, error) {
	o := store.RestoreOptions{Passphrase: pass}
	if pass != "" {
		id, err := store.ScryptIdentity(pass)
		if err != nil {
			return nil, err
		}
		o.Identities = []age.Identity{id}
	}
	return store.RestoreWith(ctx, backup, dest, o)
}

// currentUnlock is the unlock screen the window shows, if any (tests).
func (a *App) currentUnlock() *unlockScreen { return a.keys.screen }
