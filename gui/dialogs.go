package gui

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/replication"
)

// Dialogs the sync and conflicts screens share. Each keeps the buttons it
// shows as fields, so tests tap them instead of searching the dialog.

// message is a dialog with a title, a paragraph and buttons: a question
// (ok does it), a summary (ok offers a follow-up, e.g. saving a receipt)
// or a problem (no ok).
type message struct {
	dialog *dialog.CustomDialog
	title  string
	text   *widget.Label
	ok     *widget.Button // nil when the dialog only closes
	close  *widget.Button
}

// showMessage shows a message dialog; verb and fn make its main button
// (none when verb is ""), dismiss names the button that only closes it.
func (a *App) showMessage(title, text, verb string, imp widget.Importance, dismiss string, fn func()) *message {
	m := &message{title: title, text: widget.NewLabel(text)}
	m.text.Wrapping = fyne.TextWrapWord
	m.close = widget.NewButton(dismiss, func() { m.dialog.Hide() })
	buttons := []fyne.CanvasObject{m.close}
	if verb != "" {
		m.ok = widget.NewButton(verb, func() {
			m.dialog.Hide()
			fn()
		})
		m.ok.Importance = imp
		buttons = append(buttons, m.ok)
	}
	m.dialog = dialog.NewCustomWithoutButtons(title, newWidthBox(520, m.text), a.win)
	m.dialog.SetButtons(buttons)
	m.dialog.Show()
	return m
}

// confirm asks before doing something that cannot be undone.
func (a *App) confirm(title, text, verb string, fn func()) *message {
	return a.showMessage(title, text, verb, widget.DangerImportance, "Cancel", fn)
}

// showProblem says what went wrong, in the error's own words.
func (a *App) showProblem(err error) *message {
	title, text := explain(err)
	m := a.showMessage(title, text, "", widget.MediumImportance, "Close", nil)
	m.dialog.SetIcon(theme.ErrorIcon())
	return m
}

// explain turns an error into a dialog title and a sentence for people.
func explain(err error) (title, text string) {
	var hubErr *replication.HubError
	switch {
	case errors.As(err, &hubErr) && hubErr.Status == 403:
		title = "The hub refused this laptop"
	case errors.As(err, &hubErr):
		title = "The hub answered with an error"
	case errors.Is(err, data.ErrUntrusted):
		title = "Refused: the sender is not trusted"
	case errors.Is(err, data.ErrRefused):
		title = "Refused"
	case errors.Is(err, data.ErrNotFound):
		title = "Not found"
	case errors.Is(err, data.ErrInvalid):
		title = "Not done"
	default:
		title = "Something went wrong"
	}
	if hubErr != nil {
		// The hub's words are from its side: its command-line advice is
		// for whoever runs it.
		said := sentence(hubErr.Message)
		if hubErr.Status == 403 {
			return title, "The hub does not trust this laptop yet: whoever runs it must enrol this laptop's identity line " +
				"(Copy, under This laptop) with 'liaisondesk peers add'. Nothing was sent or received. The hub said (HTTP 403): " + said
		}
		return title, fmt.Sprintf("The hub answered HTTP %d: %s", hubErr.Status, said)
	}
	text = sentence(plain(err))
	if errors.Is(err, data.ErrRefused) {
		text += " Nothing was changed."
	}
	return title, text
}

// plain is an error in the window's words: the innermost words a person
// reads (a field's problem, a refusal's reason, a typed error's facts),
// without the operations it was wrapped in, which the dialog's title or
// the label's lead-in names, and with the window's advice.
func plain(err error) string {
	var fe *data.FieldError
	var sender *data.UntrustedSenderError
	var refused *data.RefusedError
	text := ""
	switch {
	case errors.As(err, &sender) && sender.Peer != "":
		text = fmt.Sprintf("peer %s (device %s) was revoked", sender.Peer, sender.Site.ShortCode())
	case errors.As(err, &sender):
		text = fmt.Sprintf("device %s is not an enrolled peer", sender.Site)
	case errors.As(err, &fe):
		text = fe.Problem
	case errors.As(err, &refused):
		text = refused.Reason
	default:
		for { // the operation is the outermost wrapping
			op, ok := err.(*data.OpError)
			if !ok {
				break
			}
			err = op.Err
		}
		text = err.Error()
	}
	return text + windowAdvice(err)
}

// windowAdvice is what to do about an error in the window, or "".
func windowAdvice(err error) string {
	var backup *data.BackupAsStoreError
	var sender *data.UntrustedSenderError
	var hub *replication.UntrustedHubError
	var peer *data.PeerNotFoundError
	var hubDB *data.HubDatabaseError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	var ddl *data.DDLError
	switch {
	case errors.As(err, &ddl):
		return " (write the reason under DDL justification: it is kept and shown in the memorandum for record)"
	case errors.Is(err, data.ErrTooLarge):
		return " (the limit is this laptop's setting, at most 1 GB, in Settings › Attachments; nothing was changed)"
	case errors.Is(err, data.ErrNoContent):
		return " (sync with the device that attached it)"
	case errors.As(err, &backup):
		return ": make a working store from it with Restore a backup… in the Settings of a working store, then start Liaison Desk on the new file"
	case errors.As(err, &sender) && sender.Peer == "":
		return " (enrol it with Add peer on the Sync screen)"
	case errors.As(err, &hub):
		return ", and enrol it with Add peer on the Sync screen"
	case errors.As(err, &peer):
		return " (see the peers on the Sync screen)"
	case errors.As(err, &hubDB):
		return " (the window opens a laptop's store, which is a file; a hub kept in PostgreSQL is served with 'liaisondesk hub --listen')"
	case errors.As(err, &unknown):
		return " (the hub's certificate is not signed by an authority this laptop trusts: get the certificate from the hub's operator and choose it with Hub certificate… on the Sync screen)"
	case errors.As(err, &invalid), errors.As(err, &host):
		return " (the hub's certificate is not valid for this address or has expired: check the URL with the hub's operator)"
	case errors.Is(err, data.ErrExists):
		return ": choose a new file"
	case errors.Is(err, data.ErrFinal):
		return " (Edit, then Amend)"
	case errors.Is(err, data.ErrNotCompeting):
		return " (see the Conflicts screen)"
	case errors.Is(err, data.ErrAuthorKeyUnknown):
		return ": enrol it with Add peer first"
	case errors.Is(err, data.ErrTwoKeys):
		return ": enrol the device with Add peer to tell which, or discard them"
	case errors.Is(err, data.ErrTwoHistories):
		return ": enrol the device with Add peer to tell the genuine one, or discard them"
	case errors.Is(err, data.ErrNotIdentityLine):
		return " (the other laptop shows it under This laptop on its Sync screen)"
	case errors.Is(err, data.ErrCloned):
		return " (Restore a backup… in Settings gives it a new identity)"
	case errors.Is(err, data.ErrNotOrgLine):
		return " (HQ's Settings show it under Organisation and security, with its fingerprint)"
	case errors.Is(err, data.ErrNoOrgKey):
		return " (only HQ's store holds the organisation's key: enrol and revoke devices there)"
	case errors.Is(err, data.ErrDeviceCodeTaken):
		return " (on that device, start Liaison Desk with --db on a new file: a new store gets a new device code)"
	case errors.Is(err, data.ErrNotHQ):
		return " (HQ sets them in its Settings; they reach this laptop by sync)"
	case errors.Is(err, data.ErrNoOrgTrusted):
		return ": trust it with Trust an organisation… in Settings (compare its fingerprint with HQ by phone), or enrol the device with Add peer on the Sync screen"
	case errors.Is(err, data.ErrNoRotation):
		return " (sync with that device first, so its rotation statement reaches this laptop)"
	}
	return ""
}

// sentence starts text with a capital and ends it with a full stop.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if r, n := utf8.DecodeRuneInString(text); n > 0 {
		text = string(unicode.ToUpper(r)) + text[n:]
	}
	if text != "" && !strings.HasSuffix(text, ".") {
		text += "."
	}
	return text
}

// widthBox gives its content a fixed width and the height it needs at
// that width, so a wrapped paragraph in a dialog is neither one long line
// nor one word per line.
type widthBox struct{ width float32 }

func newWidthBox(width float32, o fyne.CanvasObject) *fyne.Container {
	return container.New(&widthBox{width: width}, o)
}

func (b *widthBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (b *widthBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if o.Size().Width != b.width {
			o.Resize(fyne.NewSize(b.width, o.MinSize().Height))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(b.width, h)
}
