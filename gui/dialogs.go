package gui

import (
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

// cliHints are the command-line advice in the store's messages, and what
// to do in the window instead.
var cliHints = strings.NewReplacer(
	"enrol it with 'liaisondesk peers add NAME IDENTITY'", "enrol it with Add peer on the Sync screen",
	"enrol it first with 'liaisondesk peers add hub IDENTITY'", "enrol it first with Add peer on the Sync screen",
	"enrol it with 'liaisondesk peers add' first", "enrol it with Add peer first",
	"see 'liaisondesk peers list'", "see the peers on the Sync screen",
	"see 'liaisondesk conflicts'", "see the Conflicts screen",
)

// operationPrefixes are the error wrappings that name the operation, which
// the dialog's title already says.
var operationPrefixes = []string{"bundle import: ", "receipt import: ", "import: ", "peers add: ", "peers revoke: ",
	"quarantine release: ", "quarantine discard: ", "refused: ", "sender not trusted: "}

// explain turns an error into a dialog title and a sentence for people.
func explain(err error) (title, text string) {
	var hubErr *replication.HubError
	var fe *data.FieldError
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
		said := sentence(trimOperations(hubErr.Message))
		if hubErr.Status == 403 {
			return title, "The hub does not trust this laptop yet: whoever runs it must enrol this laptop's identity line " +
				"(Copy, under This laptop) with 'liaisondesk peers add'. Nothing was sent or received. The hub said (HTTP 403): " + said
		}
		return title, fmt.Sprintf("The hub answered HTTP %d: %s", hubErr.Status, said)
	}
	text = err.Error()
	if errors.As(err, &fe) {
		text = fe.Problem
	}
	text = sentence(cliHints.Replace(trimOperations(text)))
	if errors.Is(err, data.ErrRefused) {
		text += " Nothing was changed."
	}
	return title, text
}

// trimOperations drops the operation prefixes an error was wrapped in.
func trimOperations(text string) string {
	for again := true; again; {
		again = false
		for _, p := range operationPrefixes {
			if strings.HasPrefix(text, p) {
				text, again = text[len(p):], true
			}
		}
	}
	return text
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
