package gui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// openedPrefix names the owner-only folders that hold copies of
// attachments opened in the system's viewer: removed when the window
// closes, and at the next start should the app have been killed.
const openedPrefix = "liaisondesk-opened-"

// thumbnailLimit is the largest image shown as a thumbnail (read whole).
const thumbnailLimit = 8 << 20

// attachmentsArea is the Attachments part of a saved exchange, request or
// action: the files attached, each with its size and marking, a thumbnail
// for images, Open, Save as… and Remove; Add… and a file dropped on the
// window attach more.
type attachmentsArea struct {
	f      *recordFrame
	box    *fyne.Container
	rows   *fyne.Container
	files  []data.Attachment
	thumbs map[string][]byte // small images' content by hash, read with the list
	id     string            // the record shown; "" for none
	// open is the system's viewer (a test replaces it).
	open func(path string) error
}

func newAttachmentsArea(f *recordFrame) *attachmentsArea {
	at := &attachmentsArea{f: f, open: openWithSystem(f.app.app.OpenURL)}
	heading := widget.NewLabelWithStyle("Attachments", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	add := widget.NewButtonWithIcon("Add…", theme.ContentAddIcon(), at.askFile)
	hint := widget.NewLabel("or drop files on the window")
	hint.Importance = widget.LowImportance
	at.rows = container.NewVBox()
	at.box = container.NewVBox(widget.NewSeparator(), container.NewHBox(heading, add, hint), at.rows)
	at.box.Hide()
	return at
}

// show lists a saved record's attachments, read off the UI thread; a
// record not yet saved has none and no area.
func (at *attachmentsArea) show(id string) {
	at.id, at.files = id, nil
	at.render()
	if id == "" {
		at.box.Hide()
		return
	}
	at.box.Show()
	at.f.app.dropTarget = at
	at.reload()
}

func (at *attachmentsArea) reload() {
	id := at.id
	var files []data.Attachment
	thumbs := map[string][]byte{}
	var err error
	at.f.app.async(func() {
		ctx := context.Background()
		if files, err = at.f.app.store.Attachments(ctx, at.f.kind, id); err != nil {
			return
		}
		for _, a := range files {
			if strings.HasPrefix(a.MediaType, "image/") && a.Size <= thumbnailLimit && thumbs[a.SHA256] == nil {
				var buf bytes.Buffer
				if at.f.app.store.WriteContent(ctx, a.SHA256, &buf) == nil {
					thumbs[a.SHA256] = buf.Bytes()
				}
			}
		}
	}, func() {
		if at.id != id {
			return // another record opened meanwhile
		}
		if err != nil {
			at.f.app.showProblem(err)
			return
		}
		at.files, at.thumbs = files, thumbs
		at.render()
		at.f.changed() // the banner takes the attachments' markings
	})
}

// markings are the attachments' markings, for the banner.
func (at *attachmentsArea) markings() []data.Marking {
	var ms []data.Marking
	for _, a := range at.files {
		ms = append(ms, data.Marking{Classification: a.Classification})
	}
	return ms
}

func (at *attachmentsArea) render() {
	at.rows.RemoveAll()
	if at.id != "" && len(at.files) == 0 {
		none := widget.NewLabel("No files attached.")
		none.Importance = widget.LowImportance
		at.rows.Add(none)
	}
	for _, a := range at.files {
		at.rows.Add(at.row(a))
	}
	at.rows.Refresh()
}

// row is one attachment: thumbnail or icon, name, size and marking, and
// what can be done with it.
func (at *attachmentsArea) row(a data.Attachment) fyne.CanvasObject {
	var icon fyne.CanvasObject = widget.NewIcon(theme.FileIcon())
	if b, ok := at.thumbs[a.SHA256]; ok {
		img := canvas.NewImageFromReader(bytes.NewReader(b), a.Name)
		if img != nil {
			img.FillMode = canvas.ImageFillContain
			img.SetMinSize(fyne.NewSize(48, 48))
			icon = img
		}
	}
	name := widget.NewLabel(a.Name)
	name.Truncation = fyne.TextTruncateEllipsis
	info := widget.NewLabel(fmt.Sprintf("%s · %s · %s", data.FormatSize(a.Size), a.Classification, a.SHA256[:data.MinHashPrefix]))
	info.Importance = widget.LowImportance
	open := widget.NewButtonWithIcon("Open", theme.FileIcon(), func() { at.openCopy(a) })
	save := widget.NewButtonWithIcon("Save as…", theme.DocumentSaveIcon(), func() { at.askSave(a) })
	remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { at.confirmRemove(a) })
	return container.NewBorder(nil, nil, icon, container.NewHBox(info, open, save, remove), name)
}

// askFile asks for a file to attach.
func (at *attachmentsArea) askFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			at.f.app.showProblem(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		at.add([]string{path})
	}, at.f.app.win)
	d.SetTitleText("Attach a file")
	d.Show() // Fyne 2.8.1: a file dialog resized before Show dereferences nil
	d.Resize(fyne.NewSize(860, 560))
}

// dropped attaches files dropped on the window, when this area is the
// one on screen.
func (at *attachmentsArea) dropped(uris []fyne.URI) {
	if at.id == "" || !at.box.Visible() || !at.f.onScreen() {
		return
	}
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	at.add(paths)
}

// add attaches files off the UI thread, marked like the record; the first
// refusal (a file over the limit, say) is shown and stops the rest.
func (at *attachmentsArea) add(paths []string) {
	id := at.id
	if id == "" || len(paths) == 0 {
		return
	}
	var err error
	at.f.app.async(func() {
		for _, p := range paths {
			if _, err = at.f.app.store.Attach(context.Background(), at.f.kind, id, p, store.AttachOptions{}); err != nil {
				return
			}
		}
	}, func() {
		if err != nil {
			at.f.app.showProblem(err)
		}
		if at.id == id {
			at.reload()
		}
	})
}

// askSave writes an attachment where the officer chooses.
func (at *attachmentsArea) askSave(a data.Attachment) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			at.f.app.showProblem(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		at.save(a, path, nil)
	}, at.f.app.win)
	d.SetTitleText("Save " + a.Name)
	d.SetFileName(a.Name)
	at.f.app.reportsFolder().startIn(d)
	d.Show()
	d.Resize(fyne.NewSize(860, 560))
}

// save writes an attachment's content to path off the UI thread (the
// store records it in the audit), then runs then with the path.
func (at *attachmentsArea) save(a data.Attachment, path string, then func(string)) {
	var err error
	at.f.app.async(func() {
		_, err = at.f.app.store.SaveAttachment(context.Background(), a.SHA256, path)
	}, func() {
		if err != nil {
			at.f.app.showProblem(err)
			return
		}
		if then != nil {
			then(path)
		}
	})
}

// openCopy opens an attachment in the system's viewer, through a copy in
// an owner-only folder removed when the window closes.
func (at *attachmentsArea) openCopy(a data.Attachment) {
	dir, err := os.MkdirTemp("", openedPrefix+"*") // mode 0700
	if err != nil {
		at.f.app.showProblem(err)
		return
	}
	at.save(a, filepath.Join(dir, a.Name), func(path string) {
		if err := at.open(path); err != nil {
			at.f.app.showProblem(err)
		}
	})
}

func (at *attachmentsArea) confirmRemove(a data.Attachment) {
	dialog.ShowConfirm("Remove attachment", "Remove "+a.Name+" from this record? The removal syncs like any change.", func(ok bool) {
		if !ok {
			return
		}
		id := at.id
		var err error
		at.f.app.async(func() {
			_, err = at.f.app.store.Detach(context.Background(), at.f.kind, id, a.ID) // names may repeat
		}, func() {
			if err != nil {
				at.f.app.showProblem(err)
			}
			if at.id == id {
				at.reload()
			}
		})
	}, at.f.app.win)
}

// removeOpenedCopies removes the copies of attachments opened in the
// system's viewer: at exit, and at start for any a killed app left.
func removeOpenedCopies() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), openedPrefix+"*"))
	for _, d := range dirs {
		os.RemoveAll(d)
	}
}

// partList names the parts of a split bundle still missing: "2, 3 and 5".
func partList(missing []int) string {
	s := make([]string, len(missing))
	for i, n := range missing {
		s[i] = fmt.Sprint(n)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
