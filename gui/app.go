// Package gui is Liaison Desk's window: one file per screen, assembled here.
package gui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/demo"
)

// Store is what the window needs from the store; *data.Store satisfies it.
type Store interface {
	Initialised() bool
	Init(ctx context.Context, o data.Officer) error
	Device() (*data.Device, error)
	Count(ctx context.Context) (data.Counts, error)
	List(ctx context.Context, kind string, f data.ListFilter, fn func(data.Record) error) error
	Path() string
}

// Options change how the window starts.
type Options struct {
	Demo bool // a throwaway store: skip setup and fill it with demo data
}

// App is the main window and the screens in it.
type App struct {
	app   fyne.App
	win   fyne.Window
	store Store
	opts  Options
	fill  func(ctx context.Context, progress func(done, total int)) error
}

// New builds the window over a store.
func New(a fyne.App, s *data.Store, o Options) *App {
	w := a.NewWindow("Liaison Desk")
	w.Resize(fyne.NewSize(1100, 720))
	w.SetMaster()
	ui := &App{app: a, win: w, store: s, opts: o}
	ui.fill = func(ctx context.Context, progress func(done, total int)) error {
		_, err := demo.Fill(ctx, s, demo.Options{Now: time.Now(), Seed: time.Now().UnixNano(), Progress: progress})
		return err
	}
	return ui
}

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// ShowAndRun shows the first screen and runs until the window closes.
func (a *App) ShowAndRun() {
	a.Start()
	a.win.ShowAndRun()
}

// Start puts the first screen in the window: setup on a new store, the
// dashboard otherwise.
func (a *App) Start() {
	switch {
	case a.store.Initialised():
		a.showMain()
	case a.opts.Demo:
		a.startDemo()
	default:
		a.win.SetContent(newSetupScreen(a.store, a.showMain).build())
	}
}

func (a *App) showMain() {
	a.win.SetContent(newDashboard(a.store).build())
}

// startDemo initialises a throwaway store and fills it in the background,
// showing progress, then the dashboard.
func (a *App) startDemo() {
	ctx := context.Background()
	if err := a.store.Init(ctx, data.Officer{Name: "Col. R. K. Mehta", Rank: "Colonel", Posting: "CMF"}); err != nil {
		dialog.ShowError(err, a.win)
		return
	}
	bar := widget.NewProgressBar()
	label := widget.NewLabel("Filling the demo store with a month of an officer's work…")
	a.win.SetContent(container.NewCenter(container.NewVBox(label, bar)))
	go func() {
		err := a.fill(ctx, func(done, total int) {
			fyne.Do(func() { bar.SetValue(float64(done) / float64(max(total, 1))) })
		})
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("demo data: %w", err), a.win)
			}
			a.showMain()
		})
	}()
}
