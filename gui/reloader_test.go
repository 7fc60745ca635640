package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// queued is a runner that holds background work until the test runs it,
// in the order it chooses: loads that overtake one another.
type queued struct{ jobs []func() }

func (q *queued) run(work, ui func()) { q.jobs = append(q.jobs, func() { work(); ui() }) }

func TestReloaderAppliesOnlyTheLatestLoad(t *testing.T) {
	t.Run("an older load finishing last is dropped", func(t *testing.T) {
		q := &queued{}
		r := &reloader{run: q.run}
		var shown []string
		r.load(func() {}, func() { shown = append(shown, "first") })
		r.load(func() {}, func() { shown = append(shown, "second") })
		q.jobs[1]()
		q.jobs[0]()
		if len(shown) != 1 || shown[0] != "second" {
			t.Fatalf("shown %v, want only the second load", shown)
		}
	})
	t.Run("stop drops the load still running", func(t *testing.T) {
		q := &queued{}
		r := &reloader{run: q.run}
		applied := false
		r.load(func() {}, func() { applied = true })
		r.stop()
		q.jobs[0]()
		if applied {
			t.Fatal("a stopped load was applied")
		}
	})
	t.Run("a follow-up of an overtaken load is dropped", func(t *testing.T) {
		q := &queued{}
		r := &reloader{run: q.run}
		var shown []string
		r.load(func() {}, func() {
			shown = append(shown, "page")
			r.follow(func() {}, func() { shown = append(shown, "count") })
		})
		q.jobs[0]() // the first page lands and queues its count
		r.load(func() {}, func() {})
		q.jobs[1]() // the count, after a newer load started
		if len(shown) != 1 || shown[0] != "page" {
			t.Fatalf("shown %v, want the page without its count", shown)
		}
	})
}

func TestContactPickerFindsContactsAsYouType(t *testing.T) {
	a, s := newTestApp(t)
	addSampleContacts(t, s)
	a.newExchange()
	p := a.exchanges.form.counterparts
	p.find.SetText("Webb")
	if len(p.matches) != 1 {
		t.Fatalf("options %v for “Webb”", p.matches)
	}
	for option := range p.matches {
		p.find.SetText(option) // chosen from the drop-down
	}
	if len(p.ids) != 1 || p.find.Text != "" {
		t.Fatalf("ids %v, box %q after choosing", p.ids, p.find.Text)
	}
	if !chipSays(p.chips, "Marcus Webb, Chief, Foreign Liaison Office") {
		t.Fatalf("no chip names the counterpart chosen: %v", p.names)
	}
}

func TestContactPickerNamesTheCounterpartsOfASavedExchange(t *testing.T) {
	a, s := newTestApp(t)
	ids := addSampleContacts(t, s)
	a.newExchange()
	p := a.exchanges.form.counterparts
	p.set([]string{ids[0], "no-such-contact"})
	if !chipSays(p.chips, "CAPT Jane A. Doe, Deputy J4") || !chipSays(p.chips, "(deleted contact)") {
		t.Fatalf("names %v", p.names)
	}
}

// chipSays reports whether a label among the chips says text.
func chipSays(o fyne.CanvasObject, text string) bool {
	switch o := o.(type) {
	case *widget.Label:
		return o.Text == text
	case *fyne.Container:
		for _, c := range o.Objects {
			if chipSays(c, text) {
				return true
			}
		}
	}
	return false
}
