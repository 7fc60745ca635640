package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

// A laptop's Settings show the DPAS clocks read-only, with the table's
// values; HQ's edit them, a bad value is named beside its field and
// changes nothing, and a good one is saved where the requests read it.
func TestSettingsShowTheDPASClocksAndOnlyHQEditsThem(t *testing.T) {
	ctx := context.Background()
	t.Run("a laptop shows the table's values, read-only", func(t *testing.T) {
		_, _, sc := openSettings(t)
		r := sc.dpasClocks.rows[data.RuleAcceptanceDO]
		if r.days.Text != "15" || !r.days.Disabled() || !r.source.Disabled() || r.save.Visible() {
			t.Fatalf("acceptance_do shows %q (disabled %v, save shown %v)", r.days.Text, r.days.Disabled(), r.save.Visible())
		}
		if !strings.Contains(sc.dpasClocks.note.Text, "Only HQ sets these") || !strings.Contains(r.status.Text, "the table's value") {
			t.Errorf("note %q, status %q", sc.dpasClocks.note.Text, r.status.Text)
		}
	})
	t.Run("HQ edits them; a bad value is named beside its field", func(t *testing.T) {
		_, s, sc := openSettings(t)
		if _, _, err := s.InitOrg(ctx, "Integrated HQ"); err != nil {
			t.Fatal(err)
		}
		l := sc.dpasClocks
		l.load()
		r := l.rows[data.RuleAcceptanceDO]
		if r.days.Disabled() || !r.save.Visible() {
			t.Fatal("HQ's store shows the clocks read-only")
		}
		for _, bad := range []string{"0", "61", "two"} {
			r.days.SetText(bad)
			r.source.SetText("eCFR")
			test.Tap(r.save)
			if !strings.Contains(r.daysErr.Text, "whole number of working days") {
				t.Errorf("%q: beside the days %q", bad, r.daysErr.Text)
			}
		}
		r.days.SetText("20")
		r.source.SetText("")
		test.Tap(r.save)
		if !strings.Contains(r.sourceErr.Text, "is required") || r.daysErr.Text != "" {
			t.Errorf("no source: beside the source %q, beside the days %q", r.sourceErr.Text, r.daysErr.Text)
		}
		if all, _ := s.DPASClocks(ctx); all[0].WorkingDays != 15 || all[0].SetByHQ {
			t.Fatalf("a refused value was saved: %+v", all[0])
		}
		r.source.SetText("eCFR §700.13(d)(1), read 2026-12-01")
		test.Tap(r.save)
		if all, _ := s.DPASClocks(ctx); all[0].WorkingDays != 20 || !all[0].SetByHQ {
			t.Fatalf("not saved: %+v (beside %q %q)", all[0], r.daysErr.Text, r.sourceErr.Text)
		}
		if !strings.Contains(r.status.Text, "Saved") || !strings.Contains(r.status.Text, "set by HQ") {
			t.Errorf("status %q", r.status.Text)
		}
	})
}
