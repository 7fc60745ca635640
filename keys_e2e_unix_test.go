//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runDetached runs the real binary in a new session (no controlling
// terminal) without LIAISONDESK_PASSPHRASE_FILE, as a cron job or a
// service would, and fails the test if it waits more than 30 s.
func (e *e2e) runDetached(db string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, append([]string{"--db", e.path(db)}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, passphraseEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		e.t.Fatalf("%v waited for a passphrase", args)
	}
	return out.String(), errOut.String(), err
}

func TestWithNeitherTheVariableNorATerminal(t *testing.T) {
	e := newE2E(t)
	e.laptop("a.db", "CMF")
	id := strings.Fields(e.mustIn("a.db", meeting, "add", "exchange"))[0]
	t.Run("a verb that signs fails at once, naming the variable", func(t *testing.T) {
		for _, args := range [][]string{{"add", "exchange"}, {"backup", e.path("b.age")}, {"report", "weekly", "-o", e.path("w.pdf")}} {
			_, errOut, err := e.runDetached("a.db", args...)
			if err == nil || !strings.Contains(errOut, passphraseEnv) {
				t.Fatalf("%v: %v %q", args, err, errOut)
			}
		}
	})
	t.Run("verbs that only read never ask", func(t *testing.T) {
		for _, args := range [][]string{{"list", "exchange"}, {"show", "exchange", id}, {"search", "piracy"},
			{"history", "exchange", id}, {"digest"}, {"identity"}, {"check"}, {"conflicts"}, {"peers", "list"}, {"quarantine", "list"}} {
			if _, errOut, err := e.runDetached("a.db", args...); err != nil {
				t.Errorf("%v: %v %s", args, err, errOut)
			}
		}
	})
	t.Run("init fails too, and creates nothing", func(t *testing.T) {
		_, errOut, err := e.runDetached("new.db", "init", "--officer", "X", "--rank", "Major", "--posting", "CMF")
		if err == nil || !strings.Contains(errOut, passphraseEnv) {
			t.Fatalf("init: %v %q", err, errOut)
		}
		if _, err := os.Stat(e.path("new.db")); !os.IsNotExist(err) {
			t.Fatal("a refused init created the store")
		}
	})
}
