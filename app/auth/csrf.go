package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// CSRF protection binds a token to something the attacker cannot choose.
// For a signed-in person that is their session: the token is an HMAC of
// the session's ID, so a cookie planted from a sibling subdomain (cookie
// tossing) changes nothing. Anonymous pages (the sign-in page) use a
// signed double-submit: the browser holds a random value in an HttpOnly
// cookie, and pages carry an HMAC of it. Another site can make the browser
// send a cookie but cannot read the page to learn the HMAC, and cannot
// compute it without the server's key.

// NewCSRFSeed returns a fresh random value for the CSRF cookie.
func NewCSRFSeed() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// CSRFToken returns the token pages carry for a CSRF cookie value.
func (a *Auth) CSRFToken(seed string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether presented is the token for seed; both must be
// non-empty. The comparison takes constant time.
func (a *Auth) CheckCSRF(seed, presented string) bool {
	if seed == "" || presented == "" {
		return false
	}
	return hmac.Equal([]byte(a.CSRFToken(seed)), []byte(presented))
}

// SessionCSRFToken returns the token pages carry for a signed-in session,
// given the session's stored ID. Its key differs from CSRFToken's, so no
// cookie value yields a session's token.
func (a *Auth) SessionCSRFToken(sessionID string) string {
	m := hmac.New(sha256.New, a.sessionCSRFKey)
	m.Write([]byte(sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckSessionCSRF reports whether presented is the token of sessionID;
// both must be non-empty. The comparison takes constant time.
func (a *Auth) CheckSessionCSRF(sessionID, presented string) bool {
	if sessionID == "" || presented == "" {
		return false
	}
	return hmac.Equal([]byte(a.SessionCSRFToken(sessionID)), []byte(presented))
}
