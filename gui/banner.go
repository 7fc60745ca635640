package gui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"liaisondesk/data"
)

// banner is the classification strip at the top or bottom of the window:
// the highest marking among the records on screen and the intersection of
// their releasability (docs/DOMAIN.md §6), in the level's conventional colour.
type banner struct {
	bg   *canvas.Rectangle
	text *canvas.Text
	box  *fyne.Container
}

func newBanner() *banner {
	b := &banner{bg: canvas.NewRectangle(color.NRGBA{0x00, 0x7A, 0x33, 0xff}), text: canvas.NewText("UNCLASSIFIED", color.White)}
	b.text.TextStyle = fyne.TextStyle{Bold: true}
	b.text.Alignment = fyne.TextAlignCenter
	b.text.TextSize = theme.TextSize() * 0.9
	b.box = container.NewStack(b.bg, container.NewPadded(b.text))
	return b
}

// set shows a computed banner.
func (b *banner) set(bn data.Banner) {
	b.text.Text = bn.String()
	b.bg.FillColor = parseColour(bn.Classification.Colour)
	b.text.Color = textOn(b.bg.FillColor)
	b.text.Refresh()
	b.bg.Refresh()
}

// Text is what the banner says.
func (b *banner) Text() string { return b.text.Text }

// parseColour reads #RRGGBB; anything else is the secret red, never a
// colour that could pass for a lower level.
func parseColour(s string) color.NRGBA {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
		}
	}
	return color.NRGBA{0xC8, 0x10, 0x2E, 0xff}
}

// textOn picks black or white text for legibility on a background.
func textOn(c color.Color) color.Color {
	r, g, bl, _ := c.RGBA()
	if (299*r+587*g+114*bl)/1000 > 0x9000 {
		return color.Black
	}
	return color.White
}
