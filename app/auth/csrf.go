package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// CSRF protection is a signed double-submit: the browser holds a random
// value in an HttpOnly cookie, and pages carry an HMAC of it that requests
// must send back. Another site can make the browser send the cookie but
// cannot read the page to learn the HMAC, and cannot compute it without the
// server's key.

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
