package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/auth/authtest"
	"github.com/parleyhq/parley/app/inbox"
)

const (
	secret    = "a-test-secret-that-is-long-enough-0123456789"
	publicURL = "https://sms.example.com"
)

var now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newAuth(t *testing.T, fake *authtest.Provider) *auth.Auth {
	t.Helper()
	a, err := auth.New(auth.Options{
		PublicURL: publicURL, Secret: secret,
		GitHub: &auth.GitHub{ClientID: fake.ClientID, ClientSecret: fake.ClientSecret, BaseURL: fake.URL},
		Google: &auth.Google{
			ClientID: fake.ClientID, ClientSecret: fake.ClientSecret,
			AuthURL: fake.URL + "/o/oauth2/v2/auth", TokenURL: fake.URL + "/token",
			UserInfoURL: fake.URL + "/v1/userinfo", Issuer: fake.Issuer(),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// approve follows the provider's authorize URL the way a browser would and
// returns the query Parley's callback receives.
func approve(t *testing.T, authorizeURL string) url.Values {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	return loc.Query()
}

func TestSignInFlow(t *testing.T) {
	tests := []struct {
		provider     string
		account      authtest.Account
		wantEmail    string
		wantVerified bool
		callbackPath string
	}{
		{"github", authtest.Account{Email: "ana@example.com", EmailVerified: true, Name: "Ana"}, "ana@example.com", true, "/auth/github/callback"},
		{"github", authtest.Account{Email: "bo@example.com", EmailVerified: false, PublicEmail: "bo@example.com"}, "bo@example.com", false, "/auth/github/callback"},
		// goth fails on a private, unverified primary address; Parley
		// reads it itself and reports it unverified.
		{"github", authtest.Account{Email: "ed@example.com", EmailVerified: false}, "ed@example.com", false, "/auth/github/callback"},
		{"google", authtest.Account{Email: "cy@example.com", EmailVerified: true, Name: "Cy"}, "cy@example.com", true, "/auth/google/callback"},
		{"google", authtest.Account{Email: "di@example.com", EmailVerified: false}, "di@example.com", false, "/auth/google/callback"},
	}
	for _, tt := range tests {
		t.Run(tt.provider+" "+tt.account.Email, func(t *testing.T) {
			fake := authtest.New(t)
			a := newAuth(t, fake)
			fake.SignInAs(tt.account)
			redirect, cookie, err := a.Begin(tt.provider, "/conversations/7", now)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(redirect, url.QueryEscape(publicURL+tt.callbackPath)) {
				t.Fatalf("authorize URL %q does not carry the callback %s", redirect, tt.callbackPath)
			}
			q := approve(t, redirect)
			id, next, err := a.Complete(context.Background(), tt.provider, cookie, q, now.Add(time.Minute))
			if err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if id.Email != tt.wantEmail || id.EmailVerified != tt.wantVerified || id.Provider != tt.provider || id.ProviderUserID == "" {
				t.Fatalf("identity=%+v, want %s verified=%v", id, tt.wantEmail, tt.wantVerified)
			}
			if next != "/conversations/7" {
				t.Fatalf("next=%q, want /conversations/7", next)
			}
		})
	}
}

func TestSignInRefusals(t *testing.T) {
	fake := authtest.New(t)
	a := newAuth(t, fake)
	fake.SignInAs(authtest.Account{Email: "ana@example.com", EmailVerified: true})
	begin := func() (string, url.Values) {
		redirect, cookie, err := a.Begin("github", "/", now)
		if err != nil {
			t.Fatal(err)
		}
		return cookie, approve(t, redirect)
	}
	cookie, q := begin()
	otherCookie, _ := begin()

	tampered := url.Values{"code": {q.Get("code")}, "state": {"forged"}}
	cancelled := url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}
	tests := []struct {
		name   string
		cookie string
		query  url.Values
		at     time.Time
	}{
		{"no state cookie", "", q, now},
		{"state from another browser", otherCookie, q, now},
		{"state does not match", cookie, tampered, now},
		{"expired state", cookie, q, now.Add(auth.StateLifetime + time.Second)},
		{"tampered cookie", cookie[:len(cookie)-2] + "AA", q, now},
		{"cancelled at provider", cookie, cancelled, now},
		{"another provider's callback", cookie, q, now},
	}
	for _, tt := range tests {
		provider := "github"
		if tt.name == "another provider's callback" {
			provider = "google"
		}
		_, _, err := a.Complete(context.Background(), provider, tt.cookie, tt.query, tt.at)
		if inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("%s: err=%v, want %s", tt.name, err, inbox.EUNAUTHORIZED)
		}
	}

	// The genuine callback works once; replaying the code is refused by the
	// provider.
	if _, _, err := a.Complete(context.Background(), "github", cookie, q, now); err != nil {
		t.Fatalf("genuine callback: %v", err)
	}
	if _, _, err := a.Complete(context.Background(), "github", cookie, q, now); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
		t.Fatalf("replayed code: err=%v, want %s", err, inbox.EUNAUTHORIZED)
	}
}

func TestUnknownProvider(t *testing.T) {
	a, err := auth.New(auth.Options{PublicURL: publicURL, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Providers()) != 0 {
		t.Fatalf("providers=%v, want none", a.Providers())
	}
	if _, _, err := a.Begin("github", "/", now); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("Begin(unconfigured) err=%v, want %s", err, inbox.ENOTFOUND)
	}
}

func TestShortSecretRefused(t *testing.T) {
	if _, err := auth.New(auth.Options{Secret: "short"}); err == nil {
		t.Fatal("New with a short secret succeeded")
	}
}
