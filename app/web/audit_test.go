package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuditScreen(t *testing.T) {
	ts := newTestServer(t, token)
	admin := ts.signedIn(t)
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	if p := admin.post("/settings/users", url.Values{"email": {"sam@example.com"}, "role": {"agent"}}, true); p.status != http.StatusSeeOther && p.status != http.StatusOK {
		t.Fatalf("invite=%d", p.status)
	}
	if p := ana.get("/settings/audit"); p.status != http.StatusForbidden {
		t.Errorf("agent GET /settings/audit=%d, want 403", p.status)
	}
	p := admin.get("/settings/audit")
	if p.status != http.StatusOK {
		t.Fatalf("audit=%d", p.status)
	}
	for _, want := range []string{
		`data-action="user_invited"`, "sam@example.com",
		`data-action="sign_in"`, "Ana Ruiz", // Ana's own sign-in, by name
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("audit page lacks %s", want)
		}
	}
	if strings.Index(p.body, `data-action="user_invited"`) > strings.Index(p.body, `data-action="sign_in"`) {
		t.Error("audit log is not newest first")
	}
	if p := admin.htmxGet("/settings/audit?before=abc"); p.status != http.StatusBadRequest {
		t.Errorf("malformed cursor=%d, want 400", p.status)
	}
	if p := admin.htmxGet("/settings/audit?before=1"); p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Errorf("older page=%d, want a 200 fragment", p.status)
	}
}
