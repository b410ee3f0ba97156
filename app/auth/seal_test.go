package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/auth"
)

func mustAuth(t *testing.T, secret, previous string) *auth.Auth {
	t.Helper()
	a, err := auth.New(auth.Options{PublicURL: publicURL, Secret: secret, PreviousSecret: previous})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSessionCookie(t *testing.T) {
	a := mustAuth(t, secret, "")
	sealed, err := a.SealSession("token-123", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "token-123") {
		t.Fatal("sealed cookie shows the token")
	}
	if got, err := a.OpenSession(sealed, now); err != nil || got != "token-123" {
		t.Fatalf("OpenSession=%q, %v, want token-123", got, err)
	}
	other := mustAuth(t, strings.Repeat("x", 40), "")
	rotated := mustAuth(t, strings.Repeat("x", 40), secret)
	tests := []struct {
		name string
		a    *auth.Auth
		text string
		at   time.Time
		ok   bool
	}{
		{"expired", a, sealed, now.Add(time.Hour), false},
		{"tampered", a, sealed[:10] + "A" + sealed[11:], now, sealed[10] == 'A'},
		{"garbage", a, "not base64 !!", now, false},
		{"another secret", other, sealed, now, false},
		{"previous secret after rotation", rotated, sealed, now, true},
	}
	for _, tt := range tests {
		_, err := tt.a.OpenSession(tt.text, tt.at)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err=%v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestCSRF(t *testing.T) {
	a := mustAuth(t, secret, "")
	seed := auth.NewCSRFSeed()
	tok := a.CSRFToken(seed)
	if !a.CheckCSRF(seed, tok) {
		t.Fatal("CheckCSRF refused the right token")
	}
	for _, bad := range []struct{ seed, tok string }{
		{seed, ""}, {"", tok}, {auth.NewCSRFSeed(), tok}, {seed, tok + "x"}, {seed, seed},
	} {
		if a.CheckCSRF(bad.seed, bad.tok) {
			t.Errorf("CheckCSRF(%q, %q) accepted", bad.seed, bad.tok)
		}
	}
	if mustAuth(t, strings.Repeat("y", 40), "").CSRFToken(seed) == tok {
		t.Fatal("CSRF tokens do not depend on the secret")
	}
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"":                            "/",
		"/":                           "/",
		"/conversations/4?filter=all": "/conversations/4?filter=all",
		"//evil.example.com":          "/",
		"/\\evil.example.com":         "/",
		"https://evil.example.com/":   "/",
		"javascript:alert(1)":         "/",
		"evil.example.com":            "/",
		"/\t/evil.example.com":        "/",
		"/auth/logout":                "/",
		"/%2F%2Fevil.example.com":     "/%2F%2Fevil.example.com",
	}
	for in, want := range tests {
		if got := auth.SafeNext(in); got != want {
			t.Errorf("SafeNext(%q)=%q, want %q", in, got, want)
		}
	}
}
