package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// themePreference is the app preference holding the chosen theme:
// "light", "dark" or "system" (follow the desktop).
const themePreference = "theme"

// themeChoices are the themes Settings offers, in order.
var themeChoices = []string{"system", "light", "dark"}

// deskTheme is Fyne's default theme, optionally held to one variant
// (light or dark, whatever the desktop prefers), with disabled text dark
// enough to read: saved records are shown in disabled fields until Edit,
// and the default disabled colour is too faint for that.
type deskTheme struct {
	fyne.Theme
	forced  bool
	variant fyne.ThemeVariant
}

func (t *deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	if n == theme.ColorNameDisabled {
		r, g, b, _ := t.Theme.Color(theme.ColorNameForeground, v).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xb0}
	}
	return t.Theme.Color(n, v)
}

// applyTheme switches the whole app to a theme at once: "light", "dark",
// or anything else (normally "system") for the default theme, which
// follows the desktop's preference.
func applyTheme(a fyne.App, name string) {
	switch name {
	case "light":
		a.Settings().SetTheme(&deskTheme{Theme: theme.DefaultTheme(), forced: true, variant: theme.VariantLight})
	case "dark":
		a.Settings().SetTheme(&deskTheme{Theme: theme.DefaultTheme(), forced: true, variant: theme.VariantDark})
	default:
		a.Settings().SetTheme(&deskTheme{Theme: theme.DefaultTheme()})
	}
}
