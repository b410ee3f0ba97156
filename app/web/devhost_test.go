package web_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// tunnelURL is a PUBLIC_URL that is not this machine: a tunnel's address.
const tunnelURL = "https://parley-dev.trycloudflare.com"

// In development, only this machine's names and PUBLIC_URL's host are
// answered, so a web page on another site cannot rebind its own name to
// 127.0.0.1 and drive the development server.
func TestDevelopmentAnswersOnlyLocalHosts(t *testing.T) {
	dev := newTestServerWith(t, testOptions{tokens: []string{token}, publicURL: tunnelURL})
	prod := newTestServerWith(t, testOptions{tokens: []string{token}, publicURL: tunnelURL, production: true})
	tests := []struct {
		host    string
		refused bool
	}{
		{"localhost", false},
		{"localhost:3000", false},
		{"LOCALHOST:3000", false},
		{"127.0.0.1:3000", false},
		{"127.8.9.10", false},
		{"[::1]:3000", false},
		{"parley-dev.trycloudflare.com", false},
		{"parley-dev.trycloudflare.com:443", false},
		{"evil.example", true},
		{"evil.example:3000", true},
		{"localhost.evil.example", true},
		{"parley-dev.trycloudflare.com.evil.example", true},
		{"10.0.0.5:3000", true},
		{"[::2]:3000", true},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		req.Host = tt.host
		status, body := dev.MustDo(t, req)
		if refused := status == http.StatusMisdirectedRequest; refused != tt.refused {
			t.Errorf("development, Host %q: %d, want refused=%v", tt.host, status, tt.refused)
		}
		if tt.refused && !strings.Contains(body, "localhost") {
			t.Errorf("development, Host %q: body %.200q does not say which names are answered", tt.host, body)
		}
		req = httptest.NewRequest(http.MethodGet, "/login", nil)
		req.Host = tt.host
		if status, _ := prod.MustDo(t, req); status != http.StatusOK {
			t.Errorf("production, Host %q: %d, want 200 (the proxy checks names)", tt.host, status)
		}
	}
}

// Behind a tunnel, development's "Continue as local admin" would make
// anyone on the internet an admin: it is refused, hidden, and the server
// warns at start.
func TestDevelopmentSignInRefusedBehindTunnel(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestServerWith(t, testOptions{tokens: []string{token}, publicURL: tunnelURL,
		log: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "local admin") {
		t.Errorf("start-up log lacks a warning about the local admin sign-in:\n%s", logs.String())
	}
	b := ts.browser(t)
	b.host = "parley-dev.trycloudflare.com"
	if p := b.get("/login"); p.status != http.StatusOK || strings.Contains(p.body, "/auth/dev") {
		t.Fatalf("/login behind a tunnel=%d and offers the local admin: %.300s", p.status, p.body)
	}
	p := b.post("/auth/dev", nil, true)
	if p.status != http.StatusForbidden {
		t.Fatalf("/auth/dev behind a tunnel=%d, want 403", p.status)
	}
	if _, ok := b.cookies[sessionCookieName]; ok {
		t.Fatal("/auth/dev behind a tunnel set a session cookie")
	}
}
