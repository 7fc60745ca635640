package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSyncEndToEndThroughTheBinary drives the real binary as an officer
// would: three laptops and a hub on loopback, each enrolled with the
// others; edits on every laptop, some carried by hub sync and some by
// bundle files and receipts, a conflicting edit resolved, and at the end
// every store prints the same digest.
func TestSyncEndToEndThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "liaisondesk")
	build := exec.Command("go", "build", "-tags", "ci,migrated_fynedo", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ld := func(db string, args ...string) (string, error) {
		cmd := exec.Command(bin, append([]string{"--db", filepath.Join(dir, db)}, args...)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if err != nil {
			return out.String(), fmt.Errorf("%v: %s", err, errOut.String())
		}
		return out.String(), nil
	}
	must := func(db string, args ...string) string {
		t.Helper()
		out, err := ld(db, args...)
		if err != nil {
			t.Fatalf("liaisondesk --db %s %s: %v", db, strings.Join(args, " "), err)
		}
		return out
	}

	laptops := []string{"a.db", "b.db", "c.db"}
	postings := []string{"CMF", "SOCOM", "INDOPACOM"}
	for i, db := range laptops {
		must(db, "init", "--officer", "Cdr "+strings.ToUpper(db[:1]), "--rank", "Commander", "--posting", postings[i])
	}
	out := must("hub.db", "hub", "init", "--name", "hub-hawaii")
	hubID := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	ids := map[string]string{"hub.db": hubID}
	for _, db := range laptops {
		ids[db] = strings.TrimSpace(must(db, "identity"))
	}
	for _, db := range laptops {
		must(db, "peers", "add", "hub", ids["hub.db"])
		must("hub.db", "peers", "add", strings.TrimSuffix(db, ".db"), ids[db])
		for _, other := range laptops {
			if other != db {
				must(db, "peers", "add", strings.TrimSuffix(other, ".db"), ids[other])
			}
		}
	}

	// A device the hub does not know is refused with 403.
	must("stranger.db", "init", "--officer", "Stranger", "--rank", "Major", "--posting", "CMF")
	must("stranger.db", "peers", "add", "hub", ids["hub.db"])

	// The hub on a free loopback port.
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hub := exec.CommandContext(ctx, bin, "--db", filepath.Join(dir, "hub.db"), "hub", "--listen", addr)
	stdout, _ := hub.StdoutPipe()
	if err := hub.Start(); err != nil {
		t.Fatal(err)
	}
	defer hub.Wait()
	defer cancel()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || !strings.Contains(line, "serving on") {
		t.Fatalf("hub did not start: %q %v", line, err)
	}
	url := "http://" + addr

	_, err := ld("stranger.db", "sync", "--hub", url)
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("an unenrolled device was not refused with 403: %v", err)
	}

	exchange := func(db, title string) string {
		cmd := exec.Command(bin, "--db", filepath.Join(dir, db), "add", "exchange")
		cmd.Stdin = strings.NewReader(fmt.Sprintf(`{"posting":"CMF","kind":"meeting","title":%q,"occurred_at":"2026-11-20T06:00:00Z","time_zone":"Asia/Bahrain","classification":"RESTRICTED","releasability":["USA","IND"]}`, title))
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("add exchange at %s: %v", db, err)
		}
		return strings.TrimSpace(string(got))
	}
	shared := exchange("a.db", "CTF 151 counter-piracy brief")
	exchange("b.db", "JSOU course nomination")
	exchange("c.db", "Malabar planning conference")

	must("a.db", "sync", "--hub", url)
	must("b.db", "sync", "--hub", url)

	// C is offline: B carries a bundle to it, and C's receipt comes back.
	bundle := filepath.Join(dir, "b-to-c.ldbundle")
	receipt := filepath.Join(dir, "c.receipt")
	must("b.db", "bundle", "create", "--to", "c", "-o", bundle)
	must("c.db", "bundle", "import", bundle, "--receipt", receipt)
	must("b.db", "receipt", "import", receipt)
	// Importing it again is a visible no-op.
	var again struct {
		Replay  bool `json:"replay"`
		Applied int  `json:"applied"`
	}
	json.Unmarshal([]byte(must("c.db", "bundle", "import", bundle)), &again)
	if !again.Replay || again.Applied != 0 {
		t.Fatalf("re-import was not a no-op: %+v", again)
	}

	// A and C edit the same title concurrently.
	if out, err := exec.Command(bin, "--db", filepath.Join(dir, "c.db"), "show", "exchange", shared).CombinedOutput(); err != nil {
		t.Fatalf("the bundle did not carry A's exchange to C: %v %s", err, out)
	}
	update := func(db, title string) {
		cmd := exec.Command(bin, "--db", filepath.Join(dir, db), "update", "exchange", shared)
		cmd.Stdin = strings.NewReader(fmt.Sprintf(`{"title":%q}`, title))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("update at %s: %v %s", db, err, out)
		}
	}
	update("a.db", "CTF 151 brief (A)")
	update("c.db", "CTF 151 brief (C)")
	toHub := filepath.Join(dir, "c-to-hub.ldbundle")
	must("c.db", "bundle", "create", "--to", "hub", "-o", toHub)
	// The hub imports bundles too (it is a site like any other), while serving.
	must("hub.db", "bundle", "import", toHub)
	for _, db := range laptops {
		must(db, "sync", "--hub", url)
	}
	var conflicts []struct {
		Kind, ID, Field string
		Values          []struct{ Change string }
	}
	if err := json.Unmarshal([]byte(must("b.db", "conflicts", "--json")), &conflicts); err != nil || len(conflicts) != 1 || conflicts[0].Field != "title" {
		t.Fatalf("conflicts at b: %+v %v", conflicts, err)
	}
	must("b.db", "resolve", "exchange", shared, "title", "--value", "CTF 151 counter-piracy brief (agreed)")
	for range 2 {
		for _, db := range laptops {
			must(db, "sync", "--hub", url)
		}
	}
	// The same hub over TLS, with its self-signed certificate given to the
	// laptop by --ca.
	cert, key := selfSignedCert(t, dir)
	tlsAddr := freeAddr(t)
	tlsHub := exec.CommandContext(ctx, bin, "--db", filepath.Join(dir, "hub.db"), "hub", "--listen", tlsAddr, "--tls-cert", cert, "--tls-key", key)
	tlsOut, _ := tlsHub.StdoutPipe()
	if err := tlsHub.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { tlsHub.Process.Kill(); tlsHub.Wait() }()
	if line, err := bufio.NewReader(tlsOut).ReadString('\n'); err != nil || !strings.Contains(line, "https://") {
		t.Fatalf("TLS hub did not start: %q %v", line, err)
	}
	if _, err := ld("a.db", "sync", "--hub", "https://"+tlsAddr); err == nil {
		t.Fatal("a hub with an unknown certificate was trusted without --ca")
	}
	must("a.db", "sync", "--hub", "https://"+tlsAddr, "--ca", cert)

	want := must("hub.db", "digest")
	for _, db := range laptops {
		if got := must(db, "digest"); got != want {
			t.Fatalf("%s digest %s, hub %s", db, got, want)
		}
		if got := strings.TrimSpace(must(db, "conflicts", "--json")); got != "[]" {
			t.Fatalf("%s still has conflicts: %s", db, got)
		}
		must(db, "check")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// selfSignedCert writes a certificate and key for 127.0.0.1, valid for a day.
func selfSignedCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "liaisondesk test hub"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "hub.crt"), filepath.Join(dir, "hub.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}
