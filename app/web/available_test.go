package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

func TestAvailabilityAndRoundRobin(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	ana, anaUser := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	if !strings.Contains(ana.get("/").body, `aria-checked="false"`) {
		t.Fatal("the availability switch does not start off")
	}
	p := ana.htmxPost("/me/available", url.Values{"on": {"true"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, `aria-checked="true"`) || !strings.Contains(p.body, `name="on" value="false"`) {
		t.Fatalf("switch on=%d:\n%.400s", p.status, p.body)
	}
	if p := ana.post("/me/available", url.Values{"on": {"false"}}, false); p.status != http.StatusForbidden {
		t.Errorf("no CSRF=%d, want 403", p.status)
	}
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("rr-web-1", "+14155550100", "+14155550199", "hello?"))
	if err != nil || r.Conversation.AssigneeID != anaUser.ID {
		t.Fatalf("new conversation assignee=%d err=%v, want Ana", r.Conversation.AssigneeID, err)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=mine").body); len(got) != 1 {
		t.Errorf("Ana's Mine=%v, want the new conversation", got)
	}
	if p := ana.htmxPost("/me/available", url.Values{"on": {"false"}}); !strings.Contains(p.body, `aria-checked="false"`) {
		t.Fatal("switch off failed")
	}
	r, err = ts.svc.Receive(ctx, inboxtest.Inbound("rr-web-2", "+14155550101", "+14155550199", "hi"))
	if err != nil || r.Conversation.AssigneeID != 0 {
		t.Errorf("with nobody available assignee=%d err=%v", r.Conversation.AssigneeID, err)
	}
}
