package gui

import (
	"context"
	"strings"
	"testing"
)

func TestANewExchangeTypedAndLeftComesBackAsADraft(t *testing.T) {
	a, s := newTestApp(t)
	a.newExchange()
	a.exchanges.form.titleEntry.SetText("Port call brief, Kochi")
	d, err := s.LoadDraft(context.Background(), "exchange", "")
	if err != nil || !strings.Contains(string(d.Body), "Port call brief, Kochi") {
		t.Fatalf("draft %s, %v: the typed title was not kept", d.Body, err)
	}
	a.showSection("Dashboard")
	a.newExchange()
	if got := a.exchanges.form.titleEntry.Text; got != "Port call brief, Kochi" {
		t.Fatalf("title %q after coming back, want the draft's", got)
	}
	if !strings.HasPrefix(a.exchanges.frame.saved.Text, "Draft restored") {
		t.Fatalf("the form says %q", a.exchanges.frame.saved.Text)
	}
}
