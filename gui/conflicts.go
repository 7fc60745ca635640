package gui

import (
	"context"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// conflictsScreen shows the fields whose concurrent edits disagree
// (DESIGN.md §3). Only sync can bring another laptop's edits, and sync is
// not built yet, so the screen counts the store's conflicts and explains
// what will appear here; it never pretends to offer what does not exist.
type conflictsScreen struct {
	app     *App
	icon    *widget.Icon
	heading *widget.Label
	detail  *widget.Label
	ready   sync.WaitGroup // a refresh has reached the screen (tests wait on it)
}

func newConflictsScreen(a *App) section { return &conflictsScreen{app: a} }

func (sc *conflictsScreen) build() fyne.CanvasObject {
	title := container.NewHBox(widget.NewIcon(theme.WarningIcon()),
		widget.NewLabelWithStyle("Conflicts", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	sc.icon = widget.NewIcon(theme.ConfirmIcon())
	sc.heading = sectionHeading("Reading the store…")
	sc.detail = widget.NewLabel("")
	sc.detail.Wrapping = fyne.TextWrapWord
	about := widget.NewLabel("When two laptops change the same field of the same record before they have " +
		"synced, both values are kept, never dropped: the record is listed here and shows the most recent value " +
		"until someone chooses. Request statuses merge by their place in the workflow and only incomparable ones " +
		"(say cancelled against delivered) wait here. A record edited on one laptop while deleted on another " +
		"appears here too, with the offer to restore it.")
	about.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel("Sync is not set up yet: bundles and hub sync arrive in a later version. " +
		"Until then every change is made on this laptop alone, so conflicting edits from other laptops will " +
		"appear here once sync is set up.")
	status.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(container.NewHBox(sc.icon, sc.heading), sc.detail, widget.NewSeparator(),
		sectionHeading("What appears here"), about, status)
	return container.NewBorder(container.NewPadded(title), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground),
			container.NewPadded(body)))))
}

func (sc *conflictsScreen) shown() { sc.refresh() }

// refresh counts the conflicts off the UI thread.
func (sc *conflictsScreen) refresh() {
	sc.ready.Add(1)
	var n int
	var err error
	sc.app.async(func() {
		n, err = sc.app.store.ConflictCount(context.Background())
	}, func() {
		defer sc.ready.Done()
		switch {
		case err != nil:
			sc.icon.SetResource(theme.ErrorIcon())
			sc.heading.SetText("Could not read the conflicts")
			sc.detail.SetText(err.Error())
		case n == 0:
			sc.icon.SetResource(theme.ConfirmIcon())
			sc.heading.SetText("No conflicts")
			sc.detail.SetText("Every field of every record has one agreed value.")
		default:
			sc.icon.SetResource(theme.WarningIcon())
			sc.heading.SetText(fmt.Sprintf("%s in conflict", plural(n, "field", "fields")))
			sc.detail.SetText("Each shows its most recent value for now. Choosing between the values arrives with sync.")
		}
	})
}
