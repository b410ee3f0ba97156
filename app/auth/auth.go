// Package auth signs people in with Google and GitHub (through goth),
// seals cookies, and makes and checks CSRF tokens. It knows nothing of the
// HTTP framework: the web layer moves cookies and query strings in and out.
package auth

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/markbates/goth"
)

// Google's OpenID Connect endpoints.
const (
	GoogleAuthURL     = "https://accounts.google.com/o/oauth2/v2/auth"
	GoogleTokenURL    = "https://oauth2.googleapis.com/token"
	GoogleUserInfoURL = "https://openidconnect.googleapis.com/v1/userinfo"
	GoogleIssuer      = "https://accounts.google.com"
	// GitHubBaseURL is github.com; GitHub Enterprise Server has its own.
	GitHubBaseURL = "https://github.com"
)

// Google configures Google sign-in. Empty endpoint fields take Google's;
// tests point them at a fake provider.
type Google struct {
	ClientID, ClientSecret                 string
	AuthURL, TokenURL, UserInfoURL, Issuer string
}

// GitHub configures GitHub sign-in. BaseURL moves every endpoint to a
// GitHub Enterprise Server: BASE/login/oauth/... and BASE/api/v3/...
type GitHub struct {
	ClientID, ClientSecret string
	BaseURL                string
}

// Options configure Auth.
type Options struct {
	// PublicURL is Parley's public base URL; callbacks are PublicURL +
	// /auth/{provider}/callback.
	PublicURL string
	// Secret keys cookies and CSRF tokens (SESSION_SECRET).
	Secret string
	// PreviousSecret, when set, still opens cookies sealed before a secret
	// rotation.
	PreviousSecret string
	Google         *Google
	GitHub         *GitHub
	// HTTPClient talks to the providers; nil means a client with a 10 s
	// timeout.
	HTTPClient *http.Client
}

// Auth holds the configured providers and keys. It is safe for concurrent
// use and holds no global state (goth's provider registry is not used).
type Auth struct {
	providers map[string]*provider
	order     []string
	sealer    *sealer
	csrfKey   []byte
	// sessionCSRFKey keys the tokens of signed-in sessions.
	sessionCSRFKey []byte
	client         *http.Client
}

// ProviderInfo describes a configured provider for the login page.
type ProviderInfo struct {
	Name  string
	Label string
}

// StateLifetime bounds how long a sign-in may take at the provider.
const StateLifetime = 10 * time.Minute

// New returns an Auth with every configured provider.
func New(o Options) (*Auth, error) {
	if len(o.Secret) < 32 {
		return nil, errors.New("auth: the secret must be at least 32 characters")
	}
	a := &Auth{
		providers:      map[string]*provider{},
		sealer:         newSealer(o.Secret, o.PreviousSecret),
		csrfKey:        deriveKey(o.Secret, "parley csrf"),
		sessionCSRFKey: deriveKey(o.Secret, "parley session csrf"),
		client:         o.HTTPClient,
	}
	if a.client == nil {
		a.client = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Google != nil {
		p, err := newGoogle(*o.Google, o.PublicURL+"/auth/google/callback", a.client)
		if err != nil {
			return nil, err
		}
		a.add(p)
	}
	if o.GitHub != nil {
		a.add(newGitHub(*o.GitHub, o.PublicURL+"/auth/github/callback", a.client))
	}
	return a, nil
}

func (a *Auth) add(p *provider) {
	a.providers[p.name] = p
	a.order = append(a.order, p.name)
}

// Providers lists the configured providers in a stable order.
func (a *Auth) Providers() []ProviderInfo {
	out := make([]ProviderInfo, 0, len(a.order))
	for _, name := range a.order {
		out = append(out, ProviderInfo{Name: name, Label: a.providers[name].label})
	}
	return out
}

// provider is one sign-in provider: goth's implementation plus what goth
// leaves to us (GitHub's verified address, Google's email_verified claim).
type provider struct {
	name, label string
	goth        goth.Provider
	identify    func(ctx context.Context, a *Auth, u goth.User) (verified bool, email string, err error)
}
