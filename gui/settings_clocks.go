package gui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// dpasClocksSection is the Settings section "DPAS clocks": the clocks
// whose current text could not be confirmed, as this store applies them.
// HQ's store edits them; every other shows them read-only, since only
// HQ's values count (data/dpas_clock.go).
type dpasClocksSection struct {
	app   *App
	loads *reloader
	note  *widget.Label // who sets the clocks here
	rows  map[string]*clockRow
	box   *fyne.Container
	isHQ  bool
}

// clockRow is one clock: its working days and source, each with its
// problem beside it, and what applies now.
type clockRow struct {
	name               string
	days, source       *widget.Entry
	daysErr, sourceErr *widget.Label
	status             *widget.Label
	save               *widget.Button
}

// buildDPASClocks is the Settings section "DPAS clocks".
func (sc *settingsScreen) buildDPASClocks() fyne.CanvasObject {
	l := &dpasClocksSection{app: sc.app, loads: sc.app.newReloader(), rows: map[string]*clockRow{}}
	sc.dpasClocks = l
	l.note = widget.NewLabel("")
	l.note.Wrapping = fyne.TextWrapWord
	l.box = container.NewVBox(l.note)
	for _, name := range data.SettableClockNames() {
		r := &clockRow{name: name, days: widget.NewEntry(), source: widget.NewEntry(),
			daysErr: problemLabel(), sourceErr: problemLabel(), status: widget.NewLabel("")}
		r.status.Wrapping = fyne.TextWrapWord
		r.source.SetPlaceHolder("where HQ read the value, e.g. eCFR §700.13, read 2026-12-01")
		r.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { l.store(r) })
		l.rows[name] = r
		l.box.Add(widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		l.box.Add(container.NewBorder(nil, nil, widget.NewLabel("Working days"), r.daysErr, r.days))
		l.box.Add(container.NewBorder(nil, nil, widget.NewLabel("Source"), r.save, r.source))
		l.box.Add(r.sourceErr)
		l.box.Add(r.status)
	}
	sc.app.catalogue.onChange(l.load) // a sync may bring HQ's values
	l.load()
	return settingsSection("DPAS clocks", theme.HistoryIcon(),
		"The DPAS clocks whose current text could not be confirmed, in US working days. HQ sets them, with the source "+
			"it read; every laptop applies HQ's values once synced, and the table's until HQ sets one.", l.box)
}

func problemLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// load reads the clocks, and whether this store is HQ's, off the UI thread.
func (l *dpasClocksSection) load() {
	var clocks []data.ClockSetting
	var isHQ bool
	var err error
	l.loads.load(func() {
		ctx := context.Background()
		if clocks, err = l.app.store.DPASClocks(ctx); err == nil {
			isHQ, err = l.app.store.SetsDPASClocks(ctx)
		}
	}, func() {
		if err != nil {
			l.note.Importance = widget.DangerImportance
			l.note.SetText("Could not read the DPAS clocks: " + plain(err))
			return
		}
		l.isHQ = isHQ
		l.note.Importance = widget.MediumImportance
		l.note.SetText("Only HQ sets these: they reach this laptop by sync.")
		if isHQ {
			l.note.SetText("This is HQ's store: a value saved here reaches every laptop by sync.")
		}
		for _, c := range clocks {
			r := l.rows[c.Name]
			if r == nil {
				continue
			}
			r.days.SetText(strconv.Itoa(c.WorkingDays))
			r.source.SetText("")
			if c.SetByHQ {
				r.source.SetText(c.Source)
			}
			r.status.SetText(clockStatus(c))
			for _, e := range []*widget.Entry{r.days, r.source} {
				if isHQ {
					e.Enable()
				} else {
					e.Disable()
				}
			}
			if isHQ {
				r.save.Show()
			} else {
				r.save.Hide()
			}
		}
	})
}

// clockStatus says what applies: HQ's value, or the table's and its source.
func clockStatus(c data.ClockSetting) string {
	if c.SetByHQ {
		return fmt.Sprintf("%s: %d working days, set by HQ (the table says %d).", c.Section, c.WorkingDays, c.TableDays)
	}
	return fmt.Sprintf("%s: %d working days, the table's value (%s).", c.Section, c.WorkingDays, c.Source)
}

// store saves one clock at HQ: one short write on a click. A problem is
// named beside its field and changes nothing.
func (l *dpasClocksSection) store(r *clockRow) {
	r.daysErr.SetText("")
	r.sourceErr.SetText("")
	days, err := strconv.Atoi(strings.TrimSpace(r.days.Text))
	if err != nil {
		r.daysErr.SetText(fmt.Sprintf("give a whole number of working days from %d to %d", data.MinClockDays, data.MaxClockDays))
		return
	}
	got, err := l.app.store.SetDPASClock(context.Background(), r.name, days, r.source.Text)
	var fe *data.FieldError
	switch {
	case errors.As(err, &fe) && fe.Field == "working_days":
		r.daysErr.SetText(fe.Problem)
		return
	case errors.As(err, &fe) && fe.Field == "source":
		r.sourceErr.SetText(fe.Problem)
		return
	case err != nil:
		r.sourceErr.SetText(plain(err))
		return
	}
	r.status.SetText("Saved. " + clockStatus(got))
}
