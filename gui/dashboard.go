package gui

import (
	"context"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// dashboard is the home screen: who this device is, how much is in the
// store, and the latest exchanges.
type dashboard struct {
	store Store

	identity *widget.Label
	counts   *widget.Label
	recent   *widget.List
	items    []*data.Exchange
	loaded   sync.WaitGroup // done when a refresh has reached the screen
}

func newDashboard(s Store) *dashboard { return &dashboard{store: s} }

func (d *dashboard) build() fyne.CanvasObject {
	d.identity = widget.NewLabel("")
	d.counts = widget.NewLabel("")
	d.recent = widget.NewList(
		func() int { return len(d.items) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := d.items[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s   %-9s  %-18s  %s", e.OccurredAt[:10], e.Posting, e.Kind, e.Title))
		})
	d.refresh()
	header := container.NewHBox(widget.NewIcon(theme.HomeIcon()),
		widget.NewLabelWithStyle("Dashboard", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	top := container.NewVBox(header, d.identity, d.counts, widget.NewSeparator(),
		widget.NewLabelWithStyle("Latest exchanges", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	return container.NewBorder(top, nil, nil, nil, d.recent)
}

// refresh reads the store off the UI thread and fills the screen.
func (d *dashboard) refresh() {
	d.loaded.Add(1)
	go func() {
		ctx := context.Background()
		dev, _ := d.store.Device()
		counts, err := d.store.Count(ctx)
		var items []*data.Exchange
		if err == nil {
			err = d.store.List(ctx, "exchange", data.ListFilter{Limit: 20}, func(r data.Record) error {
				items = append(items, r.(*data.Exchange))
				return nil
			})
		}
		fyne.Do(func() {
			defer d.loaded.Done()
			if dev != nil {
				d.identity.SetText(fmt.Sprintf("%s %s · %s · device %s · store %s", dev.Rank, dev.Officer, dev.Posting, dev.Site.ShortCode(), d.store.Path()))
			}
			if err != nil {
				d.counts.SetText("Could not read the store: " + err.Error())
				return
			}
			d.counts.SetText(fmt.Sprintf("%d exchanges · %d requests · %d actions · %d contacts · %d changes in the log",
				counts["exchanges"], counts["requests"], counts["actions"], counts["contacts"], counts["changes"]))
			d.items = items
			d.recent.Refresh()
		})
	}()
}
