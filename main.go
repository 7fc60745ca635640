// Command liaisondesk is Liaison Desk: with no command it opens the window;
// with a command it runs headless (liaisondesk help lists them).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"fyne.io/fyne/v2/app"

	"liaisondesk/assets"
	"liaisondesk/data"
	"liaisondesk/data/store"
	"liaisondesk/gui"
)

// appID is also FyneApp.toml's ID.
const appID = "in.gov.mod.liaisondesk"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("liaisondesk", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", "", "the store (default $LIAISONDESK_DB, else "+data.DefaultPathHelp()+")")
	demoMode := fs.Bool("demo", false, "open the window on a throwaway store full of demo data")
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "liaisondesk: %v\n", err)
		c.printUsage(stderr)
		return 2
	}
	path, err := storePath(*dbPath)
	if err != nil {
		fmt.Fprintf(stderr, "liaisondesk: %v\n", err)
		return 1
	}
	c.dbPath = path
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if fs.NArg() > 0 {
		return c.runVerb(ctx, fs.Arg(0), fs.Args()[1:])
	}
	if data.IsDatabaseURL(path) {
		fmt.Fprintf(stderr, "liaisondesk: %v%s\n", &data.HubDatabaseError{Verb: "the window"}, advice(&data.HubDatabaseError{}))
		return 1
	}
	if err := openWindow(ctx, path, *demoMode); err != nil {
		fmt.Fprintf(stderr, "liaisondesk: %v%s\n", err, advice(err))
		return 1
	}
	return 0
}

// storePath is --db, else LIAISONDESK_DB, else the default location.
func storePath(flagValue string) (string, error) {
	p := flagValue
	if p == "" {
		p = os.Getenv("LIAISONDESK_DB")
	}
	if p == "" {
		return data.DefaultPath()
	}
	if data.IsDatabaseURL(p) { // a hub's replica in PostgreSQL
		return p, nil
	}
	return filepath.Abs(p)
}

// openWindow runs the desktop app on the store (a throwaway demo store
// with --demo) until the window closes.
func openWindow(ctx context.Context, path string, demoMode bool) error {
	if demoMode {
		dir, err := os.MkdirTemp("", "liaisondesk-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.IsHub() {
		return &data.HubStoreError{Path: path, Verb: "the window"}
	}
	var pass string
	if !demoMode { // the demo's throwaway store has no passphrase
		if pass, err = unlockFromFile(ctx, s); err != nil {
			return err
		}
	}
	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon)
	gui.New(a, s, gui.Options{Demo: demoMode, Passphrase: pass}).ShowAndRun()
	return nil
}
