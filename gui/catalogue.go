package gui

import (
	"context"
	"fmt"
	"sync"

	"liaisondesk/data"
)

// catalogue is the postings and classification levels that the pickers,
// filters, time zones and banners offer. It is read off the UI thread
// when the main window opens and again whenever they may have changed (a
// level added or recoloured in Settings; a sync or import, which can bring
// new ones), so screens read it instead of the store.
type catalogue struct {
	loads *reloader

	mu       sync.Mutex // the time zone of the officer's posting is read off the UI thread too
	postings []data.Posting
	levels   []data.Classification
	ndp      []data.NDPCategory // the NDP-1 category names HQ keeps (gui/exchange_ddl.go)

	changed []func() // after a reload, on the UI thread: pickers built earlier take the new lists
}

// Postings are the postings, by code. The slice is never changed in place.
func (c *catalogue) Postings() []data.Posting {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.postings
}

// Levels are the classification levels, lowest first. The slice is never
// changed in place.
func (c *catalogue) Levels() []data.Classification {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.levels
}

// postingCodes are the postings' codes, for a picker.
func (c *catalogue) postingCodes() []string {
	var codes []string
	for _, p := range c.Postings() {
		codes = append(codes, p.ID)
	}
	return codes
}

// levelIDs are the classification levels' names, for a picker.
func (c *catalogue) levelIDs() []string {
	var ids []string
	for _, l := range c.Levels() {
		ids = append(ids, l.ID)
	}
	return ids
}

// onChange registers fn to run after each later reload, on the UI thread.
func (c *catalogue) onChange(fn func()) { c.changed = append(c.changed, fn) }

// reloadCatalogue reads the postings and levels again off the UI thread,
// then runs then (if not nil) and everything registered with onChange. A
// failure is shown; the lists keep what they had.
func (a *App) reloadCatalogue(then func()) {
	c := a.catalogue
	var postings []data.Posting
	var levels []data.Classification
	var ndp []data.NDPCategory
	var err error
	c.loads.load(func() {
		ctx := context.Background()
		if postings, err = a.store.Postings(ctx); err == nil {
			levels, err = a.store.Classifications(ctx)
		}
		if err == nil {
			ndp, err = a.store.NDPCategories(ctx)
		}
	}, func() {
		if err == nil {
			c.mu.Lock()
			c.postings, c.levels, c.ndp = postings, levels, ndp
			c.mu.Unlock()
		}
		if then != nil {
			then()
		}
		if err != nil {
			a.showProblem(fmt.Errorf("reading the postings and classification levels: %w", err))
			return
		}
		for _, fn := range c.changed {
			fn()
		}
	})
}
