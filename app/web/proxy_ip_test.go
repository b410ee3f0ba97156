package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// signInAttempt starts a GitHub sign-in from whoever the X-Forwarded-For
// header claims to be and returns the status: 302 to the provider, or 429.
func (ts *testServer) signInAttempt(t *testing.T, forwardedFor string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/auth/github?next=/", nil)
	req.Header.Set("X-Forwarded-For", forwardedFor)
	status, _ := ts.MustDo(t, req)
	return status
}

// Behind a trusted proxy the sign-in limit counts the client named by
// X-Forwarded-For; from anyone else the header is ignored and the limit
// counts the TCP peer, so a forged header buys no fresh budget. (Fiber's
// test connection comes from 0.0.0.0.)
func TestClientIPFromTrustedProxyOnly(t *testing.T) {
	const a, b = "203.0.113.10", "198.51.100.20"
	exhaust := func(t *testing.T, ts *testServer) {
		t.Helper()
		for i := range 20 {
			if got := ts.signInAttempt(t, a); got != http.StatusFound {
				t.Fatalf("attempt %d from %s=%d, want 302", i+1, a, got)
			}
		}
		if got := ts.signInAttempt(t, a); got != http.StatusTooManyRequests {
			t.Fatalf("21st attempt from %s=%d, want 429", a, got)
		}
	}

	t.Run("trusted proxy", func(t *testing.T) {
		ts := newTestServerWith(t, testOptions{tokens: []string{token}, trustedProxies: []string{"10.0.0.0/8", "0.0.0.0"}})
		exhaust(t, ts)
		if got := ts.signInAttempt(t, b); got != http.StatusFound {
			t.Fatalf("first attempt from another client %s=%d, want 302: each client has its own budget", b, got)
		}
		// Only the first address counts, and garbage is skipped.
		if got := ts.signInAttempt(t, "not-an-ip, "+a); got != http.StatusTooManyRequests {
			t.Fatalf("attempt from %q=%d, want 429: the first valid address is %s", "not-an-ip, "+a, got, a)
		}
	})
	t.Run("untrusted peer", func(t *testing.T) {
		ts := newTestServerWith(t, testOptions{tokens: []string{token}, trustedProxies: []string{"10.0.0.1"}})
		exhaust(t, ts)
		if got := ts.signInAttempt(t, b); got != http.StatusTooManyRequests {
			t.Fatalf("attempt claiming %s from an untrusted peer=%d, want 429: the header must be ignored", b, got)
		}
	})
	t.Run("no proxies configured", func(t *testing.T) {
		ts := newTestServer(t, token)
		exhaust(t, ts)
		if got := ts.signInAttempt(t, b); got != http.StatusTooManyRequests {
			t.Fatalf("attempt claiming %s without TRUSTED_PROXIES=%d, want 429", b, got)
		}
	})
}
