package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// objectiveResultText writes a debrief's result for people.
var objectiveResultText = map[data.ObjectiveResult]string{
	data.ObjectiveMet: "met", data.ObjectivePartly: "partly met", data.ObjectiveNotMet: "not met",
}

// showPlan shows an engagement's objectives, one line each with their
// results once held, and its commitments. It is read-only: the plan and
// debrief are written with `liaisondesk update` for now.
func (f *exchangeForm) showPlan() {
	f.planView.RemoveAll()
	e := &f.plan
	if len(e.Objectives) == 0 && len(e.Commitments) == 0 {
		return
	}
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	line := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	if len(e.Objectives) > 0 {
		f.planView.Add(bold("Objectives"))
		for i, o := range e.Objectives {
			text := fmt.Sprintf("%d. %s", i+1, o.Text)
			if o.Priority != "" {
				text += " [" + o.Priority + "]"
			}
			if r := objectiveResultText[o.Result]; r != "" {
				text += " — " + r
				if n := strings.TrimSpace(o.Note); n != "" {
					text += ": " + strings.ReplaceAll(n, "\n", " ")
				}
			}
			f.planView.Add(line(text))
		}
	}
	if len(e.Commitments) > 0 {
		f.planView.Add(bold("Commitments"))
		for _, c := range e.Commitments {
			who := "Us"
			if c.Side == data.SideThem {
				who = "Them"
			}
			text := who + ": " + c.Text
			if c.Owner != "" {
				text += " (" + c.Owner + ")"
			}
			f.planView.Add(line(text))
		}
	}
}
