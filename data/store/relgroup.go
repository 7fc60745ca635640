package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"liaisondesk/data"
)

var (
	relGroupsTable   = mustTable(data.KindRelGroup)
	nationFlagsTable = mustTable(data.KindNationFlag)
)

// hqSetNames are the reference data only HQ sets, as messages name them:
// only a store holding the organisation's key writes them, and a change to
// them from an author the roster does not certify as HQ staff is held for
// review.
var hqSetNames = map[*table]string{
	relGroupsTable:     "releasability groups",
	nationFlagsTable:   "nation flags",
	ndpCategoriesTable: "NDP-1 category names",
}

func hqSet(t *table) bool { _, ok := hqSetNames[t]; return ok }

// errNotHQ refuses a write of HQ-set reference data on a store that is not
// HQ's.
func errNotHQ(t *table) error {
	return data.InvalidBecause(data.ErrNoOrgKey, string(t.kind),
		"%s are set by HQ: this store does not hold the organisation's key", hqSetNames[t])
}

// checkHQWrite refuses a local write of HQ-set reference data unless this
// store holds the organisation's key (it is HQ's).
func (w *writer) checkHQWrite(t *table) error {
	if !hqSet(t) {
		return nil
	}
	_, key, err := loadOrg(w.ctx, w)
	if err != nil {
		return err
	}
	if key == nil {
		return errNotHQ(t)
	}
	return nil
}

// hqAuthorRule says why a commit's changes to HQ-set reference data are
// held ("" if they are not): their author must be certified by the
// organisation as HQ staff. A laptop's own store refuses such writes; a
// hostile or patched peer that makes them anyway has them held on every
// replica, like a relayed change that moves a classification level.
func hqAuthorRule(ctx context.Context, q querier, site data.SiteID, changes []*data.RawChange) (string, error) {
	var what []string
	for _, c := range changes {
		if t, ok := tableByName(c.Table); ok && hqSet(t) && !slices.Contains(what, hqSetNames[t]) {
			what = append(what, hqSetNames[t])
		}
	}
	if len(what) == 0 {
		return "", nil
	}
	entries, err := rosterEntries(ctx, q)
	if err != nil {
		return "", err
	}
	c, ok := data.RosterOf(entries).Certs[site]
	if ok && c.Role == data.RoleStaff {
		return "", nil
	}
	return fmt.Sprintf("it sets %s, which only HQ sets, and its author %s is not certified as HQ staff",
		strings.Join(what, " and "), site.ShortCode()), nil
}

// RelGroups lists the releasability groups: the built-in ones with those HQ
// set over them, by name.
func (s *Store) RelGroups(ctx context.Context) ([]data.RelGroup, error) {
	var stored []data.RelGroup
	err := s.List(ctx, data.KindRelGroup, data.ListFilter{}, func(r data.Record) error {
		stored = append(stored, *r.(*data.RelGroup))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("releasability groups: %w", err)
	}
	return data.MergeRelGroups(stored), nil
}

// NationFlags lists the nations HQ flagged.
func (s *Store) NationFlags(ctx context.Context) ([]data.NationFlag, error) {
	var out []data.NationFlag
	err := s.List(ctx, data.KindNationFlag, data.ListFilter{}, func(r data.Record) error {
		out = append(out, *r.(*data.NationFlag))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("nation flags: %w", err)
	}
	return out, nil
}

// SetRelGroup creates or changes a releasability group (HQ's store only).
func (s *Store) SetRelGroup(ctx context.Context, g data.RelGroup) error {
	return s.setHQRecord(ctx, &g)
}

// FlagNation flags a nation with a reason (HQ's store only).
func (s *Store) FlagNation(ctx context.Context, code, reason string) error {
	return s.setHQRecord(ctx, &data.NationFlag{ID: code, Reason: reason})
}

func (s *Store) setHQRecord(ctx context.Context, rec data.Record) error {
	op := func(err error) error {
		return data.Op("set", fmt.Sprintf("%s %s", rec.RecordKind(), data.Clip(rec.RecordID())), err)
	}
	t, err := tableForKind(rec.RecordKind())
	if err != nil {
		return op(err)
	}
	err = s.write(ctx, func(w *writer) error {
		if err := w.checkHQWrite(t); err != nil {
			return err
		}
		if err := rec.Validate(); err != nil {
			return err
		}
		ok, err := w.exists(nil, t, rec.RecordID())
		if err != nil {
			return err
		}
		if !ok {
			r, err := w.refs()
			if err != nil {
				return err
			}
			_, err = w.add(rec, r)
			return err
		}
		cur := t.info.New()
		if err := s.getInto(w.ctx, w, t, rec.RecordID(), cur); err != nil {
			return err
		}
		changed, err := diffFields(t, cur, rec)
		if err != nil {
			return err
		}
		return w.change(t, rec.RecordID(), changed)
	})
	if err != nil {
		return op(err)
	}
	return nil
}
