package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

func TestCannedRepliesSettingsAndThread(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("cn-1", "+14155550100", "+14155550199", "hello"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Conversation.ID
	admin := ts.signedIn(t)
	ana, anaUser := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	if _, err := ts.svc.SaveContact(ctx, anaUser, id, inbox.Contact{Name: "Maria Lopez"}); err != nil {
		t.Fatal(err)
	}

	if p := ana.get("/settings/canned"); p.status != http.StatusForbidden {
		t.Errorf("agent GET /settings/canned=%d, want 403", p.status)
	}
	p := admin.htmxPost("/settings/canned", url.Values{"name": {"thanks"}, "body": {"Thanks {{first_name}}, {{my_name}} here."}})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-name="thanks"`) {
		t.Fatalf("add=%d:\n%.300s", p.status, p.body)
	}
	p = admin.htmxPost("/settings/canned", url.Values{"name": {"oops"}, "body": {"Hi {{frist_name}}"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "{{frist_name}} is not a placeholder") || !strings.Contains(p.body, "Hi {{frist_name}}") {
		t.Errorf("bad placeholder=%d, want 422 naming it with the draft kept", p.status)
	}

	// The thread offers it filled for the contact and the agent viewing.
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(ana.htmxGet("/conversations/" + itoa(id)).body))
	choice := doc.Find(`[data-testid="canned-choice"][data-name="thanks"]`)
	if got := choice.AttrOr("data-text", ""); got != "Thanks Maria, Ana here." {
		t.Errorf("filled text=%q, want Thanks Maria, Ana here.", got)
	}

	rs, _ := ts.svc.CannedReplies(ctx)
	if p := admin.post("/settings/canned/"+itoa(rs[0].ID), url.Values{"name": {"thanks"}, "body": {"Thank you!"}}, true); p.status != http.StatusSeeOther {
		t.Errorf("edit=%d", p.status)
	}
	if p := admin.htmxPost("/settings/canned/"+itoa(rs[0].ID)+"/delete", url.Values{}); p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="canned-empty"`) {
		t.Errorf("delete=%d", p.status)
	}
}
