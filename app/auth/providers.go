package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/markbates/goth"
	"github.com/markbates/goth/providers/github"
	"github.com/markbates/goth/providers/openidConnect"
)

// newGoogle uses goth's OpenID Connect provider with Google's endpoints
// rather than goth's google provider, whose user-info endpoint is a
// constant: this way tests run the real flow against a fake provider, and
// the email_verified claim is available. The ID token comes straight from
// the token endpoint over TLS, which OpenID Connect accepts in place of a
// signature check (Core §3.1.3.7).
func newGoogle(g Google, callback string, client *http.Client) (*provider, error) {
	def := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	gp, err := openidConnect.NewCustomisedURL(g.ClientID, g.ClientSecret, callback,
		def(g.AuthURL, GoogleAuthURL), def(g.TokenURL, GoogleTokenURL), def(g.Issuer, GoogleIssuer),
		def(g.UserInfoURL, GoogleUserInfoURL), "", "openid", "email", "profile")
	if err != nil {
		return nil, fmt.Errorf("auth: google: %w", err)
	}
	gp.SetName("google")
	gp.HTTPClient = client
	return &provider{name: "google", label: "Google", goth: gp, identify: googleIdentity}, nil
}

func googleIdentity(_ context.Context, _ *Auth, u goth.User) (bool, string, error) {
	verified := false
	switch v := u.RawData["email_verified"].(type) {
	case bool:
		verified = v
	case string:
		verified = v == "true"
	}
	return verified, u.Email, nil
}

// newGitHub asks for user:email so the primary verified address can be
// read; BaseURL moves every endpoint to a GitHub Enterprise Server.
func newGitHub(g GitHub, callback string, client *http.Client) *provider {
	base := strings.TrimRight(g.BaseURL, "/")
	authURL, tokenURL, profileURL, emailURL := github.AuthURL, github.TokenURL, github.ProfileURL, github.EmailURL
	if base != "" && base != GitHubBaseURL {
		authURL, tokenURL = base+"/login/oauth/authorize", base+"/login/oauth/access_token"
		profileURL, emailURL = base+"/api/v3/user", base+"/api/v3/user/emails"
	}
	gp := github.NewCustomisedURL(g.ClientID, g.ClientSecret, callback, authURL, tokenURL, profileURL, emailURL, "user:email")
	gp.HTTPClient = client
	return &provider{
		name: "github", label: "GitHub", goth: gp,
		identify: func(ctx context.Context, a *Auth, u goth.User) (bool, string, error) {
			return githubPrimaryEmail(ctx, a.client, emailURL, u.AccessToken)
		},
	}
}

// githubPrimaryEmail reads the account's addresses and returns the primary
// one if GitHub has verified it. goth would use the public profile address
// when there is one, verified or not, so Parley always asks.
func githubPrimaryEmail(ctx context.Context, client *http.Client, emailURL, token string) (bool, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, emailURL, nil)
	if err != nil {
		return false, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := client.Do(req)
	if err != nil {
		return false, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, "", fmt.Errorf("auth: github emails: %s", resp.Status)
	}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&emails); err != nil {
		return false, "", fmt.Errorf("auth: github emails: %w", err)
	}
	for _, e := range emails {
		if e.Primary {
			return e.Verified, e.Email, nil
		}
	}
	// No primary address: SignIn refuses it as unverified.
	return false, "", nil
}
