package gui

// showSectionAndWait brings a section to the front and waits for the
// refresh it starts.
func showSectionAndWait(ui *App, name string) {
	ui.dashboard.ready.Wait()
	ui.showSection(name)
	switch sc := ui.nav[ui.current].sec.(type) {
	case *conflictsScreen:
		sc.ready.Wait()
	case *syncScreen:
		sc.ready.Wait()
	}
}
