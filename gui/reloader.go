package gui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// runner runs work off the UI thread, then ui on it (App.async).
type runner func(work, ui func())

// reloader is how a screen reads the store again without freezing the
// window: each load runs off the UI thread and its result is applied on
// it only if no later load started meanwhile, so a slow answer to an old
// question never overwrites a newer one. It may also wait for a pause
// (typing) before loading. The zero value is not usable: make one with
// App.newReloader.
type reloader struct {
	run   runner
	pause bool // false in synchronous mode: a test has no keystrokes to wait out

	mu    sync.Mutex // guards gen and timer: a debounced load starts from a timer's goroutine
	gen   int
	timer *time.Timer
}

// newReloader is a reloader running its loads the way the window runs
// background work.
func (a *App) newReloader() *reloader {
	return &reloader{run: a.async, pause: !a.opts.Synchronous}
}

// load starts a load: work off the UI thread, then apply on it if this is
// still the latest load. It supersedes any earlier load or pending pause.
func (r *reloader) load(work, apply func()) {
	r.start(r.next(), work, apply)
}

// after starts a load once d has passed without another load or after:
// typing a word loads once, not per keystroke. Call it on the UI thread.
func (r *reloader) after(d time.Duration, work, apply func()) {
	gen := r.next()
	if !r.pause {
		r.start(gen, work, apply)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timer = time.AfterFunc(d, func() {
		fyne.Do(func() {
			if r.latest(gen) {
				r.start(gen, work, apply)
			}
		})
	})
}

// stop drops any load still running or waiting: its result is not applied.
func (r *reloader) stop() { r.next() }

// latest reports whether gen is still the newest load.
func (r *reloader) latest(gen int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return gen == r.gen
}

// next starts a new generation, stopping a pending pause.
func (r *reloader) next() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.gen++
	return r.gen
}

func (r *reloader) start(gen int, work, apply func()) {
	r.run(work, func() {
		if r.latest(gen) {
			apply()
		}
	})
}

// follow runs a further step of the latest load (a count after the first
// page): work off the UI thread, then apply if no new load started since.
// Call it from that load's apply.
func (r *reloader) follow(work, apply func()) {
	r.mu.Lock()
	gen := r.gen
	r.mu.Unlock()
	r.start(gen, work, apply)
}
