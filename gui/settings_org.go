package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// orgSection is Settings' "Organisation and security" (docs/ARCHITECTURE.md
// §4.4): the organisation this store trusts and its fingerprint, the roster
// as this store holds it, enrolment and revocation when this store holds
// the organisation's key (HQ's), then the passphrase, the idle lock and how
// backups are encrypted. The roster arrives with every sync, so the
// section reads it again after one (App.storeChanged).
type orgSection struct {
	app   *App
	loads *reloader

	// What the last load read.
	org      *data.Org // nil: no organisation trusted here
	holdsKey bool      // this store holds the organisation's key: it is HQ's
	rows     []data.RosterRow
	self     string // this device's site id, to mark it on the roster

	orgName     *widget.Label
	fingerprint *widget.Label
	orgInfo     *fyne.Container // name and fingerprint
	none        *widget.Label   // says there is no organisation
	trustBtn    *widget.Button

	enrolBtn, revokeBtn *widget.Button
	auditBtn            *widget.Button // opens the audit of what left the system
	rosterHead          *fyne.Container
	rosterBox           *fyne.Container
	rosterEmpty         *widget.Label
	rosterPart          *fyne.Container // hidden without an organisation
	status              *widget.Label

	trust  *trustOrgDialog // the open dialogs, for tests
	enrol  *enrolDialog
	revoke *revokeDialog
	asked  *message // the revocation's confirmation
}

// rosterWeights are the widths of the roster table's columns.
var rosterWeights = []float32{1.2, 0.9, 1.9, 0.7, 1.1, 1.3}

// noOrgText is what the section says when no organisation is trusted.
const noOrgText = "No organisation: this laptop trusts only the peers enrolled on the Sync screen."

func newOrgSection(a *App) *orgSection {
	return &orgSection{app: a, loads: a.newReloader()}
}

// buildOrg is the "Organisation and security" section; the passphrase and
// lock controls come from unlock.go.
func (sc *settingsScreen) buildOrg() fyne.CanvasObject {
	o := newOrgSection(sc.app)
	sc.org = o
	o.orgName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	o.orgName.Truncation = fyne.TextTruncateEllipsis
	o.fingerprint = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	o.fingerprint.Wrapping = fyne.TextWrapWord
	o.orgInfo = container.NewVBox(o.orgName,
		container.NewBorder(nil, nil, widget.NewLabel("Fingerprint"), nil, o.fingerprint))
	o.none = widget.NewLabel(noOrgText)
	o.none.Wrapping = fyne.TextWrapWord
	o.trustBtn = widget.NewButtonWithIcon("Trust an organisation…", theme.ConfirmIcon(), o.showTrust)

	o.enrolBtn = widget.NewButtonWithIcon("Enrol a device…", theme.ContentAddIcon(), o.showEnrol)
	o.revokeBtn = widget.NewButtonWithIcon("Revoke…", theme.CancelIcon(), o.showRevoke)
	o.rosterHead = container.NewVBox(tableHeader(rosterWeights, "Name", "Device", "Officer", "Role", "Valid until", "State"),
		widget.NewSeparator())
	o.rosterBox = container.NewVBox()
	o.rosterEmpty = emptyNote("No device on the roster here yet: it arrives with the next sync from HQ or any device of the organisation.")
	o.status = widget.NewLabel("")
	o.status.Wrapping = fyne.TextWrapWord
	o.status.Hide()
	rosterTitle := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Roster", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(o.enrolBtn, o.revokeBtn))
	o.rosterPart = container.NewVBox(widget.NewSeparator(), rosterTitle, o.rosterHead, o.rosterBox, o.rosterEmpty, o.status)

	// The controls on the left, what they protect on the right: a select
	// across the whole window would be a long bar.
	lock := container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle("Passphrase and lock", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWithColumns(2, sc.securityControls(), container.NewVBox(
			caption("The store's keys, and the organisation's key on HQ's store, open only with its passphrase. The window locks "+
				"itself after the idle time chosen here, and from File › Lock (Ctrl+L)."),
			caption(o.backupLine()))))
	// What left the system: the same list as the Reports screen's, here
	// with the rest of security, where HQ's security officer looks.
	o.auditBtn = widget.NewButtonWithIcon("Audit of outputs…", theme.ListIcon(), func() { sc.app.showAudit() })
	audit := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, widget.NewLabelWithStyle("Audit", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), o.auditBtn),
		caption("Every report, export and backup made on any laptop of the organisation, with its officer, device, time, "+
			"ceiling and file name, as the records reach this store. The list cannot be edited."))
	o.show()
	return settingsSection("Organisation and security", theme.AccountIcon(),
		"The organisation whose certified devices this laptop trusts without enrolling each one, and the devices it has certified.",
		container.NewVBox(container.NewBorder(nil, nil, nil, container.NewVBox(o.trustBtn), container.NewStack(o.orgInfo, o.none)),
			o.rosterPart, audit, lock))
}

// backupLine says how backups made here are encrypted.
func (o *orgSection) backupLine() string {
	if ks, ok := o.app.keyStore(); !ok || !ks.HasPassphrase() {
		return "Backups of this store are plain copies: it has no passphrase."
	}
	return "Backups made here are encrypted to this passphrase. To make one HQ can open when the passphrase is forgotten, " +
		"use the command line: liaisondesk backup FILE --to HQ's backup key."
}

// load reads the organisation and its roster off the UI thread.
func (o *orgSection) load() {
	var org *data.Org
	var holds bool
	var rows []data.RosterRow
	var self string
	var err error
	o.loads.load(func() {
		ctx := context.Background()
		if org, holds, err = o.app.store.Org(ctx); err != nil {
			return
		}
		if rows, err = o.app.store.RosterRows(ctx); err != nil {
			return
		}
		if dev, derr := o.app.store.Device(); derr == nil {
			self = dev.Site.String()
		}
	}, func() {
		if err != nil {
			o.say("Could not read the organisation: "+plain(err), widget.DangerImportance)
			return
		}
		o.org, o.holdsKey, o.rows, o.self = org, holds, rows, self
		o.show()
	})
}

// show puts what the last load read on screen.
func (o *orgSection) show() {
	if o.org == nil {
		setShown(false, o.orgInfo, o.rosterPart)
		setShown(true, o.none, o.trustBtn)
		return
	}
	setShown(true, o.orgInfo, o.rosterPart)
	setShown(false, o.none, o.trustBtn)
	held := "trusted here"
	if o.holdsKey {
		held = "its key is held here: this is HQ's store"
	}
	o.orgName.SetText(fmt.Sprintf("%s (%s)", o.org.Name, held))
	o.fingerprint.SetText(o.org.Fingerprint())
	setShown(o.holdsKey, o.enrolBtn, o.revokeBtn)
	o.revokeBtn.Disable()
	if len(o.revocable()) > 0 {
		o.revokeBtn.Enable()
	}
	var rows []fyne.CanvasObject
	for _, r := range o.rows {
		rows = append(rows, o.rosterRow(r)...)
	}
	o.rosterBox.Objects = rows
	o.rosterBox.Refresh()
	setShown(len(rows) > 0, o.rosterHead)
	setShown(len(rows) == 0, o.rosterEmpty)
}

// rosterRow is a device's line in the roster table, and for a revoked one
// a line under it with the cut and the reason.
func (o *orgSection) rosterRow(r data.RosterRow) []fyne.CanvasObject {
	name, device := cell(r.Name), cell(r.Device)
	name.TextStyle = fyne.TextStyle{Bold: true}
	if r.Site == o.self {
		device.SetText(r.Device + " (here)")
	}
	until := cell("no end")
	if r.Until != "" {
		until.SetText(longDate(r.Until))
	}
	state := cell("valid")
	switch {
	case r.Revoked != "":
		state.SetText("revoked " + longDate(dateOnly(r.Revoked)))
		state.Importance = widget.DangerImportance
	case r.Expired:
		state.SetText("expired")
		state.Importance = widget.WarningImportance
	}
	out := []fyne.CanvasObject{container.New(&columnsLayout{weights: rosterWeights},
		name, device, cell(r.Officer), cell(string(r.Role)), until, state)}
	if r.Revoked != "" && r.LastSeq != nil {
		out = append(out, caption(r.Name+": "+revocationCut(*r.LastSeq, r.Reason)))
	}
	return out
}

// revocable are the roster names HQ may revoke: not yet revoked, not this
// device.
func (o *orgSection) revocable() []string {
	var names []string
	for _, r := range o.rows {
		if r.Revoked == "" && r.Site != o.self {
			names = append(names, r.Name)
		}
	}
	return names
}

// say shows a line under the roster.
func (o *orgSection) say(text string, imp widget.Importance) {
	o.status.Importance = imp
	o.status.SetText(text)
	o.status.Show()
}

// ---- trusting an organisation ----

// trustOrgDialog takes an organisation's line, shows its fingerprint to
// compare by phone with HQ, and trusts it only when the officer confirms.
type trustOrgDialog struct {
	dialog      *dialog.CustomDialog
	form        *fieldForm
	line        *widget.Entry
	fingerprint *widget.Label
	trust       *widget.Button
	cancel      *widget.Button
}

func (o *orgSection) showTrust() {
	d := &trustOrgDialog{line: widget.NewMultiLineEntry(), form: newFieldForm(), fingerprint: widget.NewLabel("")}
	d.line.SetPlaceHolder("liaisondesk-org-v1 …")
	d.line.Wrapping = fyne.TextWrapBreak
	d.line.SetMinRowsVisible(3)
	d.fingerprint.Wrapping = fyne.TextWrapWord
	d.form.add("organisation", "Organisation line", d.line, "HQ's security officer gives it out with its fingerprint")
	d.trust = widget.NewButtonWithIcon("Fingerprints match: trust", theme.ConfirmIcon(), func() { o.trustOrg(d) })
	d.trust.Importance = widget.HighImportance
	d.trust.Disable()
	d.cancel = widget.NewButton("Cancel", func() { d.dialog.Hide() })
	d.line.OnChanged = func(string) { o.previewOrg(d) }
	intro := widget.NewLabel("From now on this laptop applies the work of every device the organisation certifies, " +
		"and refuses the ones it revokes. Paste its line, then read the fingerprint to HQ by phone: trust it only if " +
		"every group matches.")
	intro.Wrapping = fyne.TextWrapWord
	d.dialog = dialog.NewCustomWithoutButtons("Trust an organisation",
		newWidthBox(620, container.NewVBox(intro, d.form.build(), d.fingerprint)), o.app.win)
	d.dialog.SetButtons([]fyne.CanvasObject{d.cancel, d.trust})
	o.trust = d
	d.dialog.Show()
	o.app.win.Canvas().Focus(d.line)
}

// previewOrg reads the pasted line as it changes and shows its
// fingerprint, as 'org fingerprint' prints it.
func (o *orgSection) previewOrg(d *trustOrgDialog) {
	d.fingerprint.SetText("")
	d.trust.Disable()
	line := strings.TrimSpace(d.line.Text)
	if line == "" {
		d.form.setError(nil)
		return
	}
	org, err := data.ParseOrg(line)
	d.form.setError(err)
	if err != nil {
		return
	}
	// Two rows of six groups, as read aloud over the phone.
	groups := strings.Fields(org.Fingerprint())
	half := len(groups) / 2
	d.fingerprint.SetText(fmt.Sprintf("Organisation  %s\nFingerprint   %s\n              %s",
		org.Name, strings.Join(groups[:half], " "), strings.Join(groups[half:], " ")))
	d.fingerprint.TextStyle = fyne.TextStyle{Monospace: true}
	d.fingerprint.Refresh()
	d.trust.Enable()
}

// trustOrg trusts the organisation, or names the problem and keeps the
// dialog open.
func (o *orgSection) trustOrg(d *trustOrgDialog) {
	org, err := o.app.store.TrustOrg(context.Background(), strings.TrimSpace(d.line.Text))
	if err != nil {
		d.form.setError(err)
		d.trust.Disable()
		return
	}
	d.dialog.Hide()
	o.say("Trusting organisation "+org.Name+". Its roster arrives with the next sync.", widget.MediumImportance)
	o.app.storeChanged() // this section, and the Sync screen's peers, now include the roster
}

// ---- enrolling a device (HQ) ----

// enrolDialog issues a certificate for a device's identity line; a
// problem is said next to its field and nothing is issued.
type enrolDialog struct {
	dialog  *dialog.CustomDialog
	form    *fieldForm
	line    *widget.Entry
	name    *widget.Entry
	role    *widget.Select
	until   *dateEntry
	preview *widget.Label
	enrol   *widget.Button
	cancel  *widget.Button
}

func (o *orgSection) showEnrol() {
	d := &enrolDialog{line: widget.NewMultiLineEntry(), name: widget.NewEntry(), form: newFieldForm(), preview: widget.NewLabel(""),
		until: newDateEntry(func() fyne.Window { return o.app.win })}
	d.role = widget.NewSelect([]string{string(data.RoleLaptop), string(data.RoleStaff), string(data.RoleHub)}, nil)
	d.role.SetSelected(string(data.RoleLaptop))
	d.line.SetPlaceHolder("liaisondesk-identity-v1 …")
	d.line.Wrapping = fyne.TextWrapBreak
	d.line.SetMinRowsVisible(3)
	d.name.SetPlaceHolder("e.g. bahrain-2 or hub-delhi")
	d.preview.Wrapping = fyne.TextWrapWord
	d.form.add("identity", "Identity line", d.line, "The device shows it under This laptop on its Sync screen")
	d.form.add("name", "Name", d.name, "Its name on the roster, for bundles: letters, digits, . _ -")
	d.form.add("role", "Role", d.role, "laptop: an officer's; staff: HQ's; hub: one laptops sync with")
	d.form.add("until", "Valid until", d.until.box, "Its last valid day; empty for no end")
	d.line.OnChanged = func(string) { previewIdentity(d.form, d.preview, d.line.Text) }
	d.enrol = widget.NewButtonWithIcon("Enrol", theme.ContentAddIcon(), func() { o.enrolDevice(d) })
	d.enrol.Importance = widget.HighImportance
	d.cancel = widget.NewButton("Cancel", func() { d.dialog.Hide() })
	intro := widget.NewLabel("Certify a device for the organisation: every device that trusts it applies this one's work " +
		"from its next sync. Check the device code and officer with its owner first.")
	intro.Wrapping = fyne.TextWrapWord
	d.dialog = dialog.NewCustomWithoutButtons("Enrol a device",
		newWidthBox(640, container.NewVBox(intro, d.form.build(), d.preview)), o.app.win)
	d.dialog.SetButtons([]fyne.CanvasObject{d.cancel, d.enrol})
	o.enrol = d
	d.dialog.Show()
	o.app.win.Canvas().Focus(d.line)
}

// previewIdentity says whose a pasted identity line is, or what is wrong
// with it.
func previewIdentity(form *fieldForm, preview *widget.Label, line string) {
	preview.SetText("")
	line = strings.TrimSpace(line)
	if line == "" {
		form.setError(nil)
		return
	}
	id, err := data.ParseIdentity(line)
	form.setError(err)
	if err == nil {
		preview.SetText(fmt.Sprintf("This is device %s, %s (site %s).", id.Site.ShortCode(), id.Officer, id.Site))
	}
}

// enrolDevice issues the certificate, or names the problem next to its
// field and keeps the dialog open.
func (o *orgSection) enrolDevice(d *enrolDialog) {
	role, err := data.ParseRole(d.role.Selected)
	if err == nil {
		_, _, err = o.app.store.Enrol(context.Background(), strings.TrimSpace(d.line.Text), strings.TrimSpace(d.name.Text),
			role, strings.TrimSpace(d.until.Text))
	}
	if err != nil {
		d.form.setError(err)
		return
	}
	d.dialog.Hide()
	o.say(fmt.Sprintf("Enrolled %s as %s. The devices of the organisation learn of it at their next sync.",
		strings.TrimSpace(d.name.Text), role), widget.MediumImportance)
	o.app.storeChanged() // this section reads the roster again
}

// ---- revoking a device (HQ) ----

// revokeDialog picks a device on the roster and the reason, then asks.
type revokeDialog struct {
	dialog *dialog.CustomDialog
	form   *fieldForm
	device *widget.Select
	reason *widget.Entry
	next   *widget.Button
	cancel *widget.Button
}

func (o *orgSection) showRevoke() {
	d := &revokeDialog{device: widget.NewSelect(o.revocable(), nil), reason: widget.NewEntry(), form: newFieldForm()}
	d.device.PlaceHolder = "Choose a device on the roster"
	d.reason.SetPlaceHolder("e.g. laptop lost in transit")
	d.form.add("name", "Device", d.device, "")
	d.form.add("reason", "Reason", d.reason, "Travels with the revocation, for every replica to show")
	d.next = widget.NewButtonWithIcon("Revoke…", theme.CancelIcon(), func() { o.askRevoke(d) })
	d.next.Importance = widget.DangerImportance
	d.cancel = widget.NewButton("Cancel", func() { d.dialog.Hide() })
	d.dialog = dialog.NewCustomWithoutButtons("Revoke a device",
		newWidthBox(560, d.form.build()), o.app.win)
	d.dialog.SetButtons([]fyne.CanvasObject{d.cancel, d.next})
	o.revoke = d
	d.dialog.Show()
}

// askRevoke checks the choice, then asks before revoking: a revocation
// cannot be taken back.
func (o *orgSection) askRevoke(d *revokeDialog) {
	name, reason := d.device.Selected, strings.TrimSpace(d.reason.Text)
	if name == "" {
		d.form.setError(data.Invalid("name", "is required: choose the device to revoke"))
		return
	}
	if err := data.CheckLine("reason", reason, false); err != nil {
		d.form.setError(err)
		return
	}
	d.dialog.Hide()
	o.asked = o.app.confirm("Revoke "+name+"?",
		"The organisation will stop trusting "+name+" everywhere the revocation reaches, at the next sync of each device. "+
			"Its changes up to the last one this store holds from it stay valid; any change it made after that "+
			"will be held for review on every replica. A revoked device is not enrolled again: it starts a new store.",
		"Revoke", func() { o.revokeDevice(name, reason) })
}

// revokeDevice signs the revocation and says where it cut.
func (o *orgSection) revokeDevice(name, reason string) {
	rev, err := o.app.store.Revoke(context.Background(), name, reason)
	if err != nil {
		o.asked = o.app.showProblem(err)
		return
	}
	o.say("Revoked "+rev.Name+": "+revocationCut(rev.LastSeq, ""), widget.MediumImportance)
	o.app.storeChanged() // this section too; changes past the cut are held now
}

// ---- helpers ----

// revocationCut says where a revocation cut a device's changes, and why.
func revocationCut(lastSeq int64, reason string) string {
	text := fmt.Sprintf("its changes up to its change %d stay valid; later ones are held for review on every replica.", lastSeq)
	if lastSeq == 0 {
		text = "none of its changes had reached HQ, so every change it made is held for review on every replica."
	}
	if reason != "" {
		text += " Reason: " + reason + "."
	}
	return text
}

// dateOnly is the date of an RFC 3339 time.
func dateOnly(rfc string) string {
	if t, err := time.Parse(time.RFC3339, rfc); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return rfc[:min(10, len(rfc))]
}

// longDate writes a YYYY-MM-DD date as "30 Jun 2027".
func longDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan 2006")
}
