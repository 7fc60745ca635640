package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"
	"liaisondesk/data"
	"liaisondesk/data/store"
)

// passphraseEnv names a file whose first line, without its line ending, is
// the store's passphrase: for scripts, tests, hubs and the window. Without
// it a verb asks on the terminal.
const passphraseEnv = "LIAISONDESK_PASSPHRASE_FILE"

// readOnlySubcommands says which verbs never ask for the passphrase: they
// neither sign nor decrypt. all is a verb that only reads; subs are the
// subcommands that only read of a verb that has some. Every other verb (a
// new one included) unlocks the store before it runs.
func readOnlySubcommands(verb string) (all bool, subs []string) {
	switch verb {
	case "list", "show", "search", "history", "digest", "check", "conflicts", "attachments":
		return true, nil
	case "identity": // bare, it prints the line; 'identity rotate' makes keys
		return false, []string{""}
	case "peers", "quarantine", "classification", "category":
		return false, []string{"list"}
	}
	return false, nil
}

// needsKeys reports whether the verb, with its arguments, signs or
// decrypts and so must unlock the store.
func needsKeys(verb string, args []string) bool {
	all, subs := readOnlySubcommands(verb)
	if all {
		return false
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return !slices.Contains(subs, a)
		}
	}
	return !slices.Contains(subs, "") // "" in subs: the bare verb only reads
}

// passphraseFromFile reads the first line of the file named by
// LIAISONDESK_PASSPHRASE_FILE; ok is false when the variable is not set.
func passphraseFromFile() (pass string, ok bool, err error) {
	path := os.Getenv(passphraseEnv)
	if path == "" {
		return "", false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", true, fmt.Errorf("%s: %w", passphraseEnv, data.FileError(err))
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", true, fmt.Errorf("%s: %w", passphraseEnv, err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", true, fmt.Errorf("%s: the first line of %s is empty", passphraseEnv, path)
	}
	return line, true, nil
}

// errNoTerminal is a verb that needs the passphrase with neither the
// variable nor a terminal to ask on: it fails at once, never waits.
var errNoTerminal = fmt.Errorf("this needs the store's passphrase: set %s to a file holding it, or run it in a terminal", passphraseEnv)

// terminal is the console to ask on, opened directly so a verb reading
// JSON on stdin can still ask: /dev/tty, or CONIN$ and CONOUT$ on Windows.
type terminal struct {
	in, out *os.File
}

func openTerminal() (*terminal, error) {
	inName, outName := "/dev/tty", "/dev/tty"
	if runtime.GOOS == "windows" {
		inName, outName = "CONIN$", "CONOUT$"
	}
	in, err := os.OpenFile(inName, os.O_RDWR, 0)
	if err != nil {
		return nil, errNoTerminal
	}
	if !term.IsTerminal(int(in.Fd())) {
		in.Close()
		return nil, errNoTerminal
	}
	out := in
	if outName != inName {
		if out, err = os.OpenFile(outName, os.O_WRONLY, 0); err != nil {
			in.Close()
			return nil, errNoTerminal
		}
	}
	return &terminal{in: in, out: out}, nil
}

func (t *terminal) Close() {
	if t.out != t.in {
		t.out.Close()
	}
	t.in.Close()
}

// ask prints prompt and reads a line without echo.
func (t *terminal) ask(prompt string) (string, error) {
	fmt.Fprint(t.out, prompt)
	b, err := term.ReadPassword(int(t.in.Fd()))
	fmt.Fprintln(t.out)
	if err != nil {
		return "", fmt.Errorf("read the passphrase: %w", err)
	}
	return string(b), nil
}

// newPassphrase is the passphrase for a new store (init, hub init,
// restore, or an old store's first unlock): from the file, else asked
// twice on the terminal. It is checked before anything is created.
func (c *cli) newPassphrase(why string) (string, error) {
	pass, ok, err := passphraseFromFile()
	if err != nil {
		return "", err
	}
	if !ok {
		t, err := openTerminal()
		if err != nil {
			return "", err
		}
		defer t.Close()
		if pass, err = t.ask(why + "\nChoose a passphrase (at least " + fmt.Sprint(data.MinPassphrase) + " characters): "); err != nil {
			return "", err
		}
		if err := data.CheckNewPassphrase(pass); err != nil {
			return "", err
		}
		again, err := t.ask("Type it again: ")
		if err != nil {
			return "", err
		}
		if again != pass {
			return "", data.Invalid("passphrase", "the two passphrases differ")
		}
	}
	return pass, data.CheckNewPassphrase(pass)
}

// unlock opens the store's keys: with the passphrase from the file (one
// attempt), or asked on the terminal (three, waiting out the delay after
// repeated failures). An old store without a passphrase gets one now,
// and its plaintext keys are scrubbed from the file.
func (c *cli) unlock(ctx context.Context, s *store.Store) error {
	if !s.HasPassphrase() {
		pass, err := c.newPassphrase("The keys of " + s.Path() + " are not protected by a passphrase yet.")
		if err != nil {
			return err
		}
		if err := s.SetPassphrase(ctx, pass); err != nil {
			return err
		}
		c.passphrase = pass
		fmt.Fprintf(c.stderr, "liaisondesk: the keys of %s are now sealed under its passphrase\n", s.Path())
		return nil
	}
	if !s.Locked() {
		return nil
	}
	pass, ok, err := passphraseFromFile()
	if err != nil {
		return err
	}
	if ok {
		c.passphrase = pass
		return s.Unlock(ctx, pass)
	}
	t, err := openTerminal()
	if err != nil {
		return err
	}
	defer t.Close()
	for attempt := 1; ; attempt++ {
		if until := s.UnlockWaitUntil(); !until.IsZero() {
			wait := time.Until(until).Round(time.Second)
			fmt.Fprintf(t.out, "Too many wrong passphrases: wait %s.\n", wait)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Until(until)):
			}
		}
		pass, err := t.ask("Passphrase for " + s.Path() + ": ")
		if err != nil {
			return err
		}
		err = s.Unlock(ctx, pass)
		if err == nil {
			c.passphrase = pass
		}
		if err == nil || !errors.Is(err, data.ErrWrongPassphrase) || attempt == 3 {
			return err
		}
		fmt.Fprintln(t.out, "Wrong passphrase.")
	}
}

// unlockFromFile unlocks the window's store with the passphrase from
// LIAISONDESK_PASSPHRASE_FILE when it is set (sealing an old store's keys
// under it), and returns the passphrase for the window's first run.
func unlockFromFile(ctx context.Context, s *store.Store) (string, error) {
	pass, ok, err := passphraseFromFile()
	if !ok || err != nil || !s.Initialised() {
		return pass, err
	}
	if !s.HasPassphrase() {
		return pass, s.SetPassphrase(ctx, pass)
	}
	return pass, s.Unlock(ctx, pass)
}
