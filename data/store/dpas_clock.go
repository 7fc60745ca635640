package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"liaisondesk/data"
)

// HQ-set DPAS clocks (data/dpas_clock.go). HQ is a device the
// organisation certifies as staff: only such a device may set a clock
// here, an import holds for review a change to a clock made by any other
// (checkDPASClockImport, as a change that would move a classification
// level is held), and the values applied are read from the change log
// counting only HQ's changes (hqClocks), so a change released from review
// or relayed by another device still moves nothing. The requests'
// acceptance_due and delay_confirm_due are derived columns: they are
// recomputed in the transaction that writes a clock, whether HQ saved it
// or an import brought it (rederiveForClocks), and on open when the
// values differ from those they were computed under (rederiveDPAS).

var dpasClocksTable = mustTable(data.KindDPASClock)

// hqClockState is HQ's values and the source each cites.
type hqClockState struct {
	values  data.ClockValues
	sources map[string]string
}

// hqClocks reads HQ's values from the change log: for each clock and
// field the last change (by clock, then author and seq: the same order on
// every replica) made by a device certified as staff, before any cut of a
// revocation. A value out of range counts as unset.
func hqClocks(ctx context.Context, q querier) (hqClockState, error) {
	st := hqClockState{values: data.ClockValues{}, sources: map[string]string{}}
	type change struct {
		row    string
		fields string
		site   data.SiteID
		seq    int64
	}
	rows, err := q.QueryContext(ctx, `SELECT c.row_id, c.fields, s.site_id, c.id & 1099511627775 FROM changes c
		JOIN sites s ON s.no = c.id >> 40
		WHERE c.tbl = 'dpas_clocks'
		ORDER BY c.hlc, s.site_id, c.id & 1099511627775`)
	if err != nil {
		return st, fmt.Errorf("DPAS clocks: %w", err)
	}
	var changes []change
	for rows.Next() {
		var c change
		var site []byte
		if err := rows.Scan(&c.row, &c.fields, &site, &c.seq); err != nil {
			rows.Close()
			return st, fmt.Errorf("DPAS clocks: %w", err)
		}
		copy(c.site[:], site)
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("DPAS clocks: %w", err)
	}
	if len(changes) == 0 {
		return st, nil
	}
	roster, err := storeRoster(ctx, q)
	if err != nil {
		return st, err
	}
	for _, c := range changes {
		if !isStaff(roster, c.site, c.seq) || !data.ClockSettable(c.row) {
			continue
		}
		var fields struct {
			WorkingDays *json.RawMessage `json:"working_days"`
			Source      *string          `json:"source"`
		}
		if json.Unmarshal([]byte(c.fields), &fields) != nil {
			continue
		}
		if fields.WorkingDays != nil {
			if d, err := strconv.Atoi(string(*fields.WorkingDays)); err == nil && d >= data.MinClockDays && d <= data.MaxClockDays {
				st.values[c.row] = d
			}
		}
		if fields.Source != nil {
			st.sources[c.row] = *fields.Source
		}
	}
	return st, nil
}

// storeRoster is the organisation's roster as the store holds it; empty
// when the store trusts no organisation (then no device is HQ).
func storeRoster(ctx context.Context, q querier) (data.Roster, error) {
	org, _, err := loadOrg(ctx, q)
	if err != nil {
		return data.Roster{}, fmt.Errorf("DPAS clocks: %w", err)
	}
	if org == nil {
		return data.RosterOf(nil), nil
	}
	entries, err := rosterEntries(ctx, q)
	if err != nil {
		return data.Roster{}, fmt.Errorf("DPAS clocks: %w", err)
	}
	return data.RosterOf(entries), nil
}

// isStaff says whether site's change seq was made as HQ: the roster
// certifies the device as staff, and no revocation cuts it off before seq.
func isStaff(roster data.Roster, site data.SiteID, seq int64) bool {
	c, ok := roster.Certs[site]
	if !ok || c.Role != data.RoleStaff {
		return false
	}
	if v, revoked := roster.Revoked[site]; revoked && seq > v.LastSeq {
		return false
	}
	return true
}

// clockValuesOf is HQ's values, read once per write.
func clockValuesOf(ctx context.Context, q querier) (data.ClockValues, error) {
	w, ok := q.(*writer)
	if ok && w.clocks != nil {
		return w.clocks, nil
	}
	st, err := hqClocks(ctx, q)
	if err != nil {
		return nil, err
	}
	if ok {
		w.clocks = st.values
	}
	return st.values, nil
}

// DPASClocks lists the clocks HQ may set, each with the value applied,
// the table's, its source and whether HQ set it.
func (s *Store) DPASClocks(ctx context.Context) ([]data.ClockSetting, error) {
	st, err := hqClocks(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	return data.ClockSettings(st.values, st.sources), nil
}

// SetsDPASClocks says whether this store is HQ's: its device is certified
// as staff by the organisation it trusts.
func (s *Store) SetsDPASClocks(ctx context.Context) (bool, error) {
	roster, err := storeRoster(ctx, s.rdb)
	if err != nil {
		return false, err
	}
	dev, err := s.Device()
	if err != nil {
		return false, err
	}
	return isStaff(roster, dev.Site, 0), nil
}

// SetDPASClock sets HQ's value of a clock, with the source it was read
// in. Only HQ's store may; every request's derived dates follow in the
// same transaction. Nothing changes when the value is refused.
func (s *Store) SetDPASClock(ctx context.Context, name string, days int, source string) (data.ClockSetting, error) {
	c := data.DPASClock{ID: strings.TrimSpace(name), WorkingDays: days, Source: strings.TrimSpace(source)}
	if err := c.Validate(); err != nil {
		return data.ClockSetting{}, data.Op("dpas set", "", err)
	}
	err := s.write(ctx, func(w *writer) error {
		roster, err := storeRoster(w.ctx, w)
		if err != nil {
			return err
		}
		if !isStaff(roster, w.dev.Site, 0) {
			return data.InvalidBecause(data.ErrNotHQ, "name", "only HQ sets the DPAS clocks: this store's device is not certified by the organisation as HQ staff")
		}
		ok, err := w.exists(nil, dpasClocksTable, c.ID)
		if err != nil {
			return err
		}
		if !ok {
			r, err := w.refs()
			if err != nil {
				return err
			}
			_, err = w.add(&c, r)
			return err
		}
		return w.change(dpasClocksTable, c.ID, map[string]json.RawMessage{"working_days": mustJSON(c.WorkingDays), "source": mustJSON(c.Source)})
	})
	if err != nil {
		return data.ClockSetting{}, data.Op("dpas set", "", err)
	}
	all, err := s.DPASClocks(ctx)
	if err != nil {
		return data.ClockSetting{}, err
	}
	for _, got := range all {
		if got.Name == c.ID {
			return got, nil
		}
	}
	return data.ClockSetting{}, fmt.Errorf("dpas set: %s is not listed after saving", c.ID)
}

// rederiveForClocks recomputes every request's DPAS dates under HQ's
// values after a clock is written (saved here or imported); a clock's
// afterWrite, so in the same transaction.
func rederiveForClocks(w *writer) error {
	w.clocks = nil
	v, err := clockValuesOf(w.ctx, w)
	if err != nil {
		return err
	}
	return rederiveRequests(w.ctx, w, v)
}

// checkDPASClockImport is the dpas_clocks table's import rule: a change
// made by a device that is not HQ, or one out of range, is held for
// review, as a change that would move a classification level is.
func checkDPASClockImport(ctx context.Context, q querier, b *importBatch, rowID, field string, value json.RawMessage) error {
	bad := func(format string, args ...any) error {
		return brokenLevelRule{fmt.Errorf("DPAS clock %s: %s", data.Clip(rowID), fmt.Sprintf(format, args...))}
	}
	roster, err := storeRoster(ctx, q)
	if err != nil {
		return err
	}
	if !isStaff(roster, b.author, 0) {
		return bad("only HQ sets the DPAS clocks, and device %s is not certified by the organisation as HQ staff", b.author.ShortCode())
	}
	if !data.ClockSettable(rowID) {
		return bad("not a clock HQ may set (one of %s)", strings.Join(data.SettableClockNames(), ", "))
	}
	switch field {
	case "working_days":
		d, err := strconv.Atoi(string(value))
		if err != nil || d < data.MinClockDays || d > data.MaxClockDays {
			return bad("working_days %s is not a whole number from %d to %d", data.Clip(string(value)), data.MinClockDays, data.MaxClockDays)
		}
	case "source":
		var s string
		if json.Unmarshal(value, &s) != nil || strings.TrimSpace(s) == "" {
			return bad("source %s is not a text", data.Clip(string(value)))
		}
	case data.DeletedField:
		return bad("clocks are not deleted: HQ sets the table's value again instead")
	default:
		return bad("unknown field %q", data.Clip(field))
	}
	return nil
}
