package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// A hub told to stop (SIGTERM, as systemd does) takes no new connection
// but lets the sync under way finish: the device gets its answer, the
// push is applied whole, and the process exits 0 once it is done.
func TestAHubStoppedBySIGTERMFinishesTheSyncUnderWay(t *testing.T) {
	e := newE2E(t)
	hubID := e.hubStore("hub.db", "hub-term")
	lapID := e.laptop("a.db", "CMF")
	e.enrol("a.db", "hub", hubID)
	e.enrol("hub.db", "a", lapID)
	e.mustIn("a.db", `{"posting":"CMF","kind":"meeting","title":"Pushed as the hub stops","occurred_at":"2026-11-20T06:00:00Z","time_zone":"Asia/Bahrain","classification":"RESTRICTED","releasability":["USA","IND"]}`,
		"add", "exchange")
	push := e.path("push.ldbundle") // a push is a bundle to the hub
	e.must("a.db", "bundle", "create", "--to", "hub", "-o", push)
	body, err := os.ReadFile(push)
	if err != nil {
		t.Fatal(err)
	}

	addr := freeAddr(t)
	hub := exec.Command(e.bin, "--db", e.path("hub.db"), "hub", "--listen", addr)
	stdout, _ := hub.StdoutPipe()
	var logged bytes.Buffer
	hub.Stderr = &logged
	if err := hub.Start(); err != nil {
		t.Fatal(err)
	}
	defer hub.Process.Kill()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || !strings.Contains(line, "serving on") {
		t.Fatalf("hub did not start: %q %v", line, err)
	}
	url := "http://" + addr

	// The push starts: its first half is sent, the rest held back.
	pr, pw := io.Pipe()
	answer := make(chan *http.Response, 1)
	go func() {
		resp, err := http.Post(url+"/v1/sync", "application/octet-stream", pr)
		if err != nil {
			t.Error(err)
		}
		answer <- resp
	}()
	if _, err := pw.Write(body[:len(body)/2]); err != nil {
		t.Fatal(err)
	}
	inFlight := regexp.MustCompile(`(?m)^liaisondesk_hub_syncs_in_flight 1$`)
	for { // until the hub is handling it
		resp, err := http.Get(url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		m, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if inFlight.Match(m) {
			break
		}
	}

	if err := hub.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for { // the hub stops listening at once
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
	}
	if _, err := pw.Write(body[len(body)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	resp := <-answer
	if resp == nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the sync under way was not finished: %v", resp)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err := hub.Wait(); err != nil {
		t.Fatalf("the hub did not exit cleanly: %v\n%s", err, logged.String())
	}
	for _, want := range []string{"outcome=stopping", "device=a", "outcome=synced", "outcome=stopped"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("the hub's log does not say %q:\n%s", want, logged.String())
		}
	}
	// The hub holds the push whole: it relays it on to another laptop.
	otherID := e.laptop("b.db", "CMF")
	e.enrol("hub.db", "b", otherID)
	e.enrol("b.db", "hub", hubID)
	e.enrol("b.db", "a", lapID)
	relay := e.path("relay.ldbundle")
	e.must("hub.db", "bundle", "create", "--to", "b", "-o", relay)
	e.must("b.db", "bundle", "import", relay)
	if got := e.must("b.db", "list", "exchange"); !strings.Contains(got, "Pushed as the hub stops") {
		t.Fatalf("the hub does not hold the push: %q", got)
	}
	if out, errOut, err := e.run("hub.db", "", "check"); err != nil {
		t.Fatalf("the hub's store does not check clean: %v\n%s%s", err, out, errOut)
	}
}
