package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

func TestSnoozeFromTheThread(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("sz-1", "+14155550100", "+14155550199", "call me next week"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Conversation.ID
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	base := "/conversations/" + itoa(id)

	p := ana.htmxPost(base+"/snooze", url.Values{"for": {"168h"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="action-wake"`) || !strings.Contains(p.body, `data-testid="snoozed-marker"`) {
		t.Fatalf("snooze=%d:\n%.300s", p.status, p.body)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=open").body); len(got) != 0 {
		t.Errorf("open rows=%v, want none while snoozed", got)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=snoozed").body); len(got) != 1 {
		t.Errorf("snoozed rows=%v, want the one", got)
	}
	for _, tt := range []struct {
		name, action, value string
		status              int
	}{
		{"not a duration", "/snooze", "soon", http.StatusBadRequest},
		{"too long", "/snooze", "9999h", http.StatusBadRequest},
	} {
		if p := ana.htmxPost(base+tt.action, url.Values{"for": {tt.value}}); p.status != tt.status {
			t.Errorf("%s: status=%d, want %d", tt.name, p.status, tt.status)
		}
	}
	if p := ana.htmxPost(base+"/wake", url.Values{}); p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="snooze-menu"`) {
		t.Fatalf("wake=%d", p.status)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=open").body); len(got) != 1 {
		t.Errorf("open rows after waking=%v, want the one", got)
	}
	if _, err := ts.svc.SetConversationStatus(ctx, inbox.User{ID: 1, Role: inbox.RoleAdmin}, id, inbox.ConversationClosed); err != nil {
		t.Fatal(err)
	}
	if p := ana.htmxPost(base+"/snooze", url.Values{"for": {"1h"}}); p.status != http.StatusConflict {
		t.Errorf("snoozing a closed conversation=%d, want 409", p.status)
	}
	if p := ana.post(base+"/snooze", url.Values{"for": {"1h"}}, false); p.status != http.StatusForbidden {
		t.Errorf("no CSRF=%d, want 403", p.status)
	}
}
