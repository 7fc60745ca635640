package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// testPassphrase is every test store's passphrase, read by the verbs (in
// process and through the real binary) from LIAISONDESK_PASSPHRASE_FILE,
// which TestMain sets for the whole package so nothing ever prompts.
const testPassphrase = "chai at the liaison office"

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "liaisondesk-passphrase")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		file := filepath.Join(dir, "passphrase")
		if err := os.WriteFile(file, []byte(testPassphrase+"\r\nignored second line\n"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		os.Setenv(passphraseEnv, file)
		defer testPG.Stop() // started by the first test that needs it (cli_pghub_test.go)
		return m.Run()
	}())
}
