package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/auth/authtest"
)

// Offboarding sticks: a removed colleague whose domain is allowed is
// refused at sign-in with a page that says why, until an admin invites
// them again.
func TestRemovedPersonCannotSignInAgain(t *testing.T) {
	ts := newTestServer(t, token)
	ts.fake.SignInAs(authtest.Account{Email: "boss@example.com", EmailVerified: true})
	admin := ts.browser(t)
	admin.signInWith("github", "/")
	ts.fake.SignInAs(authtest.Account{Email: "ana@team.example.com", EmailVerified: true})
	if p := ts.browser(t).signInWith("github", "/"); p.status != http.StatusSeeOther {
		t.Fatalf("first sign-in=%d, want 303", p.status)
	}
	ana, err := ts.store.FindUserByEmail(t.Context(), "ana@team.example.com")
	if err != nil {
		t.Fatal(err)
	}
	admin.get("/settings/users")
	if p := admin.post("/settings/users/"+itoa(ana.ID)+"/remove", nil, true); p.status >= 400 {
		t.Fatalf("remove=%d %s", p.status, p.body)
	}

	again := ts.browser(t)
	p := again.signInWith("github", "/")
	if p.status != http.StatusForbidden || !strings.Contains(p.body, `data-testid="access-removed"`) ||
		!strings.Contains(p.body, "ask an admin to invite you again") {
		t.Fatalf("removed person signs in=%d, want 403 with the access-removed page:\n%s", p.status, p.body)
	}
	if _, ok := again.cookies[sessionCookieName]; ok {
		t.Fatal("a removed person got a session cookie")
	}

	admin.get("/settings/users")
	invite := url.Values{"email": {"ana@team.example.com"}, "role": {"agent"}}
	if p := admin.post("/settings/users", invite, true); p.status >= 400 {
		t.Fatalf("invite=%d %s", p.status, p.body)
	}
	if p := ts.browser(t).signInWith("github", "/"); p.status != http.StatusSeeOther {
		t.Fatalf("sign-in after the invitation=%d %s, want 303", p.status, p.body)
	}
}
