package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
)

func dpasClocks(t *testing.T, db string) []data.ClockSetting {
	t.Helper()
	r := liaisondesk(t, db, "", "dpas", "clocks", "--json")
	if r.code != 0 {
		t.Fatalf("dpas clocks: %+v", r)
	}
	var out []data.ClockSetting
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("dpas clocks --json: %v\n%s", err, r.stdout)
	}
	return out
}

func TestDPASVerb(t *testing.T) {
	laptop := newStore(t)
	hq := filepath.Join(t.TempDir(), "hq.db")
	if r := liaisondesk(t, hq, "", "init", "--officer", "Brig HQ", "--rank", "Brigadier", "--posting", "IHQ"); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	if r := liaisondesk(t, hq, "", "org", "init", "--name", "Indian Liaison Officers"); r.code != 0 {
		t.Fatalf("org init: %+v", r)
	}

	t.Run("clocks lists the clocks HQ may set, with section and source, from the table", func(t *testing.T) {
		r := liaisondesk(t, laptop, "", "dpas", "clocks")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "CLOCK") {
			t.Fatalf("%+v", r)
		}
		for _, want := range []string{"acceptance_do  15 CFR 700.13(d)(1)  15", "acceptance_dx  15 CFR 700.13(d)(1)  10", "delay_confirm  15 CFR 700.13(d)(2)  1"} {
			if !strings.Contains(strings.Join(strings.Fields(r.stdout), "  "), strings.Join(strings.Fields(want), "  ")) {
				t.Errorf("missing %q in\n%s", want, r.stdout)
			}
		}
		if got := dpasClocks(t, laptop); len(got) != 3 || got[0].SetByHQ || got[0].Source == "" {
			t.Errorf("clocks --json: %+v", got)
		}
	})

	t.Run("a laptop's store refuses to set a clock, saying only HQ does", func(t *testing.T) {
		r := liaisondesk(t, laptop, "", "dpas", "set", "acceptance_do", "20", "--source", "eCFR")
		if r.code != 1 || !strings.Contains(r.stderr, "only HQ sets the DPAS clocks") || !strings.Contains(r.stderr, "dpas set") {
			t.Fatalf("%+v", r)
		}
		if dpasClocks(t, laptop)[0].WorkingDays != 15 {
			t.Error("the refusal changed the clock")
		}
	})

	t.Run("HQ's store refuses a value out of range, naming the field", func(t *testing.T) {
		r := liaisondesk(t, hq, "", "dpas", "set", "acceptance_do", "61", "--source", "eCFR")
		if r.code != 1 || !strings.Contains(r.stderr, "working_days") {
			t.Fatalf("%+v", r)
		}
		if r := liaisondesk(t, hq, "", "dpas", "set", "acceptance_do", "2.5", "--source", "eCFR"); r.code != 2 {
			t.Fatalf("not a whole number: %+v", r)
		}
		if r := liaisondesk(t, hq, "", "dpas", "set", "acceptance_do", "20"); r.code != 2 || !strings.Contains(r.stderr, "--source") {
			t.Fatalf("no source: %+v", r)
		}
		if dpasClocks(t, hq)[0].WorkingDays != 15 {
			t.Error("a refusal changed the clock")
		}
	})

	t.Run("HQ sets a clock, and clocks says HQ set it with its source", func(t *testing.T) {
		r := liaisondesk(t, hq, "", "dpas", "set", "acceptance_do", "20", "--source", "eCFR §700.13(d)(1), read 2026-12-01")
		if r.code != 0 || !strings.Contains(r.stdout, "acceptance_do (15 CFR 700.13(d)(1)) is now 20 working days") {
			t.Fatalf("%+v", r)
		}
		got := dpasClocks(t, hq)[0]
		if got.WorkingDays != 20 || !got.SetByHQ || got.Source != "eCFR §700.13(d)(1), read 2026-12-01" || got.TableDays != 15 {
			t.Errorf("%+v", got)
		}
	})
}
