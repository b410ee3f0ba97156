package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/markbates/goth"
	"github.com/markbates/goth/providers/github"

	"github.com/parleyhq/parley/app/inbox"
)

// oauthState is what the browser carries, sealed, between Begin and
// Complete: it binds the provider's answer to the browser that asked.
type oauthState struct {
	State    string `json:"s"`
	Provider string `json:"p"`
	Session  string `json:"g"`
	Next     string `json:"n"`
}

// Begin starts a sign-in with the named provider. It returns the provider's
// URL to send the browser to and the value of the state cookie to set; next
// is where to go after signing in (made safe with SafeNext).
//
// Errors: ENOTFOUND for a provider that is not configured.
func (a *Auth) Begin(name, next string, now time.Time) (redirect, stateCookie string, err error) {
	p, ok := a.providers[name]
	if !ok {
		return "", "", inbox.Errorf(inbox.ENOTFOUND, "sign-in with %q is not configured", name)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	state := base64.RawURLEncoding.EncodeToString(b[:])
	sess, err := p.goth.BeginAuth(state)
	if err != nil {
		return "", "", fmt.Errorf("auth: begin %s: %w", name, err)
	}
	redirect, err = sess.GetAuthURL()
	if err != nil {
		return "", "", fmt.Errorf("auth: begin %s: %w", name, err)
	}
	st := oauthState{State: state, Provider: name, Session: sess.Marshal(), Next: SafeNext(next)}
	stateCookie, err = a.sealer.seal("oauth", st, now.Add(StateLifetime))
	if err != nil {
		return "", "", err
	}
	return redirect, stateCookie, nil
}

// Complete finishes a sign-in from the provider's callback: it checks the
// state against the browser's state cookie, exchanges the code, and asks
// the provider who the person is. It returns their identity and where to
// go next.
//
// Errors: EUNAUTHORIZED when the state is missing, expired or does not
// match, the person cancelled, or the provider refuses the code (a replayed
// or forged callback); ENOTFOUND for an unconfigured provider.
func (a *Auth) Complete(ctx context.Context, name, stateCookie string, query url.Values, now time.Time) (inbox.Identity, string, error) {
	p, ok := a.providers[name]
	if !ok {
		return inbox.Identity{}, "", inbox.Errorf(inbox.ENOTFOUND, "sign-in with %q is not configured", name)
	}
	var st oauthState
	if err := a.sealer.open("oauth", stateCookie, now, &st); err != nil {
		return inbox.Identity{}, "", inbox.Errorf(inbox.EUNAUTHORIZED, "this sign-in expired or was started in another browser; please try again")
	}
	if st.Provider != name || !hmac.Equal([]byte(st.State), []byte(query.Get("state"))) {
		return inbox.Identity{}, "", inbox.Errorf(inbox.EUNAUTHORIZED, "the sign-in could not be verified; please try again")
	}
	if e := query.Get("error"); e != "" {
		return inbox.Identity{}, "", inbox.Errorf(inbox.EUNAUTHORIZED, "sign-in was cancelled at %s", p.label)
	}
	code := query.Get("code")
	if code == "" {
		return inbox.Identity{}, "", inbox.Errorf(inbox.EUNAUTHORIZED, "%s sent no sign-in code", p.label)
	}
	sess, err := p.goth.UnmarshalSession(st.Session)
	if err != nil {
		return inbox.Identity{}, "", inbox.Errorf(inbox.EUNAUTHORIZED, "the sign-in could not be verified; please try again")
	}
	// Only the code goes to goth: it would also honour a redirect_uri or
	// code_verifier smuggled into the callback's query.
	if _, err := sess.Authorize(p.goth, url.Values{"code": {code}}); err != nil {
		return inbox.Identity{}, "", &inbox.Error{Code: inbox.EUNAUTHORIZED, Message: p.label + " did not accept the sign-in; please try again", Err: err}
	}
	user, err := fetchUser(p.goth, sess)
	// goth gives up on a GitHub account whose primary address is private
	// and unverified. That is no outage: identify reads the addresses
	// itself, and SignIn refuses the unverified one, saying why.
	if err != nil && !errors.Is(err, github.ErrNoVerifiedGitHubPrimaryEmail) {
		return inbox.Identity{}, "", &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "could not read your profile from " + p.label, Err: err}
	}
	verified, email, err := p.identify(ctx, a, user)
	if err != nil {
		return inbox.Identity{}, "", &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "could not read your email address from " + p.label, Err: err}
	}
	return inbox.Identity{
		Provider: name, ProviderLabel: p.label, ProviderUserID: user.UserID, Email: email, EmailVerified: verified,
		Name: user.Name, AvatarURL: user.AvatarURL,
	}, st.Next, nil
}

// fetchUser calls goth, turning its panics on malformed provider answers
// (a missing "exp" claim, for one) into errors.
func fetchUser(p goth.Provider, sess goth.Session) (u goth.User, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("auth: malformed answer from %s: %v", p.Name(), r)
		}
	}()
	return p.FetchUser(sess)
}
