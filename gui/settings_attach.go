package gui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// attachLimitSection is the Settings control for the largest file this
// laptop attaches: a local setting, never synced, since every replica
// accepts synced content up to data.MaxAttachmentSize whatever it is.
type attachLimitSection struct {
	app    *App
	loads  *reloader
	size   *widget.Entry // megabytes
	status *widget.Label // the saved value, or what is wrong with the typed one
	save   *widget.Button
}

// buildAttachLimit is the Settings section "Attachments".
func (sc *settingsScreen) buildAttachLimit() fyne.CanvasObject {
	l := &attachLimitSection{app: sc.app, loads: sc.app.newReloader()}
	sc.attachLimit = l
	l.size = widget.NewEntry()
	l.size.SetPlaceHolder("100")
	l.size.Validator = func(s string) error {
		_, err := parseMegabytes(s)
		return err
	}
	l.status = widget.NewLabel("")
	l.status.Wrapping = fyne.TextWrapWord
	l.save = widget.NewButtonWithIcon("Save limit", theme.DocumentSaveIcon(), l.store)
	l.size.OnSubmitted = func(string) { l.store() }
	form := container.NewBorder(nil, nil, widget.NewLabel("Largest file"), container.NewHBox(widget.NewLabel("MB"), l.save), l.size)
	l.load()
	return settingsSection("Attachments", theme.FileIcon(),
		fmt.Sprintf("The largest file this laptop attaches. Files synced from others are accepted up to %s whatever this says.",
			data.FormatSize(data.MaxAttachmentSize)),
		container.NewVBox(form, l.status))
}

// load reads the limit off the UI thread.
func (l *attachLimitSection) load() {
	var n int64
	var err error
	l.loads.load(func() { n, err = l.app.store.AttachLimit(context.Background()) }, func() {
		if err != nil {
			l.status.Importance = widget.DangerImportance
			l.status.SetText("Could not read the limit: " + plain(err))
			return
		}
		l.size.SetText(strconv.FormatInt(n/(1<<20), 10))
		l.status.Importance = widget.MediumImportance
		l.status.SetText("Now " + data.FormatSize(n) + ".")
	})
}

// store saves the typed limit: one short write on a click. A bad value
// is named beside the field and changes nothing.
func (l *attachLimitSection) store() {
	mb, err := parseMegabytes(l.size.Text)
	if err == nil {
		err = l.app.store.SetAttachLimit(context.Background(), mb<<20)
	}
	if err != nil {
		l.status.Importance = widget.DangerImportance
		l.status.SetText(plain(err))
		return
	}
	l.status.Importance = widget.SuccessImportance
	l.status.SetText("Saved: files up to " + data.FormatSize(mb<<20) + " can be attached here.")
}

// parseMegabytes reads a whole number of megabytes within the hard limit.
func parseMegabytes(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	max := int64(data.MaxAttachmentSize >> 20)
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("give a whole number of megabytes from 1 to %d", max)
	}
	return n, nil
}
