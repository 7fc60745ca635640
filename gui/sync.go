package gui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/replication"
)

// Preferences the Sync screen remembers.
const (
	hubURLPreference     = "hubURL"     // the hub last synced with
	hubCAPreference      = "hubCA"      // a certificate (PEM) to trust for it, when self-signed
	syncFolderPreference = "syncFolder" // where bundles and receipts were last saved or opened
)

// File name extensions of what sync writes.
const (
	bundleExt  = ".ldbundle"
	receiptExt = ".ldreceipt"
)

// syncScreen is this laptop's side of sync (docs/ARCHITECTURE.md §4): who it is (the
// identity line peers enrol), what it has not sent, whether it holds the
// same as the hub, the peers it trusts and what each last acknowledged,
// bundles out and in, receipts, the hub, and what is held for review.
// Every store read and every transfer runs off the UI thread.
type syncScreen struct {
	app *App

	failed *widget.Label // the screen could not be read

	// This laptop.
	who        *widget.Label
	identity   *widget.Label // the one-line identity
	copyID     *widget.Button
	unsent     *widget.Label
	clock      *widget.Label // a warning when this laptop stamps ahead of its clock
	digest     *widget.Label
	digestFull string
	copyDigest *widget.Button

	// Send and receive.
	createBtn, importBtn, receiptBtn *widget.Button
	hubURL                           *widget.Entry
	hubCA                            *widget.Label
	hubBtn                           *widget.Button
	cancelBtn                        *widget.Button
	bar                              *widget.ProgressBarInfinite
	fraction                         *widget.ProgressBar
	status                           *widget.Label // what is running, or what the last transfer did
	cancel                           context.CancelFunc

	// Peers.
	peers      []data.PeerStatus
	peerBox    *fyne.Container
	peerHead   *fyne.Container     // the column titles, hidden while there are no peers
	peerRows   map[string]*peerRow // by name
	peersEmpty *widget.Label
	addPeerBtn *widget.Button
	addPeer    *addPeerDialog // the open Add peer dialog

	// Held for review.
	held      []data.QuarantineEntry
	heldBox   *fyne.Container
	heldHead  *fyne.Container
	heldRows  map[string]*heldRow // by author site id (a second entry of one author: "id#n")
	heldEmpty *widget.Label

	// Dialogs the tests drive.
	recipients     *widget.CheckGroup // Create bundle: who it is for
	recipientNames map[string]string  // check label → peer name
	recipientsNext *widget.Button
	asked          *message // the last question, summary or problem shown
	lastBundle     string   // the bundle last imported, which a receipt answers

	loads *reloader
}

// peerRow is one peer in the table.
type peerRow struct {
	name, device, officer, acked, sent, unsent, state *widget.Label
	revoke                                            *widget.Button
}

// heldRow is one author in the quarantine table.
type heldRow struct {
	officer, device, reason, changes, sender, received *widget.Label
	detail                                             *widget.Label // why, in full, when a word is not enough
	release, discard                                   *widget.Button
}

// heldReason is the word for why changes are held, and the full reason
// when the word is not enough (a broken rule, a forgery, two versions).
func heldReason(e data.QuarantineEntry) (word, detail string) {
	switch e.Reason {
	case "unknown":
		word = "not enrolled"
	case "revoked":
		word = "revoked"
	case "invalid":
		word, detail = "breaks a rule", "Why held: "+e.Detail+"."
	case "waits":
		word, detail = "waits", "Why held: "+e.Detail+"."
	case "forged":
		word, detail = "forged", "Why held: "+e.Detail+"."
	default:
		word = e.Reason
	}
	if e.Claimed && e.Officer != "" {
		detail = strings.TrimSpace(detail + " The name " + e.Officer + " is claimed by the relaying peer, " + e.Sender +
			": no enrolment here vouches for it.")
	}
	if e.Conflict {
		word += ", two versions"
		detail = strings.TrimSpace(detail + " Another version of these changes is held or applied: a conflict of histories. " +
			"Enrol the author's device to tell which is genuine.")
	}
	return word, detail
}

func newSyncScreen(a *App) *syncScreen {
	return &syncScreen{app: a, peerRows: map[string]*peerRow{}, heldRows: map[string]*heldRow{}, loads: a.newReloader()}
}

func (sc *syncScreen) build() fyne.CanvasObject {
	title := container.NewHBox(widget.NewIcon(theme.ViewRefreshIcon()),
		widget.NewLabelWithStyle("Sync", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	sc.failed = widget.NewLabel("")
	sc.failed.Importance = widget.DangerImportance
	sc.failed.Wrapping = fyne.TextWrapWord
	sc.failed.Hide()
	top := container.NewGridWithColumns(2, sc.buildLaptop(), sc.buildTransfer())
	body := container.NewVBox(sc.failed, top, sc.buildPeers(), sc.buildHeld())
	return container.NewBorder(container.NewPadded(title), nil, nil, nil, container.NewVScroll(body))
}

func (sc *syncScreen) shown() { sc.refresh() }

// ---- this laptop ----

func (sc *syncScreen) buildLaptop() fyne.CanvasObject {
	sc.who = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sc.who.Truncation = fyne.TextTruncateEllipsis
	sc.identity = widget.NewLabel("")
	sc.identity.TextStyle = fyne.TextStyle{Monospace: true}
	sc.identity.Wrapping = fyne.TextWrapBreak
	sc.identity.SizeName = theme.SizeNameCaptionText
	sc.copyID = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		sc.app.app.Clipboard().SetContent(sc.identity.Text)
	})
	sc.unsent = widget.NewLabel("")
	sc.unsent.Wrapping = fyne.TextWrapWord
	sc.clock = widget.NewLabel("")
	sc.clock.Wrapping = fyne.TextWrapWord
	sc.clock.Importance = widget.WarningImportance
	sc.clock.Hide()
	sc.digest = widget.NewLabel("")
	sc.digest.TextStyle = fyne.TextStyle{Monospace: true}
	sc.copyDigest = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		sc.app.app.Clipboard().SetContent(sc.digestFull)
	})
	sc.copyDigest.Importance = widget.LowImportance
	idHead := container.NewBorder(nil, nil, nil, sc.copyID, caption("Identity line: a peer or hub enrols this laptop with it"))
	digestNote := caption("Same as the hub when its digest ('liaisondesk digest' there) is equal: same records, same conflicts")
	return syncPanel("This laptop", theme.ComputerIcon(), container.NewVBox(
		sc.who, idHead, sc.identity, widget.NewSeparator(),
		container.NewHBox(widget.NewIcon(theme.UploadIcon()), sc.unsent),
		sc.clock,
		container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), widget.NewLabel("Digest"), sc.digest, sc.copyDigest),
		digestNote))
}

// ---- send and receive ----

func (sc *syncScreen) buildTransfer() fyne.CanvasObject {
	sc.createBtn = widget.NewButtonWithIcon("Create bundle…", theme.DocumentSaveIcon(), sc.askRecipients)
	sc.createBtn.Importance = widget.HighImportance
	sc.importBtn = widget.NewButtonWithIcon("Import bundle…", theme.DownloadIcon(), func() {
		sc.openFile("Import a bundle", sc.importBundle)
	})
	sc.receiptBtn = widget.NewButtonWithIcon("Import receipt…", theme.MailReplyIcon(), func() {
		sc.openFile("Import a receipt", sc.importReceipt)
	})
	sc.hubURL = widget.NewEntry()
	sc.hubURL.SetPlaceHolder("https://hub.example.mil:8443")
	sc.hubURL.SetText(sc.app.app.Preferences().String(hubURLPreference))
	sc.hubURL.OnSubmitted = func(string) { sc.syncHub(sc.hubURL.Text) }
	sc.hubBtn = widget.NewButtonWithIcon("Sync with hub", theme.ViewRefreshIcon(), func() { sc.syncHub(sc.hubURL.Text) })
	sc.hubBtn.Importance = widget.HighImportance
	sc.cancelBtn = widget.NewButtonWithIcon("Stop", theme.CancelIcon(), func() {
		if sc.cancel != nil {
			sc.cancel()
		}
	})
	sc.cancelBtn.Hide()
	sc.bar = widget.NewProgressBarInfinite()
	sc.bar.Stop()
	sc.bar.Hide()
	sc.fraction = widget.NewProgressBar()
	sc.fraction.Hide()
	sc.status = widget.NewLabel("")
	sc.status.Wrapping = fyne.TextWrapWord
	bundles := caption("By file, for a USB stick across an air gap: a bundle carries every change the chosen peers " +
		"may lack, signed and encrypted to them; the receipt they send back shrinks the next one.")
	hub := caption("Over the network: sends what the hub lacks and brings back what this laptop lacks.")
	sc.hubCA = caption("")
	sc.showHubCA()
	caBtn := widget.NewButtonWithIcon("Hub certificate…", theme.FileIcon(), func() {
		sc.openFile("The hub's certificate (PEM), if it is self-signed", func(path string) {
			if _, err := replication.HubClient(path); err != nil {
				sc.asked = sc.app.showProblem(err)
				return
			}
			sc.app.app.Preferences().SetString(hubCAPreference, path)
			sc.showHubCA()
		})
	})
	caBtn.Importance = widget.LowImportance
	forget := widget.NewButton("Use the system's", func() {
		sc.app.app.Preferences().SetString(hubCAPreference, "")
		sc.showHubCA()
	})
	forget.Importance = widget.LowImportance
	return syncPanel("Send and receive", theme.MailSendIcon(), container.NewVBox(
		bundles, container.NewGridWithColumns(3, sc.createBtn, sc.importBtn, sc.receiptBtn),
		widget.NewSeparator(),
		hub, container.NewBorder(nil, nil, widget.NewLabel("Hub"), sc.hubBtn, sc.hubURL),
		container.NewBorder(nil, nil, nil, container.NewHBox(caBtn, forget), sc.hubCA),
		container.NewBorder(nil, nil, nil, sc.cancelBtn, container.NewStack(sc.bar, sc.fraction)), sc.status))
}

// ---- peers ----

// peerWeights are the widths of the peers table's columns.
var peerWeights = []float32{1.3, 0.75, 1.9, 1.35, 1.35, 0.85, 1.3, 1.1}

func (sc *syncScreen) buildPeers() fyne.CanvasObject {
	sc.addPeerBtn = widget.NewButtonWithIcon("Add peer…", theme.ContentAddIcon(), sc.showAddPeer)
	sc.peerBox = container.NewVBox()
	sc.peersEmpty = emptyNote("No peers yet. Add the laptops and hubs this one exchanges with, from the identity " +
		"line each shows on its Sync screen (or prints with 'liaisondesk identity').")
	sc.peerHead = container.NewVBox(tableHeader(peerWeights, "Name", "Device", "Officer", "Acknowledged", "Last sent", "Unsent", "State", ""),
		widget.NewSeparator())
	return syncPanelWithAction("Peers", theme.AccountIcon(), sc.addPeerBtn,
		container.NewVBox(sc.peerHead, sc.peerBox, sc.peersEmpty))
}

// showPeers fills the peers table.
func (sc *syncScreen) showPeers() {
	sc.peerRows = map[string]*peerRow{}
	var rows []fyne.CanvasObject
	for _, p := range sc.peers {
		r := &peerRow{name: cell(p.Name), device: cell(p.Identity.Site.ShortCode()), officer: cell(p.Identity.Officer),
			acked: cell(whenOrNever(p.AckedAt)), sent: cell(whenOrNever(p.SentAt)), unsent: cell(thousands(int(p.Unsent))),
			state: cell("trusted")}
		r.name.TextStyle = fyne.TextStyle{Bold: true}
		name := p.Name
		r.revoke = widget.NewButtonWithIcon("Revoke", theme.CancelIcon(), func() { sc.confirmRevoke(name) })
		r.revoke.Importance = widget.LowImportance
		if p.RevokedAt != "" {
			r.state.SetText("revoked " + shortDate(p.RevokedAt[:min(10, len(p.RevokedAt))]))
			r.state.Importance = widget.DangerImportance
			r.revoke.Hide()
			r.unsent.SetText("–")
		}
		if p.Unsent > 0 && p.RevokedAt == "" {
			r.unsent.Importance = widget.WarningImportance
		}
		sc.peerRows[p.Name] = r
		rows = append(rows, container.New(&columnsLayout{weights: peerWeights},
			r.name, r.device, r.officer, r.acked, r.sent, r.unsent, r.state, container.NewHBox(r.revoke)))
	}
	sc.peerBox.Objects = rows
	sc.peerBox.Refresh()
	if len(rows) == 0 {
		sc.peersEmpty.Show()
		sc.peerHead.Hide()
	} else {
		sc.peersEmpty.Hide()
		sc.peerHead.Show()
	}
}

func (sc *syncScreen) confirmRevoke(name string) {
	sc.asked = sc.app.confirm("Revoke "+name+"?",
		"Bundles and hub replies from "+name+" will be refused from now on, and changes it wrote that other peers "+
			"relay will be held for review. What it sent before stays. To trust it again, add it again.",
		"Revoke", func() { sc.revoke(name) })
}

// revoke stops trusting a peer.
func (sc *syncScreen) revoke(name string) {
	sc.change(func(ctx context.Context) (string, error) {
		return "Revoked " + name + ".", sc.app.store.RevokePeer(ctx, name)
	}, false)
}

// addPeerDialog asks for a peer's name and identity line, and says what is
// wrong next to the field; nothing is saved until both are right.
type addPeerDialog struct {
	dialog  *dialog.CustomDialog
	form    *fieldForm
	name    *widget.Entry
	line    *widget.Entry
	preview *widget.Label // whose identity the pasted line is
	add     *widget.Button
	cancel  *widget.Button
	closed  bool
}

func (sc *syncScreen) showAddPeer() {
	d := &addPeerDialog{name: widget.NewEntry(), line: widget.NewMultiLineEntry(), form: newFieldForm(), preview: widget.NewLabel("")}
	d.name.SetPlaceHolder("e.g. bahrain-2 or hub")
	d.line.SetPlaceHolder("liaisondesk-identity-v1 …")
	d.line.Wrapping = fyne.TextWrapBreak
	d.line.SetMinRowsVisible(4)
	d.preview.Wrapping = fyne.TextWrapWord
	d.form.add("name", "Name", d.name, "Letters, digits, dot, dash or underscore; up to 40")
	d.form.add("identity", "Identity line", d.line, "Paste the line from the peer's Sync screen or 'liaisondesk identity'")
	d.line.OnChanged = func(string) { sc.previewPeer(d) }
	d.name.OnChanged = func(string) { d.form.setError(nil); sc.previewPeer(d) }
	d.add = widget.NewButtonWithIcon("Add peer", theme.ContentAddIcon(), func() { sc.savePeer(d) })
	d.add.Importance = widget.HighImportance
	d.cancel = widget.NewButton("Cancel", func() { d.dialog.Hide() })
	intro := widget.NewLabel("Trust a laptop or hub: its bundles and replies will be accepted, and bundles made here can be opened by it. " +
		"Check the device code and officer with its owner before adding it.")
	intro.Wrapping = fyne.TextWrapWord
	d.dialog = dialog.NewCustomWithoutButtons("Add a peer",
		newWidthBox(600, container.NewVBox(intro, d.form.build(), d.preview)), sc.app.win)
	d.dialog.SetButtons([]fyne.CanvasObject{d.cancel, d.add})
	d.dialog.SetOnClosed(func() { d.closed = true })
	sc.addPeer = d
	d.dialog.Show()
	sc.app.win.Canvas().Focus(d.name)
}

// previewPeer reads the pasted line as it changes and says whose it is.
func (sc *syncScreen) previewPeer(d *addPeerDialog) {
	line := strings.TrimSpace(d.line.Text)
	d.preview.SetText("")
	if line == "" {
		d.form.setError(nil)
		return
	}
	id, err := data.ParseIdentity(line)
	if err != nil {
		d.form.setError(err)
		return
	}
	d.form.setError(nil)
	d.preview.SetText(fmt.Sprintf("This is device %s, %s (site %s).", id.Site.ShortCode(), id.Officer, id.Site))
}

// savePeer adds the peer, or names the problem next to its field and
// keeps the dialog open.
func (sc *syncScreen) savePeer(d *addPeerDialog) {
	name := strings.TrimSpace(d.name.Text)
	_, err := sc.app.store.AddPeer(context.Background(), name, strings.TrimSpace(d.line.Text))
	if err != nil {
		d.form.setError(err)
		if data.FieldOf(err) == "" { // not about a field: say it above the form
			_, text := explain(err)
			d.form.setError(errors.New(text))
		}
		return
	}
	d.dialog.Hide()
	sc.status.SetText("Added peer " + name + ".")
	sc.refresh()
	sc.app.storeChanged() // badges: edits are now "unsent" to someone
}

// ---- held for review ----

var heldWeights = []float32{1.5, 0.6, 1.0, 1.75, 1.0, 1.2, 2.1}

func (sc *syncScreen) buildHeld() fyne.CanvasObject {
	sc.heldBox = container.NewVBox()
	sc.heldEmpty = emptyNote("Nothing is held for review.")
	intro := caption("Changes a trusted peer passed on that were written on a device this laptop does not trust " +
		"(never enrolled, or revoked), that break a rule the forms keep, that wait behind such changes, or that are forged. " +
		"They are kept here, not applied, until you release or discard them.")
	sc.heldHead = container.NewVBox(tableHeader(heldWeights, "Written by", "Device", "Why held", "Changes", "Relayed by", "Received", ""),
		widget.NewSeparator())
	return syncPanel("Held for review", theme.WarningIcon(),
		container.NewVBox(intro, sc.heldHead, sc.heldBox, sc.heldEmpty))
}

func (sc *syncScreen) showHeld() {
	sc.heldRows = map[string]*heldRow{}
	var rows []fyne.CanvasObject
	for i, e := range sc.held {
		officer := e.Officer
		if officer == "" {
			officer = "unknown officer"
		}
		if e.Claimed {
			officer += " (claimed)"
		}
		reason, detail := heldReason(e)
		r := &heldRow{officer: cell(officer), device: cell(e.Device), reason: cell(reason),
			changes: cell(fmt.Sprintf("%s, %s", plural(e.Changes, "change", "changes"), plural(e.Records, "record", "records"))),
			sender:  cell(e.Sender), received: cell(whenOrNever(e.ReceivedAt))}
		r.reason.Importance = widget.WarningImportance
		entry := e
		r.release = widget.NewButtonWithIcon("Release", theme.ConfirmIcon(), func() { sc.confirmRelease(entry) })
		r.discard = widget.NewButtonWithIcon("Discard", theme.DeleteIcon(), func() { sc.confirmDiscard(entry) })
		r.discard.Importance = widget.LowImportance
		// One author may have several entries (two versions of its
		// changes, or a broken rule and the commits waiting behind it).
		key := e.Author
		if _, taken := sc.heldRows[key]; taken {
			key = fmt.Sprintf("%s#%d", e.Author, i)
		}
		sc.heldRows[key] = r
		row := container.New(&columnsLayout{weights: heldWeights},
			r.officer, r.device, r.reason, r.changes, r.sender, r.received, container.NewHBox(r.release, r.discard))
		if detail != "" {
			r.detail = caption(detail)
			rows = append(rows, container.NewVBox(row, r.detail))
			continue
		}
		rows = append(rows, row)
	}
	sc.heldBox.Objects = rows
	sc.heldBox.Refresh()
	if len(rows) == 0 {
		sc.heldEmpty.Show()
		sc.heldHead.Hide()
	} else {
		sc.heldEmpty.Hide()
		sc.heldHead.Show()
	}
}

func (sc *syncScreen) confirmRelease(e data.QuarantineEntry) {
	who := strings.TrimSpace(e.Officer + " on device " + e.Device)
	sc.asked = sc.app.confirm("Apply what "+e.Device+" wrote?",
		fmt.Sprintf("%s touching %s, written by %s and relayed by %s, will be applied as if that device were trusted. "+
			"Their signatures are checked first.", plural(e.Changes, "change", "changes"), plural(e.Records, "record", "records"), who, e.Sender),
		"Release", func() { sc.release(e.Author) })
	sc.asked.ok.Importance = widget.HighImportance
}

func (sc *syncScreen) release(author string) {
	sc.change(func(ctx context.Context) (string, error) {
		res, err := sc.app.store.ReleaseQuarantine(ctx, author)
		if err != nil {
			return "", err
		}
		return "Released: " + importSummary(res), nil
	}, true)
}

func (sc *syncScreen) confirmDiscard(e data.QuarantineEntry) {
	sc.asked = sc.app.confirm("Discard what "+e.Device+" wrote?",
		fmt.Sprintf("%s written by %s on device %s will be dropped from this laptop. A peer may bring them again.",
			plural(e.Changes, "change", "changes"), e.Officer, e.Device),
		"Discard", func() { sc.discard(e.Author) })
}

func (sc *syncScreen) discard(author string) {
	sc.change(func(ctx context.Context) (string, error) {
		n, err := sc.app.store.DiscardQuarantine(ctx, author)
		return "Discarded " + plural(n, "change", "changes") + " held for review.", err
	}, false)
}

// change runs a quick change to the store off the UI thread, then says
// what it did (or what went wrong) and reads the screen again.
func (sc *syncScreen) change(work func(ctx context.Context) (string, error), records bool) {
	var msg string
	var err error
	sc.app.async(func() {
		msg, err = work(context.Background())
	}, func() {
		if err != nil {
			sc.asked = sc.app.showProblem(err)
			sc.status.SetText(sc.asked.title + ": " + sc.asked.text.Text)
		} else {
			sc.status.SetText(msg)
		}
		sc.refresh()
		if records {
			sc.app.storeChanged()
		}
	})
}

// ---- transfers ----

// busy disables the transfer buttons while one runs, with activity shown.
// progress shows how far long work is, from the goroutine doing it: the
// bar turns from "working" to a fraction.
func (sc *syncScreen) progress(done, total int) {
	if total <= 0 {
		return
	}
	fyne.Do(func() {
		sc.bar.Hide()
		sc.fraction.Show()
		sc.fraction.SetValue(float64(done) / float64(total))
	})
}

func (sc *syncScreen) busy(what string, cancellable bool) {
	for _, b := range []*widget.Button{sc.createBtn, sc.importBtn, sc.receiptBtn, sc.hubBtn} {
		b.Disable()
	}
	sc.bar.Show()
	sc.bar.Start()
	if cancellable {
		sc.cancelBtn.Show()
	}
	sc.status.SetText(what)
}

func (sc *syncScreen) idle() {
	for _, b := range []*widget.Button{sc.createBtn, sc.importBtn, sc.receiptBtn, sc.hubBtn} {
		b.Enable()
	}
	sc.bar.Stop()
	sc.bar.Hide()
	sc.fraction.Hide()
	sc.fraction.SetValue(0)
	sc.cancelBtn.Hide()
	sc.cancel = nil
}

// transfer runs slow sync work off the UI thread with activity shown,
// then shows its summary (or the problem), reads the screen again and,
// when records may have changed, the lists too.
func (sc *syncScreen) transfer(what string, cancellable, records bool, work func(ctx context.Context) error, done func(err error)) {
	ctx, cancel := context.WithCancel(context.Background())
	sc.cancel = cancel
	sc.busy(what, cancellable)
	var err error
	sc.app.async(func() {
		defer cancel()
		err = work(ctx)
	}, func() {
		sc.idle()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				sc.status.SetText("Stopped: nothing was changed.")
			} else {
				sc.asked = sc.app.showProblem(err)
				sc.status.SetText(sc.asked.title + ": " + sc.asked.text.Text)
			}
		}
		done(err)
		sc.refresh()
		if records && err == nil {
			sc.app.storeChanged()
		}
	})
}

// askRecipients asks whom a new bundle is for, then where to save it.
func (sc *syncScreen) askRecipients() {
	var names, labels []string
	sc.recipientNames = map[string]string{}
	for _, p := range sc.peers {
		if p.RevokedAt != "" {
			continue
		}
		label := fmt.Sprintf("%s — %s, device %s (%s unsent)", p.Name, p.Identity.Officer, p.Identity.Site.ShortCode(), thousands(int(p.Unsent)))
		sc.recipientNames[label] = p.Name
		labels = append(labels, label)
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		sc.asked = sc.app.showMessage("No one to send to", "A bundle is encrypted to the peers it is for, and this laptop "+
			"trusts none yet. Add a peer first, with the identity line from its Sync screen.", "Add peer…", widget.HighImportance, "Close", sc.showAddPeer)
		return
	}
	sc.recipientsNext = widget.NewButtonWithIcon("Choose where to save…", theme.DocumentSaveIcon(), nil)
	sc.recipientsNext.Importance = widget.HighImportance
	sc.recipients = widget.NewCheckGroup(labels, func(sel []string) {
		if len(sel) == 0 {
			sc.recipientsNext.Disable()
		} else {
			sc.recipientsNext.Enable()
		}
	})
	if len(labels) == 1 {
		sc.recipients.SetSelected(labels)
	} else {
		sc.recipientsNext.Disable()
	}
	intro := widget.NewLabel("The bundle carries every change these peers may lack, from what each last acknowledged, " +
		"and only they can open it.")
	intro.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	sc.recipientsNext.OnTapped = func() {
		d.Hide()
		var chosen []string
		for _, l := range sc.recipients.Selected {
			chosen = append(chosen, sc.recipientNames[l])
		}
		sc.saveFile("Save the bundle", bundleName(time.Now(), chosen), bundleExt, func(path string) { sc.createBundle(chosen, path) })
	}
	d = dialog.NewCustomWithoutButtons("Create a bundle for…", newWidthBox(560, container.NewVBox(intro, sc.recipients)), sc.app.win)
	d.SetButtons([]fyne.CanvasObject{cancel, sc.recipientsNext})
	d.Show()
}

// unsafeName is what a file name should not carry from a peer's name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// bundleName suggests a bundle's file name: 2026-11-25_to-hub.ldbundle.
func bundleName(day time.Time, peers []string) string {
	return day.Format("2006-01-02") + "_to-" + unsafeName.ReplaceAllString(strings.Join(peers, "+"), "-") + bundleExt
}

// receiptName suggests a receipt's file name: 2026-11-25_receipt-to-bahrain-2.ldreceipt.
func receiptName(day time.Time, sender string) string {
	return day.Format("2006-01-02") + "_receipt-to-" + unsafeName.ReplaceAllString(sender, "-") + receiptExt
}

// createBundle writes a bundle for the named peers to path, atomically.
func (sc *syncScreen) createBundle(peers []string, path string) {
	var res replication.CreateResult
	sc.transfer("Writing the bundle for "+strings.Join(peers, ", ")+"…", false, false, func(ctx context.Context) error {
		to, err := replication.TrustedPeers(ctx, sc.app.store, peers)
		if err != nil {
			return err
		}
		err = data.WriteFileAtomic(path, 0o600, func(w io.Writer) error {
			var err error
			res, err = replication.WriteBundle(ctx, sc.app.store, to, w)
			return err
		})
		if err != nil {
			removeIfEmpty(path) // the save dialog made it; leave nothing half done
		}
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		text := fmt.Sprintf("%s in %s for %s, %s, written to %s.\n\nCarry it to them. When they import it, "+
			"ask for the receipt back: importing it here tells this laptop what they now hold.",
			plural(res.Changes, "change", "changes"), plural(res.Commits, "signed commit", "signed commits"),
			strings.Join(peers, ", "), humanSize(res.Bytes), path)
		if res.Changes == 0 {
			text = fmt.Sprintf("Nothing new for %s: the bundle (%s, written to %s) only tells them what this laptop holds.",
				strings.Join(peers, ", "), humanSize(res.Bytes), path)
		}
		sc.status.SetText(fmt.Sprintf("Bundle for %s: %s, %s.", strings.Join(peers, ", "),
			plural(res.Changes, "change", "changes"), humanSize(res.Bytes)))
		sc.asked = sc.app.showMessage("Bundle written", text, "", widget.MediumImportance, "Close", nil)
	})
}

// importBundle verifies and applies a bundle file, then offers to save a
// receipt for its sender.
func (sc *syncScreen) importBundle(path string) {
	var res data.ImportResult
	var b *replication.Bundle
	var sender string
	var waiting *replication.PartsWaiting // a part of a split bundle, kept until the rest arrive
	// Cancellable: the import is one transaction, so stopping it changes nothing.
	sc.transfer("Checking and importing "+filepath.Base(path)+"…", true, true, func(ctx context.Context) error {
		if replication.IsPart(path) {
			var err error
			if waiting, res, b, err = replication.ImportPart(ctx, sc.app.store, sc.app.store.Path()+".parts", path); err != nil || waiting != nil {
				return err
			}
			sender = peerName(ctx, sc.app.store, b.Sender)
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", path, data.FileError(err))
		}
		defer f.Close()
		res, b, err = replication.ImportBundleProgress(ctx, sc.app.store, f, sc.progress)
		if err != nil {
			return err
		}
		sender = peerName(ctx, sc.app.store, b.Sender)
		return nil
	}, func(err error) {
		if err != nil {
			return
		}
		if waiting != nil {
			sc.status.SetText(fmt.Sprintf("Kept part %d of %d of a split bundle; import parts %s to complete it.",
				waiting.Part, waiting.Parts, partList(waiting.Missing)))
			return
		}
		from := fmt.Sprintf("%s (%s, device %s)", sender, b.Header.Officer, b.Sender.ShortCode())
		var text string
		if res.Replay {
			text = fmt.Sprintf("This bundle from %s was imported before: nothing applied.", from)
		} else {
			text = fmt.Sprintf("From %s, made %s: %s.", from, whenOrNever(b.Header.Created), importSummary(res)) + importNotes(res)
		}
		sc.status.SetText("Imported " + filepath.Base(path) + ": " + importSummary(res) + ".")
		bundleID := b.Header.Bundle
		sc.lastBundle = bundleID
		sc.asked = sc.app.showMessage("Bundle imported", text+"\n\nSave a receipt to carry back to "+sender+
			": their next bundle then leaves out what this laptop now holds.", "Save receipt…", widget.HighImportance, "Close",
			func() {
				sc.saveFile("Save the receipt", receiptName(time.Now(), sender), receiptExt, func(p string) { sc.saveReceipt(bundleID, p) })
			})
	})
}

// saveReceipt writes this laptop's signed receipt for a bundle.
func (sc *syncScreen) saveReceipt(bundleID, path string) {
	sc.transfer("Writing the receipt…", false, false, func(ctx context.Context) error {
		err := data.WriteFileAtomic(path, 0o600, func(w io.Writer) error {
			return replication.WriteReceipt(ctx, sc.app.store, bundleID, w)
		})
		if err != nil {
			removeIfEmpty(path)
		}
		return err
	}, func(err error) {
		if err == nil {
			sc.status.SetText("Receipt written to " + path + ".")
		}
	})
}

// importReceipt records what a peer says it now holds.
func (sc *syncScreen) importReceipt(path string) {
	var rc *replication.Receipt
	var sender string
	sc.transfer("Checking the receipt "+filepath.Base(path)+"…", false, true, func(ctx context.Context) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", path, data.FileError(err))
		}
		defer f.Close()
		if rc, err = replication.ImportReceipt(ctx, sc.app.store, f); err != nil {
			return err
		}
		if site, err := data.ParseSiteID(rc.Site); err == nil {
			sender = peerName(ctx, sc.app.store, site)
		}
		return nil
	}, func(err error) {
		if err != nil {
			return
		}
		text := fmt.Sprintf("%s (%s) holds what it listed on %s: the next bundle to it leaves that out.",
			sender, rc.Officer, whenOrNever(rc.Created))
		sc.status.SetText("Receipt from " + sender + " recorded.")
		sc.asked = sc.app.showMessage("Receipt recorded", text, "", widget.MediumImportance, "Close", nil)
	})
}

// syncHub pushes to and pulls from the hub at url, remembering it.
func (sc *syncScreen) syncHub(url string) {
	url = strings.TrimSpace(url)
	if url == "" {
		sc.asked = sc.app.showProblem(&data.FieldError{Field: "hub", Problem: "type the hub's address first, e.g. https://hub.example.mil:8443"})
		return
	}
	if !strings.Contains(url, "://") {
		url = "https://" + url
		sc.hubURL.SetText(url)
	}
	sc.app.app.Preferences().SetString(hubURLPreference, url)
	var res replication.HubResult
	sc.transfer("Syncing with "+url+"…", true, true, func(ctx context.Context) error {
		var err error
		client, err := replication.HubClient(sc.app.app.Preferences().String(hubCAPreference))
		if err != nil {
			return err
		}
		res, err = replication.SyncHub(ctx, sc.app.store, url, client)
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		up := fmt.Sprintf("Sent %s; the hub applied %d and already had %d", plural(res.Pushed.Changes, "change", "changes"),
			res.AtHub.Applied, res.AtHub.AlreadyHad)
		if res.AtHub.Quarantined > 0 {
			up += fmt.Sprintf(" (%d held for review there)", res.AtHub.Quarantined)
		}
		text := fmt.Sprintf("%s.\nReceived: %s.", up, importSummary(res.Pulled)) + importNotes(res.Pulled)
		for _, h := range res.AtHub.Held {
			text += "\nHeld for review at the hub: " + h.String() + "."
		}
		if res.Note != "" { // e.g. the hub had lost changes of this laptop, resent
			text = strings.ToUpper(res.Note[:1]) + res.Note[1:] + ".\n" + text
		}
		sc.status.SetText(fmt.Sprintf("Synced with %s at %s: sent %d, received %d.", res.Hub, time.Now().Format("15:04"),
			res.Pushed.Changes, res.Pulled.Applied))
		sc.asked = sc.app.showMessage("Synced with "+res.Hub, text, "", widget.MediumImportance, "Close", nil)
	})
}

// showHubCA says which certificates the hub's must be signed by.
func (sc *syncScreen) showHubCA() {
	if ca := sc.app.app.Preferences().String(hubCAPreference); ca != "" {
		sc.hubCA.SetText("Trusting the hub's certificate in " + ca + ", as well as the system's authorities.")
		return
	}
	sc.hubCA.SetText("Trusting the system's certificate authorities. For a hub with a self-signed certificate, choose it.")
}

// importSummary says what an import did, in a sentence.
func importSummary(r data.ImportResult) string {
	if r.Replay {
		return "imported before, nothing applied"
	}
	parts := []string{fmt.Sprintf("%s applied", plural(r.Applied, "change", "changes"))}
	if r.Records > 0 {
		parts[0] += " to " + plural(r.Records, "record", "records")
	}
	parts = append(parts, fmt.Sprintf("%d already here", r.AlreadyHad))
	parts = append(parts, plural(r.Conflicts, "conflict", "conflicts"))
	parts = append(parts, fmt.Sprintf("%d held for review", r.Quarantined))
	return strings.Join(parts, ", ")
}

// importNotes lists, one per line, what an import held for review and
// why, and the clocks it found running ahead; empty when there is none.
func importNotes(r data.ImportResult) string {
	var b strings.Builder
	for _, h := range r.Held {
		b.WriteString("\nHeld for review: " + h.String() + ".")
	}
	for _, w := range r.ClockWarnings {
		b.WriteString("\nClock: " + w + ".")
	}
	if w := r.UnknownKindsWarning(); w != "" {
		b.WriteString("\n" + w + ".")
	}
	return b.String()
}

// peerName is the name this laptop gave a site, or its device code.
func peerName(ctx context.Context, s Store, site data.SiteID) string {
	if peers, err := s.Peers(ctx); err == nil {
		for _, p := range peers {
			if p.Identity.Site == site {
				return p.Name
			}
		}
	}
	return "device " + site.ShortCode()
}

// removeIfEmpty removes a file a save dialog created when nothing was
// written into it.
func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		os.Remove(path)
	}
}

// ---- file dialogs ----

// saveFile asks where to save, suggesting a name in the folder last used.
func (sc *syncScreen) saveFile(title, name, ext string, then func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			sc.asked = sc.app.showProblem(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		w.Close()
		sc.folder().remember(path)
		then(path)
	}, sc.app.win)
	d.SetTitleText(title)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	sc.folder().startIn(d)
	d.Show() // Fyne 2.8.1: a file dialog resized before Show dereferences nil
	d.Resize(fyne.NewSize(860, 560))
}

// openFile asks for a file to read, starting in the folder last used.
func (sc *syncScreen) openFile(title string, then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			sc.asked = sc.app.showProblem(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		sc.folder().remember(path)
		then(path)
	}, sc.app.win)
	d.SetTitleText(title)
	sc.folder().startIn(d)
	d.Show() // Fyne 2.8.1: a file dialog resized before Show dereferences nil
	d.Resize(fyne.NewSize(860, 560))
}

// folder is where bundles and receipts were last saved or opened.
func (sc *syncScreen) folder() lastFolder {
	return lastFolder{prefs: sc.app.app.Preferences(), key: syncFolderPreference}
}

// ---- reading the screen ----

// syncView is what the screen shows, read in one go off the UI thread.
type syncView struct {
	dev       *data.Device
	identity  data.Identity
	peers     []data.PeerStatus
	held      []data.QuarantineEntry
	unsent    int64
	conflicts int
	digest    string
	clockLead time.Duration // how far this laptop's clock stamps ahead of the wall clock
}

func readSyncView(ctx context.Context, s Store) (v syncView, err error) {
	if v.dev, err = s.Device(); err != nil {
		return v, err
	}
	if v.identity, err = s.Identity(ctx); err != nil {
		return v, err
	}
	if v.peers, err = s.PeerStatuses(ctx); err != nil {
		return v, err
	}
	if v.held, err = s.Quarantine(ctx); err != nil {
		return v, err
	}
	if v.unsent, err = s.UnsentChanges(ctx); err != nil {
		return v, err
	}
	if v.conflicts, err = s.ConflictCount(ctx); err != nil {
		return v, err
	}
	if v.clockLead, err = s.ClockLead(ctx); err != nil {
		return v, err
	}
	v.digest, err = s.Digest(ctx)
	return v, err
}

// refresh reads the screen off the UI thread.
func (sc *syncScreen) refresh() {
	var v syncView
	var err error
	sc.loads.load(func() {
		v, err = readSyncView(context.Background(), sc.app.store)
	}, func() {
		if err != nil {
			sc.failed.SetText("Could not read this laptop's sync state: " + err.Error())
			sc.failed.Show()
			return
		}
		sc.failed.Hide()
		sc.show(v)
	})
}

func (sc *syncScreen) show(v syncView) {
	sc.who.SetText(fmt.Sprintf("%s, %s · %s · device %s", v.dev.Officer, v.dev.Rank, v.dev.Posting, v.dev.Site.ShortCode()))
	sc.identity.SetText(v.identity.String())
	unsent, trusted := v.unsent, 0
	for _, p := range v.peers {
		if p.RevokedAt == "" {
			trusted++
		}
	}
	switch {
	case trusted == 0:
		sc.unsent.SetText(fmt.Sprintf("%s written here; no peer is enrolled yet to send them to.", plural(int(unsent), "change", "changes")))
		sc.unsent.Importance = widget.MediumImportance
	case unsent == 0:
		sc.unsent.SetText("Every change written here has been acknowledged by a peer.")
		sc.unsent.Importance = widget.SuccessImportance
	default:
		sc.unsent.SetText(fmt.Sprintf("%s written here not yet acknowledged by any peer.", plural(int(unsent), "change", "changes")))
		sc.unsent.Importance = widget.WarningImportance
	}
	sc.unsent.Refresh()
	if w := data.ClockLeadWarning(v.clockLead); w != "" {
		sc.clock.SetText("Clock: " + w + ".")
		sc.clock.Show()
	} else {
		sc.clock.Hide()
	}
	sc.digestFull = v.digest
	sc.digest.SetText(shortDigest(v.digest))
	sc.peers = v.peers
	sc.showPeers()
	sc.held = v.held
	sc.showHeld()
	sc.app.setConflictCount(v.conflicts)
}

// shortDigest is the start of a digest in groups of four: enough to
// compare by eye.
func shortDigest(d string) string {
	if len(d) < 16 {
		return d
	}
	return d[0:4] + " " + d[4:8] + " " + d[8:12] + " " + d[12:16]
}

// ---- helpers ----

// syncPanel is a titled, tinted panel.
func syncPanel(title string, icon fyne.Resource, body fyne.CanvasObject) fyne.CanvasObject {
	return syncPanelWithAction(title, icon, nil, body)
}

// syncPanelWithAction is a panel with a button at the right of its title.
func syncPanelWithAction(title string, icon fyne.Resource, action fyne.CanvasObject, body fyne.CanvasObject) fyne.CanvasObject {
	head := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewIcon(icon), widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		action)
	return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground),
		container.NewPadded(container.NewVBox(head, widget.NewSeparator(), body))))
}

// tableHeader is a row of bold column titles.
func tableHeader(weights []float32, titles ...string) fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, len(titles))
	for i, t := range titles {
		l := widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		cells[i] = l
	}
	return container.New(&columnsLayout{weights: weights}, cells...)
}
