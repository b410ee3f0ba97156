// Package authtest is a fake OAuth2 / OpenID Connect provider over HTTP that
// speaks both GitHub's and Google's dialects, so tests drive the real goth
// providers through the whole redirect, callback and user-info flow.
package authtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Account is the person who approves the next authorization.
type Account struct {
	ID            string
	Email         string
	EmailVerified bool
	Name          string
	// PublicEmail is GitHub's profile address, which GitHub does not
	// require to be verified; empty hides it.
	PublicEmail string
}

// Provider is a running fake provider.
type Provider struct {
	*httptest.Server
	ClientID, ClientSecret string

	mu      sync.Mutex
	account Account
	codes   map[string]Account // unused authorization codes
	tokens  map[string]Account // access tokens
	// Exchanges counts token requests, replayed ones included.
	Exchanges int
}

// New starts a fake provider; it stops at test cleanup.
func New(tb interface{ Cleanup(func()) }) *Provider {
	p := &Provider{ClientID: "client-id", ClientSecret: "client-secret", codes: map[string]Account{}, tokens: map[string]Account{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", p.authorize) // GitHub
	mux.HandleFunc("GET /o/oauth2/v2/auth", p.authorize)      // Google
	mux.HandleFunc("POST /login/oauth/access_token", p.token)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /api/v3/user", p.githubUser)
	mux.HandleFunc("GET /api/v3/user/emails", p.githubEmails)
	mux.HandleFunc("GET /v1/userinfo", p.userinfo)
	p.Server = httptest.NewServer(mux)
	tb.Cleanup(p.Close)
	return p
}

// SignInAs makes a the person who approves from now on.
func (p *Provider) SignInAs(a Account) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a.ID == "" {
		a.ID = "u-" + randomHex(4)
	}
	p.account = a
}

// Issuer is the OpenID issuer the fake signs ID tokens with.
func (p *Provider) Issuer() string { return p.URL }

// authorize plays the person approving: it redirects straight back to the
// client with a fresh code and the state it was given.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.ClientID || q.Get("redirect_uri") == "" {
		http.Error(w, "bad client", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	code := randomHex(16)
	p.codes[code] = p.account
	p.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code once; a replayed code gets invalid_grant.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Exchanges++
	a, known := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	w.Header().Set("Content-Type", "application/json")
	if id != p.ClientID || secret != p.ClientSecret || !known {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
		return
	}
	access := randomHex(16)
	p.tokens[access] = a
	json.NewEncoder(w).Encode(map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": 3600,
		"id_token": p.idToken(a),
	})
}

func (p *Provider) idToken(a Account) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	now := time.Now()
	return enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(map[string]any{
		"iss": p.Issuer(), "aud": p.ClientID, "sub": a.ID, "email": a.Email,
		"email_verified": a.EmailVerified, "name": a.Name,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}) + "." + base64.RawURLEncoding.EncodeToString([]byte("fake-signature"))
}

func (p *Provider) bearer(w http.ResponseWriter, r *http.Request) (Account, bool) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = r.URL.Query().Get("access_token")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.tokens[token]
	if !ok {
		http.Error(w, "bad token", http.StatusUnauthorized)
	}
	return a, ok
}

func (p *Provider) githubUser(w http.ResponseWriter, r *http.Request) {
	a, ok := p.bearer(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": len(a.ID) + 1000, "login": strings.Split(a.Email, "@")[0], "name": a.Name,
		"email": a.PublicEmail, "avatar_url": "https://avatars.example.com/" + a.ID,
	})
}

func (p *Provider) githubEmails(w http.ResponseWriter, r *http.Request) {
	a, ok := p.bearer(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode([]map[string]any{
		{"email": "old-" + a.Email, "primary": false, "verified": true},
		{"email": a.Email, "primary": true, "verified": a.EmailVerified},
	})
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	a, ok := p.bearer(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"sub": a.ID, "email": a.Email, "email_verified": a.EmailVerified, "name": a.Name,
		"picture": "https://avatars.example.com/" + a.ID,
	})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
