package gui

// Hand-over at the end of a tour: the Actions screen moves every open or
// in-progress action of the departing officer to the successor in one
// step (Store.ReassignActions: one commit, synced like any change).

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data/store"
)

// handoverDialog asks who hands over and to whom, says how many actions
// will move, and moves them.
type handoverDialog struct {
	sc     *actionsScreen
	owners []store.OwnerCount
	from   *widget.Select
	to     *widget.SelectEntry
	count  *widget.Label
	move   *widget.Button
	cancel *widget.Button
	dialog *dialog.CustomDialog
}

// handoverButton opens the hand-over dialog from the list's heading.
func (sc *actionsScreen) handoverButton() *widget.Button {
	return widget.NewButtonWithIcon("Hand over open actions…", theme.AccountIcon(), func() { sc.openHandover() })
}

// openHandover shows the dialog, with the owners of open actions to pick
// from (the successor may be new: typed, or picked from the owners).
func (sc *actionsScreen) openHandover() *handoverDialog {
	h := &handoverDialog{sc: sc, count: widget.NewLabel("")}
	owners, err := sc.app.store.ActionOwners(context.Background())
	if err != nil {
		sc.app.showProblem(err)
		return nil
	}
	h.owners = owners
	var names []string
	for _, o := range owners {
		names = append(names, o.Owner)
	}
	h.from = widget.NewSelect(names, func(string) { h.refresh() })
	h.from.PlaceHolder = "Departing owner"
	successors := slices.Clone(names)
	if dev, err := sc.app.store.Device(); err == nil && !slices.Contains(successors, dev.Officer) {
		successors = append(successors, dev.Officer)
	}
	h.to = widget.NewSelectEntry(successors)
	h.to.SetPlaceHolder("New owner")
	h.to.OnChanged = func(string) { h.refresh() }
	h.count.Wrapping = fyne.TextWrapWord
	h.move = widget.NewButtonWithIcon("Hand over", theme.ConfirmIcon(), h.apply)
	h.move.Importance = widget.HighImportance
	h.cancel = widget.NewButton("Cancel", func() { h.dialog.Hide() })
	form := widget.NewForm(widget.NewFormItem("From", h.from), widget.NewFormItem("To", h.to))
	intro := widget.NewLabel("Every open or in-progress action of the departing owner moves to the new owner, in one change that syncs like any other. Done and cancelled actions stay as they were.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewGridWrap(fyne.NewSize(560, 200), container.NewVBox(intro, form, h.count))
	h.dialog = dialog.NewCustomWithoutButtons("Hand over open actions", content, sc.app.win)
	h.dialog.SetButtons([]fyne.CanvasObject{h.cancel, h.move})
	if len(names) == 1 {
		h.from.SetSelected(names[0])
	}
	h.refresh()
	h.dialog.Show()
	return h
}

// open counts the actions of owner that would move.
func (h *handoverDialog) open(owner string) int {
	for _, o := range h.owners {
		if o.Owner == owner {
			return o.Open
		}
	}
	return 0
}

// refresh says what the hand-over will do, and allows it only when it
// would move something to someone else.
func (h *handoverDialog) refresh() {
	from, to := h.from.Selected, strings.TrimSpace(h.to.Text)
	n := h.open(from)
	switch {
	case len(h.owners) == 0:
		h.count.SetText("No action is open or in progress: there is nothing to hand over.")
	case from == "":
		h.count.SetText("Pick the departing owner.")
	case to == "":
		h.count.SetText(fmt.Sprintf("%s has %s. Name the new owner.", from, actionsWord(n)))
	case to == from:
		h.count.SetText("The new owner is the departing one: pick someone else.")
	default:
		h.count.SetText(fmt.Sprintf("%s will move from %s to %s.", strings.ToUpper(actionsWord(n)[:1])+actionsWord(n)[1:], from, to))
	}
	if from != "" && to != "" && to != from && n > 0 {
		h.move.Enable()
	} else {
		h.move.Disable()
	}
}

// actionsWord is "2 open or in-progress actions".
func actionsWord(n int) string {
	if n == 1 {
		return "1 open or in-progress action"
	}
	return fmt.Sprintf("%d open or in-progress actions", n)
}

// apply moves the actions in one store transaction and says how many moved.
func (h *handoverDialog) apply() {
	from, to := h.from.Selected, strings.TrimSpace(h.to.Text)
	n, err := h.sc.app.store.ReassignActions(context.Background(), from, to)
	if err != nil {
		h.count.SetText("Not handed over: " + plain(err))
		return
	}
	h.dialog.Hide()
	h.sc.list.reload()
	h.sc.app.showMessage("Actions handed over", fmt.Sprintf("Moved %s from %s to %s.", actionsWord(n), from, to), "", widget.MediumImportance, "Close", nil)
}
