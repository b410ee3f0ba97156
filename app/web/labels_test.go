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

func TestLabelsSettingsAndThread(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	var ids []int64
	for i, from := range []string{"+14155550100", "+14155550101"} {
		r, err := ts.svc.Receive(ctx, inboxtest.Inbound("lb-"+itoa(int64(i)), from, "+14155550199", "hello there"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.Conversation.ID)
	}
	admin := ts.signedIn(t)
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")

	// Admins manage labels; agents cannot reach the screen.
	if p := ana.get("/settings/labels"); p.status != http.StatusForbidden {
		t.Errorf("agent GET /settings/labels=%d, want 403", p.status)
	}
	if p := ana.post("/settings/labels", url.Values{"name": {"Sneaky"}, "color": {"red"}}, true); p.status != http.StatusForbidden {
		t.Errorf("agent add label=%d, want 403", p.status)
	}
	p := admin.htmxPost("/settings/labels", url.Values{"name": {"Refund"}, "color": {"red"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="label-row"`) || strings.Contains(p.body, "<html") {
		t.Fatalf("add label=%d:\n%.300s", p.status, p.body)
	}
	for _, tt := range []struct {
		name, label, color, want string
	}{
		{"taken", "refund", "blue", "already a label"},
		{"no colour", "VIP", "", "colours offered"},
		{"blank", " ", "blue", "give the label a name"},
	} {
		p := admin.htmxPost("/settings/labels", url.Values{"name": {tt.label}, "color": {tt.color}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, tt.want) {
			t.Errorf("%s: status=%d, want 422 saying %q", tt.name, p.status, tt.want)
		}
	}
	labels, _ := ts.svc.Labels(ctx)
	if len(labels) != 1 {
		t.Fatalf("labels=%+v, want only Refund", labels)
	}
	refund := labels[0]
	if p := admin.post("/settings/labels/"+itoa(refund.ID), url.Values{"name": {"Refund due"}, "color": {"orange"}}, true); p.status != http.StatusSeeOther {
		t.Errorf("edit label=%d, want 303", p.status)
	}
	if labels, _ = ts.svc.Labels(ctx); labels[0].Name != "Refund due" || labels[0].Color != "orange" {
		t.Errorf("after edit=%+v", labels[0])
	}

	// An agent puts it on a conversation from the thread; the list filters
	// by it.
	action := "/conversations/" + itoa(ids[0]) + "/label"
	p = ana.htmxPost(action, url.Values{"label": {itoa(refund.ID)}, "on": {"true"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="label-chip"`) {
		t.Fatalf("label conversation=%d:\n%.300s", p.status, p.body)
	}
	if c, _ := ts.svc.FindConversation(ctx, ids[0]); len(c.LabelIDs) != 1 {
		t.Fatalf("labels on the conversation=%v", c.LabelIDs)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=all&label="+itoa(refund.ID)).body); len(got) != 1 || got[0] != "conversation-"+itoa(ids[0]) {
		t.Errorf("label filter rows=%v, want the labelled conversation", got)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=all").body); len(got) != 2 {
		t.Errorf("unfiltered rows=%v, want both", got)
	}
	for _, tt := range []struct {
		name   string
		do     func() page
		status int
	}{
		{"malformed label filter", func() page { return ana.htmxGet("/conversations?label=abc") }, http.StatusBadRequest},
		{"unknown label", func() page { return ana.htmxPost(action, url.Values{"label": {"9999"}, "on": {"true"}}) }, http.StatusBadRequest},
		{"malformed label", func() page { return ana.htmxPost(action, url.Values{"label": {"x"}, "on": {"true"}}) }, http.StatusBadRequest},
		{"no CSRF token", func() page { return ana.post(action, url.Values{"label": {itoa(refund.ID)}, "on": {"false"}}, false) }, http.StatusForbidden},
	} {
		if p := tt.do(); p.status != tt.status {
			t.Errorf("%s: status=%d, want %d", tt.name, p.status, tt.status)
		}
	}
	if c, _ := ts.svc.FindConversation(ctx, ids[0]); len(c.LabelIDs) != 1 {
		t.Fatalf("refusals changed the labels: %v", c.LabelIDs)
	}
	if p := ana.htmxPost(action, url.Values{"label": {itoa(refund.ID)}, "on": {"false"}}); p.status != http.StatusOK {
		t.Fatalf("take label off=%d", p.status)
	}
	if c, _ := ts.svc.FindConversation(ctx, ids[0]); len(c.LabelIDs) != 0 {
		t.Fatalf("labels after taking off=%v", c.LabelIDs)
	}
	var kinds []inbox.EventKind
	for _, e := range ts.pub.Events() {
		if e.Kind == inbox.EventConversationLabeled {
			kinds = append(kinds, e.Kind)
		}
	}
	if len(kinds) != 2 {
		t.Errorf("label events=%d, want 2 (on, off)", len(kinds))
	}

	// Deleting it.
	if p := admin.htmxPost("/settings/labels/"+itoa(refund.ID)+"/delete", url.Values{}); p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="labels-empty"`) {
		t.Errorf("delete label=%d", p.status)
	}
}
