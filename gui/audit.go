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

// auditView is the audit of what left the system: every report, export
// and backup made on this laptop or any it synced with, newest first, in
// a read-only dialog opened from the Reports screen. Entries are never
// edited or deleted, so it offers no action.
type auditView struct {
	app    *App
	loads  *reloader
	rows   [][]string // what the table shows, newest first
	table  *widget.Table
	status *widget.Label
}

// auditColumns are the table's headings and widths.
var auditColumns = []struct {
	title string
	width float32
}{{"When", 140}, {"Officer", 130}, {"Device", 72}, {"Output", 140}, {"Format", 68}, {"Marking", 240}, {"File", 320}}

// showAudit opens the audit in a dialog and loads it off the UI thread.
func (a *App) showAudit() *auditView {
	v := &auditView{app: a, loads: a.newReloader(), status: widget.NewLabel("Reading the audit…")}
	v.table = widget.NewTable(func() (int, int) { return len(v.rows) + 1, len(auditColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
				l.SetText(auditColumns[id.Col].title)
				return
			}
			l.TextStyle = fyne.TextStyle{}
			l.SetText(v.rows[id.Row-1][id.Col])
		})
	v.table.StickyRowCount = 1
	width := float32(0)
	for i, c := range auditColumns {
		v.table.SetColumnWidth(i, c.width)
		width += c.width
	}
	about := widget.NewLabel("Every report, export and backup, recorded as it was made and synced like any change. Entries are never changed or deleted.")
	about.Wrapping = fyne.TextWrapWord
	body := container.NewBorder(about, v.status, nil, nil, v.table)
	d := dialog.NewCustom("Audit of what left the system", "Close", container.NewGridWrap(fyne.NewSize(width+40, 460), body), a.win)
	d.Show()
	v.reload()
	return v
}

// reload reads the audit off the UI thread.
func (v *auditView) reload() {
	var entries []data.Audited
	var err error
	v.loads.load(func() {
		entries, err = v.app.store.Audit(context.Background(), data.AuditQuery{})
	}, func() {
		if err != nil {
			v.rows = nil
			v.status.SetText("Could not read the audit: " + plain(err))
			v.table.Refresh()
			return
		}
		v.rows = auditRows(entries)
		v.status.SetText(plural(len(entries), "output", "outputs") + " recorded.")
		v.table.Refresh()
	})
}

// auditRows are the table's rows, newest first.
func auditRows(entries []data.Audited) [][]string {
	rows := make([][]string, 0, len(entries))
	for _, e := range slices.Backward(entries) {
		output := e.What
		if e.Name != "" {
			output += ": " + e.Name
		}
		marking := e.Classification
		if len(e.Releasability) > 0 {
			marking += " REL TO " + strings.Join(e.Releasability, ", ")
		}
		rows = append(rows, []string{dayAndTime(e.At), e.Officer, e.Device, output, strings.ToUpper(e.Format), strings.TrimSpace(marking), e.File})
	}
	return rows
}
