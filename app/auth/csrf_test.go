package auth_test

import (
	"testing"

	"github.com/parleyhq/parley/app/auth"
)

// A session's CSRF token opens only that session, and no cookie seed
// (which a sibling subdomain could plant) yields it.
func TestSessionCSRFToken(t *testing.T) {
	a, err := auth.New(auth.Options{Secret: "a-test-session-secret-that-is-long-enough"})
	if err != nil {
		t.Fatal(err)
	}
	const id = "5f2b9c"
	tok := a.SessionCSRFToken(id)
	tests := []struct {
		name      string
		id, token string
		want      bool
	}{
		{"its own session", id, tok, true},
		{"another session", "5f2b9d", tok, false},
		{"the seed token of the same text", id, a.CSRFToken(id), false},
		{"no token", id, "", false},
		{"no session", "", a.SessionCSRFToken(""), false},
	}
	for _, tt := range tests {
		if got := a.CheckSessionCSRF(tt.id, tt.token); got != tt.want {
			t.Errorf("%s: CheckSessionCSRF=%v, want %v", tt.name, got, tt.want)
		}
	}
}
