package gui

import (
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/windows"
)

// openWithSystem opens a file in its default program, as a double-click
// in Explorer does (ShellExecute's "open"; a file:// URL through
// rundll32 mangles spaces and non-ASCII letters).
func openWithSystem(func(*url.URL) error) func(string) error {
	return func(path string) error {
		file, err := windows.UTF16PtrFromString(filepath.Clean(path))
		if err != nil {
			return err
		}
		verb, _ := windows.UTF16PtrFromString("open")
		return windows.ShellExecute(0, verb, file, nil, nil, windows.SW_SHOWNORMAL)
	}
}

// revealWithSystem opens Explorer on a file's folder with the file
// selected (explorer /select,PATH).
func revealWithSystem(func(*url.URL) error) func(string) error {
	return func(path string) error {
		winDir, err := windows.GetWindowsDirectory()
		if err != nil {
			return fmt.Errorf("find Explorer: %w", err)
		}
		explorer := filepath.Join(winDir, "explorer.exe")
		cmd := exec.Command(explorer)
		cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: explorerSelect(explorer, filepath.Clean(path))}
		if err := cmd.Start(); err != nil {
			return err
		}
		go cmd.Wait() // Explorer exits 1 even when it showed the folder: only reap it
		return nil
	}
}
