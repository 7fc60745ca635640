package gui

import (
	"context"
	"encoding/hex"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// syncScreen shows this laptop's side of sync: who it is (the identity
// peers enrol), and how many changes it has written that no one else holds
// yet. Bundles and hub sync are not built; the screen says so plainly.
type syncScreen struct {
	app      *App
	officer  *widget.Label
	posting  *widget.Label
	device   *widget.Label
	site     *widget.Label
	key      *widget.Label
	authored *widget.Label
	ready    sync.WaitGroup // a refresh has reached the screen (tests wait on it)
}

func newSyncScreen(a *App) section { return &syncScreen{app: a} }

func (sc *syncScreen) build() fyne.CanvasObject {
	title := container.NewHBox(widget.NewIcon(theme.ViewRefreshIcon()),
		widget.NewLabelWithStyle("Sync", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	mono := func() *widget.Label {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Monospace: true}
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	sc.officer, sc.posting, sc.device = widget.NewLabel(""), widget.NewLabel(""), mono()
	sc.site, sc.key = mono(), mono()
	sc.authored = sectionHeading("")
	copyOf := func(l *widget.Label) *widget.Button {
		b := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { sc.app.app.Clipboard().SetContent(l.Text) })
		b.Importance = widget.LowImportance
		return b
	}
	row := func(name string, l *widget.Label, copyable bool) []fyne.CanvasObject {
		var v fyne.CanvasObject = l
		if copyable {
			v = container.NewBorder(nil, nil, nil, copyOf(l), l)
		}
		return []fyne.CanvasObject{widget.NewLabelWithStyle(name, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), v}
	}
	var cells []fyne.CanvasObject
	cells = append(cells, row("Officer", sc.officer, false)...)
	cells = append(cells, row("Posting", sc.posting, false)...)
	cells = append(cells, row("Device code", sc.device, false)...)
	cells = append(cells, row("Site id", sc.site, true)...)
	cells = append(cells, row("Public key", sc.key, true)...)
	identity := container.New(layout.NewFormLayout(), cells...)

	unsentNote := widget.NewLabel("Changes written on this laptop, each signed with its key. None has been sent " +
		"anywhere yet: they will travel in bundles or through a hub once sync is set up.")
	unsentNote.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel("Sync is not set up yet: bundles and hub sync arrive in a later version. " +
		"Then this screen will show what is unsent, when each peer or hub last acknowledged it, and whether " +
		"this laptop holds the same as the hub. To enrol this laptop, a peer will need the site id and public key above.")
	status.Wrapping = fyne.TextWrapWord

	panel := func(heading string, icon fyne.Resource, objs ...fyne.CanvasObject) fyne.CanvasObject {
		head := container.NewHBox(widget.NewIcon(icon), widget.NewLabelWithStyle(heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground),
			container.NewPadded(container.NewVBox(append([]fyne.CanvasObject{head, widget.NewSeparator()}, objs...)...))))
	}
	body := container.NewVBox(
		panel("Status", theme.InfoIcon(), status),
		panel("Unsent changes", theme.UploadIcon(), sc.authored, unsentNote),
		panel("This laptop", theme.ComputerIcon(), identity))
	return container.NewBorder(container.NewPadded(title), nil, nil, nil, container.NewVScroll(body))
}

func (sc *syncScreen) shown() { sc.refresh() }

// refresh reads the identity and the log off the UI thread.
func (sc *syncScreen) refresh() {
	sc.ready.Add(1)
	var dev *data.Device
	var devErr, err error
	var n int64
	sc.app.async(func() {
		dev, devErr = sc.app.store.Device()
		n, err = sc.app.store.AuthoredChanges(context.Background())
	}, func() {
		defer sc.ready.Done()
		if devErr != nil {
			sc.officer.SetText("This laptop has no identity yet: " + devErr.Error())
			return
		}
		sc.officer.SetText(dev.Officer + ", " + dev.Rank)
		sc.posting.SetText(dev.Posting)
		sc.device.SetText(dev.Site.ShortCode())
		sc.site.SetText(dev.Site.String())
		sc.key.SetText(hex.EncodeToString(dev.PublicKey()))
		if err != nil {
			sc.authored.SetText("Could not read the change log: " + err.Error())
			return
		}
		sc.authored.SetText(fmt.Sprintf("%s written here · not yet synced", plural(int(n), "change", "changes")))
	})
}
