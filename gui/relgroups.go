package gui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// relGroupPicker sits beside a releasability entry: choosing a group (FVEY,
// CMF…) adds its nations to the entry. A group bringing in a nation HQ
// flagged asks first, so nothing flagged is saved unseen. Groups and flags
// are read off the UI thread when the picker is enabled (editing starts).
type relGroupPicker struct {
	app     *App
	entry   *widget.Entry
	sel     *widget.Select
	loads   *reloader
	groups  []data.RelGroup
	flags   []data.NationFlag
	pending *dialog.ConfirmDialog // the question about flagged nations, while open
	box     *fyne.Container
}

func newRelGroupPicker(a *App, entry *widget.Entry) *relGroupPicker {
	p := &relGroupPicker{app: a, entry: entry, loads: a.newReloader()}
	p.sel = widget.NewSelect(nil, p.picked)
	p.sel.PlaceHolder = "Add a group…"
	p.box = container.NewBorder(nil, nil, nil, p.sel, entry)
	p.reload()
	return p
}

// reload reads the groups and the flags.
func (p *relGroupPicker) reload() {
	var groups []data.RelGroup
	var flags []data.NationFlag
	var err error
	p.loads.load(func() {
		ctx := context.Background()
		if groups, err = p.app.store.RelGroups(ctx); err == nil {
			flags, err = p.app.store.NationFlags(ctx)
		}
	}, func() {
		if err != nil {
			return // the entry still takes nations by code
		}
		p.groups, p.flags = groups, flags
		names := make([]string, len(groups))
		for i, g := range groups {
			names[i] = g.ID
		}
		p.sel.Options = names
		p.sel.Refresh()
	})
}

func (p *relGroupPicker) Enable() {
	if p.sel.Disabled() { // editing starts: HQ may have changed the groups since
		p.reload()
	}
	p.sel.Enable()
}
func (p *relGroupPicker) Disable()       { p.sel.Disable() }
func (p *relGroupPicker) Disabled() bool { return p.sel.Disabled() }

// picked adds a chosen group's nations, asking first when HQ flagged one
// of them.
func (p *relGroupPicker) picked(name string) {
	if name == "" {
		return
	}
	defer p.sel.ClearSelected()
	i := slices.IndexFunc(p.groups, func(g data.RelGroup) bool { return g.ID == name })
	if i < 0 {
		return
	}
	g := p.groups[i]
	warning := data.FlaggedWarning(g, p.flags)
	if warning == "" {
		p.add(g)
		return
	}
	p.pending = dialog.NewConfirm("Flagged nations", strings.ToUpper(warning[:1])+warning[1:]+".\n\nMake the record releasable to the whole group?",
		func(ok bool) {
			p.pending = nil
			if ok {
				p.add(g)
			}
		}, p.app.win)
	p.pending.SetConfirmText("Release to " + g.ID)
	p.pending.Show()
}

// add merges a group's nations into the entry, each nation once.
func (p *relGroupPicker) add(g data.RelGroup) {
	have := upperAll(splitList(p.entry.Text))
	for _, n := range g.Nations {
		if !slices.Contains(have, n) {
			have = append(have, n)
		}
	}
	p.entry.SetText(strings.Join(have, ", "))
}
