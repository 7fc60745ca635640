package data

import (
	"slices"
	"strings"
)

// HQ-set DPAS clocks (issue 14): where the current text of a rule could
// not be confirmed (DPASRule.Confirmed false), its number of working days
// is data HQ can set, as HQ sets other reference data. The table's value
// stands until HQ sets one. The values are synced rows of the dpas_clocks
// table, one per rule name; only changes made by an HQ device (one the
// organisation certifies as staff) count, so a laptop or a relayer cannot
// move a deadline (data/store/dpas_clock.go).

// The range of an HQ-set clock, in US working days.
const (
	MinClockDays = 1
	MaxClockDays = 60
)

// DPASClock is HQ's value for one clock of the table: its rule's name, the
// working days, and the text HQ read the value in.
type DPASClock struct {
	ID          string `json:"id"` // the rule's name, e.g. acceptance_do
	WorkingDays int    `json:"working_days"`
	Source      string `json:"source"`
}

func (c *DPASClock) RecordKind() Kind      { return KindDPASClock }
func (c *DPASClock) RecordID() string      { return c.ID }
func (c *DPASClock) SetRecordID(id string) { c.ID = id }

// Validate checks a value HQ sets, naming the field at fault.
func (c *DPASClock) Validate() error {
	if !ClockSettable(c.ID) {
		return Invalid("name", "%q is not a DPAS clock HQ may set (one of %s)", Clip(c.ID), strings.Join(SettableClockNames(), ", "))
	}
	if c.WorkingDays < MinClockDays || c.WorkingDays > MaxClockDays {
		return Invalid("working_days", "must be a whole number of working days from %d to %d (got %d)", MinClockDays, MaxClockDays, c.WorkingDays)
	}
	if strings.TrimSpace(c.Source) == "" {
		return Invalid("source", "is required: where the value was read, e.g. the eCFR text of §700.13 and its date")
	}
	return CheckLine("source", c.Source, true)
}

// ClockSettable says whether HQ may set the named rule's clock: a clock of
// the table whose current text was not confirmed.
func ClockSettable(name string) bool {
	i := slices.IndexFunc(dpasRules, func(r DPASRule) bool { return r.Name == name })
	return i >= 0 && dpasRules[i].WorkingDays > 0 && !dpasRules[i].Confirmed
}

// SettableClockNames are the names of the clocks HQ may set, in the
// table's order.
func SettableClockNames() []string {
	var out []string
	for _, r := range dpasRules {
		if ClockSettable(r.Name) {
			out = append(out, r.Name)
		}
	}
	return out
}

// ClockValues are HQ's values by rule name. A clock HQ has not set (or
// may not set) keeps the table's value; nil is the table.
type ClockValues map[string]int

// Days is the working days of the named clock under these values.
func (v ClockValues) Days(name string) int {
	if d, ok := v[name]; ok && ClockSettable(name) && d >= MinClockDays && d <= MaxClockDays {
		return d
	}
	return dpasRule(name).WorkingDays
}

// ClockSetting is one clock as the store applies it, for `dpas clocks`
// and Settings.
type ClockSetting struct {
	Name        string `json:"name"`
	Section     string `json:"section"`
	Rule        string `json:"rule"`
	WorkingDays int    `json:"working_days"` // the value applied
	TableDays   int    `json:"table_days"`   // the code's value
	SetByHQ     bool   `json:"set_by_hq"`
	Source      string `json:"source"` // HQ's source when set by HQ, else the table's
}

// ClockSettings lists the clocks HQ may set, as values and sources apply
// them; sources gives HQ's source of each value it set.
func ClockSettings(values ClockValues, sources map[string]string) []ClockSetting {
	var out []ClockSetting
	for _, r := range dpasRules {
		if !ClockSettable(r.Name) {
			continue
		}
		c := ClockSetting{Name: r.Name, Section: r.Section, Rule: r.Rule, WorkingDays: values.Days(r.Name), TableDays: r.WorkingDays, Source: r.Source}
		if _, ok := values[r.Name]; ok {
			c.SetByHQ, c.Source = true, sources[r.Name]
		}
		out = append(out, c)
	}
	return out
}
