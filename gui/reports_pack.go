package gui

// The Reports screen's handover pack: with "Include attached files"
// ticked, a handover is saved as a zip of its PDF and the files attached
// to the records it lists (report.WritePack), its name and README
// carrying the banner of the highest marking inside.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/widget"

	"liaisondesk/data/report"
)

func (r storeReports) CountPack(ctx context.Context, o report.Options) (report.Pack, error) {
	return report.CountPack(ctx, r.s, o)
}

func (r storeReports) WritePack(ctx context.Context, o report.Options, file string) (string, report.Pack, error) {
	return report.WritePack(ctx, r.s, o, file)
}

// addFilesChoice adds the check box, shown for the handover only.
func (sc *reportsScreen) addFilesChoice() {
	sc.files = widget.NewCheck("Include attached files", func(bool) {
		sc.lockFormat()
		sc.changed()
	})
	sc.form.add("files", "Attached files", sc.files,
		"a .zip of the PDF and the files attached to the records it lists, named with the highest marking inside")
	sc.form.show("files", false)
}

// showFilesChoice shows the check box when the kind is the handover.
func (sc *reportsScreen) showFilesChoice(k report.Kind) {
	sc.form.show("files", k.Name == "handover" && !k.Export)
	sc.lockFormat()
}

// packing says whether a handover pack is chosen.
func (sc *reportsScreen) packing() bool {
	k := sc.current()
	return sc.files != nil && sc.files.Checked && k.Name == "handover" && !k.Export
}

// lockFormat holds the format at PDF while a pack is chosen: the pack
// holds the handover as a PDF.
func (sc *reportsScreen) lockFormat() {
	if sc.packing() {
		sc.format.Selected = formatLabels[report.PDF]
		sc.format.Disable()
	} else {
		sc.format.Enable()
	}
	sc.format.Refresh()
}

// countPack counts a pack off the UI thread after a pause: the preview
// shows the zip's banner (the report's and every file's), the attached
// files as a row of the sections, and the zip's name.
func (sc *reportsScreen) countPack(ctx context.Context, cancel context.CancelFunc, o report.Options, f report.Format) {
	var p report.Pack
	var err error
	sc.counts.after(previewDelay, func() {
		defer cancel()
		p, err = sc.rep.CountPack(ctx, o)
	}, func() {
		sum := p.Report
		sum.Banner = p.Banner
		sc.showPreview(o, f, sum, err)
		if err != nil || !sc.preview.ok {
			return
		}
		sc.preview.pack = &p
		sc.preview.name = report.FileName(o, "zip", p.Banner)
		sc.fileName.SetText(sc.preview.name)
		left := ""
		if len(p.LeftOut) > 0 {
			left = thousands(len(p.LeftOut))
		}
		sc.sections.Add(countRow([]float32{5, 1.2, 1.4}, false, "Attached files ("+humanSize(p.Bytes)+")", thousands(len(p.Files)), left))
	})
}

// savePack writes the previewed pack off the UI thread, with Cancel. The
// zip goes where report.WritePack puts it (the name asked for, with the
// banner's level before .zip), and the empty file the save dialog made
// under the name asked for is removed, so no zip is left under a name
// that under-states it.
func (sc *reportsScreen) savePack(path string) {
	o := sc.preview.opts
	ctx, cancel := context.WithCancel(context.Background())
	sc.stopWrite = cancel
	sc.writing = true
	sc.save.Disable()
	sc.openFile.Hide()
	sc.showDir.Hide()
	sc.stop.Show()
	sc.status.Importance = widget.MediumImportance
	sc.status.SetText("Writing the handover pack with its attached files…")
	sc.result.Show()
	var written string
	var p report.Pack
	var err error
	sc.app.async(func() {
		defer cancel()
		written, p, err = sc.rep.WritePack(ctx, o, path)
	}, func() {
		sc.writing = false
		sc.stopWrite = nil
		sc.stop.Hide()
		if sc.preview.ok {
			sc.save.Enable()
		}
		if written != path {
			removeIfEmpty(path)
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				sc.status.Importance = widget.MediumImportance
				sc.status.SetText("Cancelled: no file was written.")
				return
			}
			_, text := explain(err)
			sc.status.Importance = widget.DangerImportance
			sc.status.SetText("Not saved: " + text + " No file was written.")
			return
		}
		sc.saved = written
		size := ""
		if fi, serr := os.Stat(written); serr == nil {
			size = " (" + humanSize(fi.Size()) + ")"
		}
		left := ""
		if len(p.LeftOut) > 0 {
			left = fmt.Sprintf("; %s not in it (see %s)", plural(len(p.LeftOut), "attached file", "attached files"), report.PackReadme)
		}
		sc.status.Importance = widget.MediumImportance
		sc.status.SetText(fmt.Sprintf("Saved %s%s in %s at %s: the handover and %s, marked %s%s.", filepath.Base(written), size,
			filepath.Dir(written), time.Now().Format("15:04"), plural(len(p.Files), "attached file", "attached files"), p.Banner, left))
		sc.openFile.Show()
		sc.showDir.Show()
	})
}
