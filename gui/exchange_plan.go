package gui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// objectiveResultText writes a debrief's result for people.
var objectiveResultText = map[data.ObjectiveResult]string{
	data.ObjectiveMet: "met", data.ObjectivePartly: "partly met", data.ObjectiveNotMet: "not met",
}

// planEditor edits an engagement's plan and debrief inside the exchange
// form. While the engagement is planned (or postponed) the officer writes
// its objectives, talking points, asks and red lines; once it is held (or
// final, by amendment) the plan is read-only and the debrief is written:
// each objective's result and note, each side's commitments, and the
// atmospherics. What is typed goes straight into the form's plan
// (exchangeForm.plan), which record() saves.
type planEditor struct {
	talkingPoints, asks, redLines, atmospherics *widget.Entry

	objectiveBox, commitmentBox   *fyne.Container
	objectiveAdd, commitmentAdd   *widget.Button
	objectiveRows                 []objectiveRow
	commitmentRows                []commitmentRow
	objectiveCell, commitmentCell *fyne.Container
}

// objectiveRow is one objective being planned (text, priority) or
// debriefed (result, note).
type objectiveRow struct {
	text, priority, note *widget.Entry
	result               *widget.Select
	remove               *widget.Button
}

// commitmentRow is one commitment being written in the debrief.
type commitmentRow struct {
	side        *widget.Select
	text, owner *widget.Entry
	due         *dateEntry
	remove      *widget.Button
}

// objectiveResultChoices are the results offered in the debrief, in the
// words shown; resultOfChoice reads one back.
var objectiveResultChoices = []string{"met", "partly met", "not met"}

func resultOfChoice(s string) data.ObjectiveResult {
	for r, text := range objectiveResultText {
		if text == s {
			return r
		}
	}
	return ""
}

// sideChoices are the sides of a commitment, in the words shown.
var sideChoices = map[data.CommitmentSide]string{data.SideUs: "Us", data.SideThem: "Them"}

func sideOfChoice(s string) data.CommitmentSide {
	for side, text := range sideChoices {
		if text == s {
			return side
		}
	}
	return ""
}

// addPlanFields adds the plan's and the debrief's fields to the form
// after the outcome; showPlan shows those that fit the state.
func (f *exchangeForm) addPlanFields() {
	p := &planEditor{}
	f.pe = p
	multi := func(placeholder string, set func(string)) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.SetPlaceHolder(placeholder)
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
		e.OnChanged = func(s string) { set(s); f.changed() }
		return e
	}
	p.talkingPoints = multi("What to say", func(s string) { f.plan.TalkingPoints = s })
	p.asks = multi("What to ask for", func(s string) { f.plan.Asks = s })
	p.redLines = multi("What not to concede or disclose", func(s string) { f.plan.RedLines = s })
	p.atmospherics = multi("How the meeting felt: tone, mood, who warmed to what", func(s string) { f.plan.Atmospherics = s })
	p.objectiveBox, p.commitmentBox = container.NewVBox(), container.NewVBox()
	p.objectiveAdd = widget.NewButtonWithIcon("Add objective", theme.ContentAddIcon(), func() {
		f.plan.Objectives = append(f.plan.Objectives, data.Objective{})
		f.redrawObjectives()
		f.changed()
	})
	p.commitmentAdd = widget.NewButtonWithIcon("Add commitment", theme.ContentAddIcon(), func() {
		// Its id is stable from now on: the action it becomes is derived from it.
		f.plan.Commitments = append(f.plan.Commitments, data.Commitment{ID: data.NewID(), Side: data.SideUs})
		f.redrawCommitments()
		f.changed()
	})
	p.objectiveCell = container.NewVBox(p.objectiveBox, container.NewHBox(p.objectiveAdd))
	p.commitmentCell = container.NewVBox(p.commitmentBox, container.NewHBox(p.commitmentAdd))
	ff := f.ff
	ff.add("objectives", "Objectives", p.objectiveCell, "")
	ff.add("talking_points", "Talking points", p.talkingPoints, "")
	ff.add("asks", "Asks", p.asks, "")
	ff.add("red_lines", "Red lines", p.redLines, "")
	ff.add("commitments", "Commitments", p.commitmentCell, "Each side's promises; one with an owner becomes an action when final")
	ff.add("atmospherics", "Atmospherics", p.atmospherics, "")
	prev := f.state.OnChanged
	f.state.OnChanged = func(s string) {
		f.showPlan()
		prev(s)
	}
}

// loadPlan keeps a copy of an exchange's plan and debrief, so what is
// typed does not change the record the form was opened with (Cancel goes
// back to it).
func (f *exchangeForm) loadPlan(e *data.Exchange) {
	f.plan = *e
	f.plan.Objectives = slices.Clone(e.Objectives)
	f.plan.Commitments = slices.Clone(e.Commitments)
	p := f.pe
	for _, t := range []struct {
		e *widget.Entry
		v string
	}{{p.talkingPoints, e.TalkingPoints}, {p.asks, e.Asks}, {p.redLines, e.RedLines}, {p.atmospherics, e.Atmospherics}} {
		t.e.SetText(t.v)
	}
	f.showPlan()
}

// planState is the state the form shows: the one chosen in the form, else
// the loaded one.
func (f *exchangeForm) planState() data.ExchangeState {
	if f.state != nil && f.state.Selected != "" {
		return data.ExchangeState(f.state.Selected)
	}
	return f.plan.State
}

// showPlan shows the fields of the plan while planned and of the debrief
// once held. Being edited, objectives and commitments are rows to type
// in; otherwise they are read as one line each (planView).
func (f *exchangeForm) showPlan() {
	if f.pe == nil {
		return
	}
	st := f.planState()
	planning := st.IsPlanning()
	debrief := st == data.StateHeld || (st == data.StateFinal || st == data.StateDraft) &&
		(len(f.plan.Objectives) > 0 || len(f.plan.Commitments) > 0 || f.plan.Atmospherics != "")
	engagement := planning || debrief
	f.ff.show("objectives", f.editable && engagement)
	// In the debrief the plan is read-only: only the lines written show.
	for name, v := range map[string]string{"talking_points": f.plan.TalkingPoints, "asks": f.plan.Asks, "red_lines": f.plan.RedLines} {
		f.ff.show(name, planning || debrief && v != "")
	}
	f.ff.show("commitments", f.editable && debrief)
	f.ff.show("atmospherics", debrief)
	p := f.pe
	setEnabled(f.editable && planning, p.talkingPoints, p.asks, p.redLines)
	setEnabled(f.editable && debrief, p.atmospherics)
	setShown(planning, p.objectiveAdd)
	f.redrawObjectives()
	f.redrawCommitments()
	f.showPlanView(!f.editable)
}

// redrawObjectives lays out one row per objective: text and priority
// while planned; the objective with its result and note once held.
func (f *exchangeForm) redrawObjectives() {
	p := f.pe
	p.objectiveBox.RemoveAll()
	p.objectiveRows = p.objectiveRows[:0]
	planning := f.planState().IsPlanning()
	for i := range f.plan.Objectives {
		i := i
		o := &f.plan.Objectives[i]
		r := objectiveRow{text: widget.NewEntry(), priority: widget.NewEntry(), note: widget.NewEntry(),
			result: widget.NewSelect(objectiveResultChoices, nil)}
		r.text.SetPlaceHolder("What this engagement should achieve")
		r.text.SetText(o.Text)
		r.text.OnChanged = func(s string) { f.plan.Objectives[i].Text = s; f.changed() }
		r.priority.SetPlaceHolder("HQ priority tag")
		r.priority.SetText(o.Priority)
		r.priority.OnChanged = func(s string) { f.plan.Objectives[i].Priority = s; f.changed() }
		r.result.PlaceHolder = "Result"
		r.result.SetSelected(objectiveResultText[o.Result])
		r.result.OnChanged = func(s string) { f.plan.Objectives[i].Result = resultOfChoice(s); f.changed() }
		r.note.SetPlaceHolder("Note on the result")
		r.note.SetText(o.Note)
		r.note.OnChanged = func(s string) { f.plan.Objectives[i].Note = s; f.changed() }
		r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			f.plan.Objectives = slices.Delete(f.plan.Objectives, i, i+1)
			f.redrawObjectives()
			f.changed()
		})
		var row fyne.CanvasObject
		if planning {
			row = container.NewBorder(nil, nil, nil, r.remove,
				container.New(&columnsLayout{weights: []float32{4, 1.5}}, r.text, r.priority))
		} else {
			title := fmt.Sprintf("%d. %s", i+1, o.Text)
			if o.Priority != "" {
				title += " [" + o.Priority + "]"
			}
			label := widget.NewLabel(title)
			label.Truncation = fyne.TextTruncateEllipsis
			row = container.NewVBox(label, container.New(&columnsLayout{weights: []float32{1.5, 4}}, r.result, r.note))
		}
		if !f.editable {
			setEnabled(false, r.text, r.priority, r.result, r.note)
			r.remove.Hide()
		}
		p.objectiveRows = append(p.objectiveRows, r)
		p.objectiveBox.Add(row)
	}
	p.objectiveBox.Refresh()
}

// redrawCommitments lays out one row per commitment: side, what was
// promised, owner and due date.
func (f *exchangeForm) redrawCommitments() {
	p := f.pe
	p.commitmentBox.RemoveAll()
	p.commitmentRows = p.commitmentRows[:0]
	for i := range f.plan.Commitments {
		i := i
		c := &f.plan.Commitments[i]
		r := commitmentRow{side: widget.NewSelect([]string{sideChoices[data.SideUs], sideChoices[data.SideThem]}, nil),
			text: widget.NewEntry(), owner: widget.NewEntry(), due: newDateEntry(func() fyne.Window { return f.app.win })}
		r.side.SetSelected(sideChoices[c.Side])
		r.side.OnChanged = func(s string) { f.plan.Commitments[i].Side = sideOfChoice(s); f.changed() }
		r.text.SetPlaceHolder("What was promised")
		r.text.SetText(c.Text)
		r.text.OnChanged = func(s string) { f.plan.Commitments[i].Text = s; f.changed() }
		r.owner.SetPlaceHolder("Owner")
		r.owner.SetText(c.Owner)
		r.owner.OnChanged = func(s string) { f.plan.Commitments[i].Owner = s; f.changed() }
		r.due.SetText(c.DueOn)
		r.due.OnChanged = func(s string) { f.plan.Commitments[i].DueOn = strings.TrimSpace(s); f.changed() }
		r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			f.plan.Commitments = slices.Delete(f.plan.Commitments, i, i+1)
			f.redrawCommitments()
			f.changed()
		})
		if c.ActionID != "" || !f.editable {
			// Already an action: change it there, not here.
			setEnabled(false, r.side, r.text, r.owner, r.due)
			r.remove.Hide()
		}
		p.commitmentRows = append(p.commitmentRows, r)
		p.commitmentBox.Add(container.NewBorder(nil, nil, nil, r.remove,
			container.New(&columnsLayout{weights: []float32{0.8, 3.5, 1.5, 1.5}}, r.side, r.text, r.owner, r.due.box)))
	}
	p.commitmentBox.Refresh()
}

// showPlanView shows an engagement's objectives, one line each with their
// results once held, and its commitments, read-only (on) or not at all
// while the rows above are being edited.
func (f *exchangeForm) showPlanView(on bool) {
	f.planView.RemoveAll()
	e := &f.plan
	if !on || len(e.Objectives) == 0 && len(e.Commitments) == 0 {
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
			text := sideChoices[c.Side] + ": " + c.Text
			if c.Owner != "" {
				text += " (" + c.Owner
				if c.DueOn != "" {
					text += ", due " + c.DueOn
				}
				text += ")"
			}
			f.planView.Add(line(text))
		}
	}
}
