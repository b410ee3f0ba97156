package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/auth/authtest"
	"github.com/parleyhq/parley/app/inbox"
)

// signedInAdmin returns a browser signed in as a bootstrap admin, on the
// users page.
func signedInAdmin(t *testing.T, ts *testServer) *browser {
	t.Helper()
	ts.fake.SignInAs(authtest.Account{Email: "boss@example.com", EmailVerified: true})
	b := ts.browser(t)
	if p := b.signInWith("github", "/"); p.status != http.StatusSeeOther {
		t.Fatalf("sign-in=%d", p.status)
	}
	b.get("/settings/users")
	return b
}

// A CSRF cookie planted from a sibling subdomain (cookie tossing), with
// the token a page issued for it, does not work for a signed-in person:
// their token comes from their session.
func TestCSRFPlantedCookieIsRefused(t *testing.T) {
	ts := newTestServer(t, token)
	attacker := ts.browser(t)
	attacker.get("/login")
	var seedName, seed string
	for name, v := range attacker.cookies {
		if strings.HasSuffix(name, "parley_csrf") {
			seedName, seed = name, v
		}
	}
	if seed == "" || attacker.csrf == "" {
		t.Fatalf("anonymous /login gave no CSRF seed and token: %v", attacker.cookies)
	}
	victim := signedInAdmin(t, ts)
	// A sibling can only toss the unprefixed name; the prefixed one is
	// planted too, to prove the token no longer depends on any cookie.
	victim.cookies["parley_csrf"] = seed
	victim.cookies[seedName] = seed
	form := url.Values{"email": {"mallory@outside.org"}, "role": {"admin"}, "_csrf": {attacker.csrf}}
	req := httptest.NewRequest(http.MethodPost, "/settings/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := victim.do(req); p.status != http.StatusForbidden {
		t.Fatalf("planted CSRF cookie and its token: status=%d, want 403", p.status)
	}
	if _, err := ts.store.FindUserByEmail(t.Context(), "mallory@outside.org"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("the forged invitation happened: %v", err)
	}
}

// The token is read from the X-CSRF-Token header or the body's _csrf,
// never from the query string, where it would leak into logs, history
// and Referer headers.
func TestCSRFTokenInQueryIsIgnored(t *testing.T) {
	ts := newTestServer(t, token)
	b := signedInAdmin(t, ts)
	form := url.Values{"email": {"new@outside.org"}, "role": {"agent"}}
	req := httptest.NewRequest(http.MethodPost, "/settings/users?_csrf="+url.QueryEscape(b.csrf), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := b.do(req); p.status != http.StatusForbidden {
		t.Fatalf("token in the query: status=%d, want 403", p.status)
	}
	if _, err := ts.store.FindUserByEmail(t.Context(), "new@outside.org"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("a request with the token in its query changed something: %v", err)
	}
	// The same token in the body, or in the header, works.
	if p := b.post("/settings/users", form, true); p.status >= 400 {
		t.Fatalf("token in the body: %d", p.status)
	}
	req = httptest.NewRequest(http.MethodPost, "/settings/users", strings.NewReader(url.Values{"email": {"two@outside.org"}, "role": {"agent"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf)
	if p := b.do(req); p.status >= 400 {
		t.Fatalf("token in the header: %d", p.status)
	}
}

// Under https every cookie is __Host- prefixed (Secure, Path=/, no
// Domain), so no sibling subdomain can set or shadow it.
func TestCookiesAreHostPrefixedUnderHTTPS(t *testing.T) {
	ts := newTestServer(t, token)
	ts.fake.SignInAs(authtest.Account{Email: "boss@example.com", EmailVerified: true})
	b := ts.browser(t)
	var setCookies []string
	collect := func(p page) { setCookies = append(setCookies, p.header.Values("Set-Cookie")...) }
	collect(b.get("/login"))
	start := b.get("/auth/github?next=/")
	collect(start)
	collect(b.signInWith("github", "/"))
	names := map[string]bool{}
	for _, c := range setCookies {
		name, _, _ := strings.Cut(c, "=")
		names[name] = true
		lc := strings.ToLower(c)
		if !strings.HasPrefix(name, "__Host-") || !strings.Contains(lc, "secure") ||
			!strings.Contains(lc, "path=/;") && !strings.HasSuffix(lc, "path=/") || strings.Contains(lc, "domain=") {
			t.Errorf("cookie %q: want a __Host- name, Secure, Path=/ and no Domain", c)
		}
	}
	for _, want := range []string{"__Host-parley_session", "__Host-parley_csrf", "__Host-parley_oauth"} {
		if !names[want] {
			t.Errorf("no %s among the cookies set: %v", want, names)
		}
	}
}

// A page whose session has since ended (signed out elsewhere, removed,
// expired) is told so, as before the token came from the session: 401,
// not a 403 blaming the form.
func TestCSRFAfterTheSessionEndedSaysSo(t *testing.T) {
	ts := newTestServer(t, token)
	b := signedInAdmin(t, ts)
	if _, err := ts.store.DB().NewDelete().TableExpr("sessions").Where("1 = 1").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	p := b.post("/settings/users", url.Values{"email": {"late@outside.org"}, "role": {"agent"}}, true)
	if p.status != http.StatusUnauthorized {
		t.Fatalf("post from a page of an ended session=%d, want 401", p.status)
	}
	if _, err := ts.store.FindUserByEmail(t.Context(), "late@outside.org"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("a post from an ended session changed something: %v", err)
	}
}
