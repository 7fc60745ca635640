package gui

import "testing"

// Issue 10: "Show in folder" on Windows runs Explorer with the file
// selected; the path goes in quotes after /select, as Explorer parses it.
func TestShowInFolderOnWindowsSelectsTheFileInExplorer(t *testing.T) {
	got := explorerSelect(`C:\Windows\explorer.exe`, `C:\Users\Rohan Mehta\Rapports\défense 2026.pdf`)
	want := `"C:\Windows\explorer.exe" /select,"C:\Users\Rohan Mehta\Rapports\défense 2026.pdf"`
	if got != want {
		t.Fatalf("%s\nwant %s", got, want)
	}
}
