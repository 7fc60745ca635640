package gui

// Small widgets shared by the screens.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cell is a table cell that cuts long text with an ellipsis.
func cell(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// caption is a small explanatory paragraph.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	l.Importance = widget.LowImportance
	return l
}

func sectionHeading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func emptyNote(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	return l
}

// themedRect is a rounded rectangle filled with a theme colour, repainted
// when the theme changes.
type themedRect struct {
	widget.BaseWidget
	colour fyne.ThemeColorName
}

func newThemedRect(c fyne.ThemeColorName) *themedRect {
	r := &themedRect{colour: c}
	r.ExtendBaseWidget(r)
	return r
}

func (r *themedRect) CreateRenderer() fyne.WidgetRenderer {
	rect := canvas.NewRectangle(theme.Color(r.colour))
	rect.CornerRadius = theme.InputRadiusSize()
	return &themedRectRenderer{r: r, rect: rect}
}

type themedRectRenderer struct {
	r    *themedRect
	rect *canvas.Rectangle
}

func (t *themedRectRenderer) Layout(s fyne.Size) { t.rect.Resize(s) }

func (t *themedRectRenderer) MinSize() fyne.Size { return fyne.NewSize(0, 0) }

func (t *themedRectRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{t.rect} }

func (t *themedRectRenderer) Destroy() {}

func (t *themedRectRenderer) Refresh() {
	t.rect.FillColor = theme.Color(t.r.colour)
	t.rect.CornerRadius = theme.InputRadiusSize()
	t.rect.Refresh()
}

// settingsSection is a titled panel with a short explanation.
func settingsSection(title string, icon fyne.Resource, intro string, body fyne.CanvasObject) fyne.CanvasObject {
	head := container.NewHBox(widget.NewIcon(icon), widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	text := widget.NewLabel(intro)
	text.Wrapping = fyne.TextWrapWord
	return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground),
		container.NewPadded(container.NewVBox(head, widget.NewSeparator(), text, body))))
}

// setEnabled enables or disables widgets together: a record form's fields
// as it switches between viewing and editing.
func setEnabled(on bool, ws ...fyne.Disableable) {
	for _, w := range ws {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// setShown shows or hides objects together.
func setShown(on bool, os ...fyne.CanvasObject) {
	for _, o := range os {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}
