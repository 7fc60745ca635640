package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestFirstRunSetup(t *testing.T) {
	t.Run("creates the device identity and opens the dashboard", func(t *testing.T) {
		a := test.NewTempApp(t)
		s := openStore(t)
		ui := New(a, s, Options{Synchronous: true})
		ui.Start()
		done := false
		sc := newSetupScreen(s, func() { done = true })
		ui.Window().SetContent(sc.build())
		test.Type(sc.officer, "Col. A. Sharma")
		test.Type(sc.rank, "Colonel")
		sc.posting.SetSelected("SOCOM")
		sc.form.OnSubmit()
		if !done {
			t.Fatalf("setup did not finish: %q", sc.status.Text)
		}
		dev, err := s.Device()
		if err != nil || dev.Officer != "Col. A. Sharma" || dev.Posting != "SOCOM" {
			t.Fatalf("device: %+v %v", dev, err)
		}
	})
	t.Run("HQ staff make their store on the IHQ posting", func(t *testing.T) {
		test.NewTempApp(t)
		s := openStore(t)
		done := false
		sc := newSetupScreen(s, func() { done = true })
		sc.build()
		test.Type(sc.officer, "Brig. R. Menon")
		test.Type(sc.rank, "Brigadier")
		sc.posting.SetSelected("IHQ")
		sc.form.OnSubmit()
		if !done {
			t.Fatalf("setup did not finish: %q", sc.status.Text)
		}
		if dev, err := s.Device(); err != nil || dev.Posting != "IHQ" {
			t.Fatalf("device: %+v %v", dev, err)
		}
	})
	t.Run("a missing posting is refused with a message and writes nothing", func(t *testing.T) {
		test.NewTempApp(t)
		s := openStore(t)
		sc := newSetupScreen(s, func() { t.Fatal("setup finished without a posting") })
		sc.build()
		test.Type(sc.officer, "Col. A. Sharma")
		test.Type(sc.rank, "Colonel")
		sc.form.OnSubmit()
		if !strings.Contains(sc.status.Text, "posting") {
			t.Fatalf("status: %q", sc.status.Text)
		}
		if s.Initialised() {
			t.Fatal("the store was initialised")
		}
	})
	t.Run("an empty name is flagged next to the field", func(t *testing.T) {
		test.NewTempApp(t)
		sc := newSetupScreen(openStore(t), func() {})
		sc.build()
		if err := sc.officer.Validate(); err == nil || !strings.Contains(err.Error(), "required") {
			t.Fatalf("validator: %v", err)
		}
	})
}
