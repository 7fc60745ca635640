package gui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// buildPlannedList makes the planned engagements panel: the planned and
// postponed exchanges of the next data.PlannedWindow days, soonest first;
// a row opens the exchange.
func (sc *dashboardScreen) buildPlannedList() {
	sc.plannedList = widget.NewList(func() int { return len(sc.planned) },
		func() fyne.CanvasObject {
			// Two lines: a panel this narrow would cut the title short.
			title := widget.NewLabel("Call on Commander CTF 150")
			title.Truncation = fyne.TextTruncateEllipsis
			title.TextStyle.Bold = true
			when := widget.NewLabel("Mon 30 Nov 06:00 · 2 objectives")
			when.Truncation = fyne.TextTruncateEllipsis
			return container.New(layout.NewCustomPaddedVBoxLayout(0), title, when)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(sc.planned) {
				return
			}
			p := sc.planned[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(p.Title)
			detail := sc.plannedWhen(p.OccurredAt)
			if p.State == data.StatePostponed {
				detail += " · postponed"
			}
			if p.Objectives > 0 {
				detail += " · " + plural(p.Objectives, "objective", "objectives")
			}
			box.Objects[1].(*widget.Label).SetText(detail)
		})
	sc.plannedList.OnSelected = func(i widget.ListItemID) {
		sc.plannedList.UnselectAll()
		if i < len(sc.planned) {
			sc.app.open(data.KindExchange, sc.planned[i].ID)
		}
	}
	sc.plannedEmpty = emptyNote(fmt.Sprintf("No engagement is planned in the next %d days.", data.PlannedWindow))
}

// plannedWhen is an engagement's time in the officer's zone.
func (sc *dashboardScreen) plannedWhen(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	return t.In(officerZone(sc.app)).Format("Mon 2 Jan 15:04")
}
