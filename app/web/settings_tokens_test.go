package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
)

// TestAPITokensScreen: an agent makes a token on the screen and sees its
// secret once, in the htmx answer; it works on the API; the screen never
// shows it again; the agent sees only their own tokens, an admin the
// team's; revoking on the screen stops the token at once.
func TestAPITokensScreen(t *testing.T) {
	ts := newAPIServer(t)
	admin := ts.signedIn(t)
	agent, ann := ts.agent(t, "ann@team.example.com", "Ann")

	if p := agent.get("/settings/tokens"); p.status != 200 || !strings.Contains(p.body, "Create a token") {
		t.Fatalf("agent's screen: %d", p.status)
	}
	// A refused form comes back with the reason, and nothing is made.
	p := agent.htmxPost("/settings/tokens", url.Values{"name": {"Helpdesk"}, "days": {"90"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "choose at least one scope") || strings.Contains(p.body, "<html") {
		t.Fatalf("no scopes: %d %.300s", p.status, p.body)
	}
	p = agent.htmxPost("/settings/tokens", url.Values{"name": {"Helpdesk"}, "days": {"7"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("an expiry the form does not offer: %d", p.status)
	}

	p = agent.htmxPost("/settings/tokens", url.Values{"name": {"Helpdesk sync"}, "scopes": {"read", "send"}, "days": {"30"}})
	if p.status != 200 {
		t.Fatalf("create: %d %.300s", p.status, p.body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := doc.Find(`[data-testid="api-token-secret"]`).Attr("value")
	if !strings.HasPrefix(secret, "parley_") {
		t.Fatalf("no secret shown after creating: %.500s", p.body)
	}
	if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the answer holding the secret may be cached: %q", cc)
	}
	if row := doc.Find(`[data-testid="api-token-row"]`); row.Length() != 1 || !strings.Contains(row.Text(), "read, send") {
		t.Errorf("rows after create: %d %q", row.Length(), row.Text())
	}
	ts.api(t, secret).get("/api/v1/conversations").want(t, 200)
	ts.api(t, secret).post("/api/v1/conversations/1/close", "").want(t, 403) // no manage scope

	// Never shown again.
	again := agent.get("/settings/tokens")
	if strings.Contains(again.body, secret) || !strings.Contains(again.body, "Helpdesk sync") {
		t.Fatalf("the screen shows the secret again, or not the token")
	}

	// The admin sees the team's tokens, with their owners; the agent, only
	// their own.
	admin.htmxPost("/settings/tokens", url.Values{"name": {"Admin script"}, "scopes": {"read"}, "days": {"0"}})
	adminView := admin.get("/settings/tokens").body
	if !strings.Contains(adminView, "Helpdesk sync") || !strings.Contains(adminView, "Admin script") || !strings.Contains(adminView, "Ann") {
		t.Errorf("the admin's screen lacks the team's tokens")
	}
	if strings.Contains(agent.get("/settings/tokens").body, "Admin script") {
		t.Errorf("the agent sees the admin's token")
	}

	// Revoke from the screen: the next API request is refused.
	tokens, _ := ts.svc.APITokensOf(t.Context(), ann)
	if len(tokens) != 1 {
		t.Fatalf("ann has %d tokens", len(tokens))
	}
	adminToks, _ := ts.svc.APITokensOf(t.Context(), inbox.User{Role: inbox.RoleAdmin})
	for _, at := range adminToks {
		if at.UserID != ann.ID {
			if p := agent.htmxPost("/settings/tokens/"+itoa(at.ID)+"/revoke", url.Values{}); p.status != http.StatusNotFound {
				t.Errorf("the agent revoking the admin's token: %d", p.status)
			}
		}
	}
	p = agent.htmxPost("/settings/tokens/"+itoa(tokens[0].ID)+"/revoke", url.Values{})
	if p.status != 200 || !strings.Contains(p.body, "Revoked") {
		t.Fatalf("revoke: %d %.300s", p.status, p.body)
	}
	ts.api(t, secret).get("/api/v1/conversations").want(t, 401)

	// The audit log says so, in words.
	audit := admin.get("/settings/audit").body
	for _, words := range []string{"created the API token", "revoked the API token", "Helpdesk sync"} {
		if !strings.Contains(audit, words) {
			t.Errorf("the audit log lacks %q", words)
		}
	}

	// Without the CSRF token, nothing is made.
	before, _ := ts.svc.APITokensOf(t.Context(), ann)
	agent.post("/settings/tokens", url.Values{"name": {"x"}, "scopes": {"read"}, "days": {"30"}}, false)
	if after, _ := ts.svc.APITokensOf(t.Context(), ann); len(after) != len(before) {
		t.Error("a form without the CSRF token made a token")
	}
}
