package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/auth/authtest"
	"github.com/parleyhq/parley/app/inbox"
)

// signInWith runs the whole provider flow: Parley's start route, the fake
// provider's authorize page, and Parley's callback. It returns the page the
// callback answered.
func (b *browser) signInWith(provider, next string) page {
	b.t.Helper()
	start := b.get("/auth/" + provider + "?next=" + url.QueryEscape(next))
	if start.status != http.StatusFound {
		b.t.Fatalf("/auth/%s=%d %s, want 302 to the provider", provider, start.status, start.body)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(start.location)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	callback, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(callback.String(), publicURL+"/auth/"+provider+"/callback") {
		b.t.Fatalf("provider sent the browser to %q, want Parley's callback", resp.Header.Get("Location"))
	}
	return b.get(callback.RequestURI())
}

func TestSignInWithEachProvider(t *testing.T) {
	for _, provider := range []string{"github", "google"} {
		t.Run(provider, func(t *testing.T) {
			ts := newTestServer(t, token)
			ts.fake.SignInAs(authtest.Account{Email: "ana@team.example.com", EmailVerified: true, Name: "Ana"})
			b := ts.browser(t)
			login := b.get("/login")
			if login.status != 200 || !strings.Contains(login.body, `href="/auth/`+provider) || b.csrf == "" {
				t.Fatalf("/login=%d, want a %s button and a CSRF token:\n%s", login.status, provider, login.body)
			}
			seedBefore := b.cookies[csrfCookieName]
			p := b.signInWith(provider, "/settings/users")
			if seedBefore == "" || b.cookies[csrfCookieName] == seedBefore {
				t.Fatal("the CSRF seed was not replaced at sign-in")
			}
			if p.status != http.StatusSeeOther || p.location != "/settings/users" {
				t.Fatalf("callback=%d to %q, want 303 to /settings/users", p.status, p.location)
			}
			var session string
			for _, c := range p.header.Values("Set-Cookie") {
				if strings.HasPrefix(c, sessionCookieName+"=") {
					session = strings.ToLower(c)
				}
			}
			for _, attr := range []string{"httponly", "samesite=lax", "secure", "max-age=2592000", "path=/"} {
				if !strings.Contains(session, attr) {
					t.Fatalf("session cookie %q lacks %s", session, attr)
				}
			}
			if home := b.get("/"); home.status != 200 {
				t.Fatalf("/ after sign-in=%d, want 200", home.status)
			}
			// An agent is refused admin pages.
			if adm := b.get("/settings/users"); adm.status != http.StatusForbidden {
				t.Fatalf("agent on /settings/users=%d, want 403", adm.status)
			}
		})
	}
}

func TestSignInRefusals(t *testing.T) {
	tests := []struct {
		name     string
		account  authtest.Account
		status   int
		contains string
		// lacks is text the page must not show.
		lacks string
	}{
		// The page names the address once, in its own sentence.
		{"not invited", authtest.Account{Email: "eve@elsewhere.com", EmailVerified: true}, http.StatusForbidden, "not-invited-email\">eve@elsewhere.com</span>", "is not invited"},
		// A GitHub account whose primary address is unverified is refused
		// with the reason and what to do, whether its profile shows an
		// address or keeps it private (where goth itself gives up).
		{"unverified email", authtest.Account{Email: "ana@team.example.com", EmailVerified: false, PublicEmail: "ana@team.example.com"}, http.StatusForbidden, "Verify your primary address with GitHub", ""},
		{"unverified private email", authtest.Account{Email: "ana@team.example.com", EmailVerified: false}, http.StatusForbidden, "Verify your primary address with GitHub", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, token)
			ts.fake.SignInAs(tt.account)
			b := ts.browser(t)
			p := b.signInWith("github", "/")
			if p.status != tt.status || !strings.Contains(p.body, tt.contains) {
				t.Fatalf("callback=%d, want %d mentioning %q:\n%s", p.status, tt.status, tt.contains, p.body)
			}
			if tt.lacks != "" && strings.Contains(p.body, tt.lacks) {
				t.Errorf("page shows %q:\n%s", tt.lacks, p.body)
			}
			if _, ok := b.cookies[sessionCookieName]; ok {
				t.Fatal("a refused sign-in got a session cookie")
			}
			if home := b.get("/"); home.status != http.StatusSeeOther {
				t.Fatalf("/ after refused sign-in=%d, want 303 to /login", home.status)
			}
		})
	}
}

func TestCallbackForgeriesAreRefused(t *testing.T) {
	ts := newTestServer(t, token)
	ts.fake.SignInAs(authtest.Account{Email: "ana@team.example.com", EmailVerified: true})
	b := ts.browser(t)
	start := b.get("/auth/github?next=/")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(start.location)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback, _ := url.Parse(resp.Header.Get("Location"))

	// Bad state: same code, forged state.
	q := callback.Query()
	forged := url.Values{"code": {q.Get("code")}, "state": {"forged"}}
	if p := b.get("/auth/github/callback?" + forged.Encode()); p.status != http.StatusUnauthorized {
		t.Fatalf("forged state=%d, want 401", p.status)
	}
	// The state cookie is single-use: the genuine callback after a failed
	// one, or a replay of a good one, is refused.
	if p := b.get(callback.RequestURI()); p.status != http.StatusUnauthorized {
		t.Fatalf("callback after the state was spent=%d, want 401", p.status)
	}
	// A replayed code with a fresh state is refused by the provider.
	b2 := ts.browser(t)
	good := b2.signInWith("github", "/")
	if good.status != http.StatusSeeOther {
		t.Fatalf("fresh sign-in=%d", good.status)
	}
	b3 := ts.browser(t)
	b3.get("/auth/github?next=/")
	replay := url.Values{"code": {q.Get("code")}, "state": {q.Get("state")}}
	if p := b3.get("/auth/github/callback?" + replay.Encode()); p.status != http.StatusUnauthorized {
		t.Fatalf("replayed code=%d, want 401", p.status)
	}
}

func TestOpenRedirectsAreRefused(t *testing.T) {
	for _, next := range []string{"//evil.example.com", "https://evil.example.com", "/\\evil.example.com", "javascript:alert(1)"} {
		ts := newTestServer(t, token)
		ts.fake.SignInAs(authtest.Account{Email: "ana@team.example.com", EmailVerified: true})
		b := ts.browser(t)
		if p := b.signInWith("github", next); p.location != "/" {
			t.Errorf("next=%q: redirected to %q, want /", next, p.location)
		}
	}
}

func TestSessionEndsOnLogoutDemotionAndRemoval(t *testing.T) {
	ts := newTestServer(t, token)
	ts.fake.SignInAs(authtest.Account{Email: "boss@example.com", EmailVerified: true})
	admin := ts.browser(t)
	admin.signInWith("github", "/")
	if p := admin.get("/settings/users"); p.status != 200 {
		t.Fatalf("admin on /settings/users=%d, want 200", p.status)
	}
	ts.fake.SignInAs(authtest.Account{Email: "ana@team.example.com", EmailVerified: true})
	agent := ts.browser(t)
	agent.signInWith("github", "/")
	ana, err := ts.store.FindUserByEmail(t.Context(), "ana@team.example.com")
	if err != nil {
		t.Fatal(err)
	}

	// Promote, then demote: each takes effect on the next request.
	form := url.Values{"role": {"admin"}}
	admin.get("/settings/users")
	if p := admin.post("/settings/users/"+itoa(ana.ID)+"/role", form, true); p.status >= 400 {
		t.Fatalf("promote=%d %s", p.status, p.body)
	}
	if p := agent.get("/settings/users"); p.status != 200 {
		t.Fatalf("promoted user on admin page=%d, want 200", p.status)
	}
	form.Set("role", "agent")
	admin.get("/settings/users")
	admin.post("/settings/users/"+itoa(ana.ID)+"/role", form, true)
	if p := agent.get("/settings/users"); p.status != http.StatusForbidden {
		t.Fatalf("demoted user on admin page=%d, want 403", p.status)
	}

	// Removal ends the session: the next page asks to sign in again.
	admin.get("/settings/users")
	if p := admin.post("/settings/users/"+itoa(ana.ID)+"/remove", nil, true); p.status >= 400 {
		t.Fatalf("remove=%d %s", p.status, p.body)
	}
	if p := agent.get("/"); p.status != http.StatusSeeOther || !strings.Contains(p.location, "expired=1") {
		t.Fatalf("removed user's next page=%d %q, want 303 to /login?…expired=1", p.status, p.location)
	}

	// Logout ends the admin's session.
	admin.get("/")
	if p := admin.post("/auth/logout", nil, true); p.status != http.StatusSeeOther || p.location != "/login" {
		t.Fatalf("logout=%d %q", p.status, p.location)
	}
	if p := admin.get("/"); p.status != http.StatusSeeOther {
		t.Fatalf("after logout /=%d, want 303", p.status)
	}
	var n int
	if err := ts.store.DB().NewRaw("SELECT count(*) FROM sessions").Scan(t.Context(), &n); err != nil || n != 0 {
		t.Fatalf("sessions left=%d (%v), want 0", n, err)
	}
}

func TestCSRFIsRequired(t *testing.T) {
	ts := newTestServer(t, token)
	ts.fake.SignInAs(authtest.Account{Email: "boss@example.com", EmailVerified: true})
	b := ts.browser(t)
	b.signInWith("github", "/")
	b.get("/settings/users")
	invite := url.Values{"email": {"new@outside.org"}, "role": {"agent"}}
	for name, p := range map[string]page{
		"missing": b.post("/settings/users", invite, false),
		"wrong":   b.post("/settings/users", url.Values{"email": {"new@outside.org"}, "role": {"agent"}, "_csrf": {"AAAA"}}, false),
	} {
		if p.status != http.StatusForbidden {
			t.Errorf("%s CSRF token: status=%d, want 403", name, p.status)
		}
	}
	if _, err := ts.store.FindUserByEmail(t.Context(), "new@outside.org"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("a request without CSRF token changed something: %v", err)
	}
	if p := b.post("/settings/users", invite, true); p.status >= 400 {
		t.Fatalf("with the token: %d %s", p.status, p.body)
	}
	if _, err := ts.store.FindUserByEmail(t.Context(), "new@outside.org"); err != nil {
		t.Fatalf("invite with a valid token did not happen: %v", err)
	}
	// Logout needs the token too, so another site cannot sign people out.
	if p := b.post("/auth/logout", nil, false); p.status != http.StatusForbidden {
		t.Fatalf("logout without token=%d, want 403", p.status)
	}
}

func TestDevelopmentSignIn(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.browser(t)
	if p := b.get("/login"); !strings.Contains(p.body, `action="/auth/dev"`) {
		t.Fatalf("development /login lacks the local admin button:\n%s", p.body)
	}
	p := b.post("/auth/dev", nil, true)
	if p.status != http.StatusSeeOther {
		t.Fatalf("/auth/dev=%d %s", p.status, p.body)
	}
	if p := b.get("/settings/users"); p.status != 200 {
		t.Fatalf("local admin on /settings/users=%d, want 200", p.status)
	}

	prod := newTestServerWith(t, testOptions{tokens: []string{token}, production: true})
	pb := prod.browser(t)
	if p := pb.get("/login"); strings.Contains(p.body, "/auth/dev") {
		t.Fatal("production /login offers the development sign-in")
	}
	if p := pb.post("/auth/dev", nil, true); p.status == http.StatusSeeOther || p.status < 400 {
		t.Fatalf("production /auth/dev=%d, want it not to exist", p.status)
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.browser(t)
	var last page
	for range 21 {
		last = b.get("/auth/github?next=/")
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("21st attempt=%d Retry-After=%q, want 429 with Retry-After", last.status, last.header.Get("Retry-After"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t, token)
	p := ts.browser(t).get("/login")
	for h, want := range map[string]string{
		"Content-Security-Policy":   "frame-ancestors 'none'",
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           "strict-origin-when-cross-origin",
		"Strict-Transport-Security": "max-age=",
	} {
		if got := p.header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s=%q, want it to contain %q", h, got, want)
		}
	}
	if csp := p.header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe scripts: %s", csp)
	}
}
