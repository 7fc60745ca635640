package gui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// setupScreen is the first run: who the officer is and where they serve.
// Saving it creates the device's identity and key pair.
type setupScreen struct {
	store Store
	done  func()

	officer *widget.Entry
	rank    *widget.Entry
	posting *widget.Select
	form    *widget.Form
	status  *widget.Label
}

func newSetupScreen(s Store, done func()) *setupScreen {
	return &setupScreen{store: s, done: done}
}

func (sc *setupScreen) build() fyne.CanvasObject {
	sc.officer = widget.NewEntry()
	sc.officer.SetPlaceHolder("e.g. Col. A. Sharma")
	sc.officer.Validator = func(v string) error { return fieldError(&data.Officer{Name: v, Rank: "x", Posting: "CMF"}, "officer") }
	sc.rank = widget.NewEntry()
	sc.rank.SetPlaceHolder("e.g. Colonel")
	sc.rank.Validator = func(v string) error { return fieldError(&data.Officer{Name: "x", Rank: v, Posting: "CMF"}, "rank") }
	var codes []string
	for _, p := range data.BuiltinPostings() {
		codes = append(codes, p.ID)
	}
	sc.posting = widget.NewSelect(codes, nil)
	sc.posting.PlaceHolder = "Choose your posting"
	sc.status = widget.NewLabel("")
	sc.status.Wrapping = fyne.TextWrapWord
	sc.form = &widget.Form{
		Items: []*widget.FormItem{
			{Text: "Officer", Widget: sc.officer, HintText: "Your name as it appears on records"},
			{Text: "Rank", Widget: sc.rank},
			{Text: "Posting", Widget: sc.posting, HintText: "INDOPACOM (Hawaii), SOCOM (Florida), CMF (Bahrain), or IHQ (New Delhi) for HQ staff"},
		},
		SubmitText: "Create my store",
		OnSubmit:   sc.submit,
	}
	title := widget.NewLabelWithStyle("Welcome to Liaison Desk", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel("Set up this laptop once. Your records stay on this machine and sync later; " +
		"this creates the device's own signing key.")
	intro.Wrapping = fyne.TextWrapWord
	card := container.NewVBox(container.NewHBox(widget.NewIcon(theme.AccountIcon()), title), intro, sc.form, sc.status)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 360), card))
}

func (sc *setupScreen) submit() {
	o := data.Officer{Name: sc.officer.Text, Rank: sc.rank.Text, Posting: sc.posting.Selected}
	if err := sc.store.Init(context.Background(), o); err != nil {
		sc.status.SetText("Could not create the store: " + err.Error() + windowAdvice(err))
		return
	}
	sc.done()
}

// fieldError validates a record and returns its error only when it names
// the given field, so each entry reports its own problem.
func fieldError(o *data.Officer, field string) error {
	err := o.Validate(data.BuiltinPostings())
	if err != nil && data.FieldOf(err) == field {
		var fe *data.FieldError
		if errors.As(err, &fe) {
			return errors.New(fe.Problem)
		}
	}
	return nil
}
