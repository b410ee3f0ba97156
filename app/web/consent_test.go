package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// Opting a contact back in by hand is an admin's decision with a reason:
// an agent sees no button (and is told a contact resubscribes by texting
// START) and is refused 403; an admin without a reason gets 422 naming the
// field; with one, the contact is opted in and the thread's consent
// history shows the reason.
func TestOptInByHandIsAdminOnlyWithAReason(t *testing.T) {
	ts := newTestServer(t, token)
	if status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("stop-1", "STOP"))); status != http.StatusOK {
		t.Fatalf("webhook=%d %s", status, body)
	}
	optedOut := func() bool {
		c, err := ts.svc.FindConversation(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return c.OptedOut()
	}
	if !optedOut() {
		t.Fatal("STOP did not opt the contact out")
	}
	const target = "/conversations/1/opt-in"
	const reason = "Rang on 3 May asking for delivery texts again"

	agent, _ := ts.agent(t, "ann@team.example.com", "Ann")
	doc := mustDoc(t, agent.get("/conversations/1"))
	if n := doc.Find(`[data-testid="action-opt-in"]`).Length(); n != 0 {
		t.Errorf("agent sees %d opt-in buttons, want 0", n)
	}
	if got := doc.Find(`[data-testid="opt-in-admin-only"]`).Text(); !strings.Contains(got, "START") {
		t.Errorf("agent's note=%q, want it to say the contact texts START", got)
	}
	if p := agent.htmxPost(target, url.Values{"reason": {reason}}); p.status != http.StatusForbidden || !strings.Contains(p.body, "START") {
		t.Errorf("agent opt-in=%d %q, want 403 saying why", p.status, p.body)
	}

	admin := ts.signedIn(t)
	form := mustDoc(t, admin.get("/conversations/1")).Find(`form[action="` + target + `"]`)
	if form.Find(`textarea[name="reason"][required]`).Length() != 1 || form.Find(`[data-testid="action-opt-in"]`).Length() != 1 {
		t.Errorf("admin's opt-in form lacks a required reason or its button")
	}
	if p := admin.htmxPost(target, url.Values{"reason": {"   "}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "reason") {
		t.Errorf("admin opt-in without a reason=%d %q, want 422 naming the reason", p.status, p.body)
	}
	if !optedOut() {
		t.Fatal("a refused opt-in opted the contact back in")
	}
	p := admin.htmxPost(target, url.Values{"reason": {reason}})
	if p.status != http.StatusOK {
		t.Fatalf("admin opt-in=%d %s", p.status, p.body)
	}
	if optedOut() {
		t.Fatal("contact still opted out after the admin's opt-in")
	}
	if got := mustDoc(t, p).Find(`[data-testid="consent-event"][data-kind="opt_in"]`).Text(); !strings.Contains(got, reason) {
		t.Errorf("consent history shows %q, want the reason", got)
	}
}
