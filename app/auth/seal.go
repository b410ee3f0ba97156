package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
)

// errSeal is every reason a sealed value is refused: tampered, made with
// another key, expired or malformed. Callers need not know which.
var errSeal = errors.New("auth: invalid or expired cookie")

// sealer encrypts and authenticates small JSON values with AES-256-GCM.
type sealer struct {
	current cipher.AEAD
	old     cipher.AEAD
}

func newSealer(secret, previous string) *sealer {
	s := &sealer{current: aead(deriveKey(secret, "parley cookie"))}
	if previous != "" {
		s.old = aead(deriveKey(previous, "parley cookie"))
	}
	return s
}

// deriveKey makes a 32-byte key for one purpose from the secret, so the
// cookie and CSRF keys differ even though one secret is configured.
func deriveKey(secret, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

func aead(key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // the key is always 32 bytes
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return g
}

// envelope carries a value with its expiry inside the ciphertext.
type envelope struct {
	Exp   int64           `json:"exp"`
	Value json.RawMessage `json:"v"`
}

// seal returns v encrypted, authenticated and bound to purpose, valid until
// exp, as URL-safe text for a cookie.
func (s *sealer) seal(purpose string, v any, exp time.Time) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(envelope{Exp: exp.Unix(), Value: raw})
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.current.NonceSize(), s.current.NonceSize()+len(plain)+s.current.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.current.Seal(nonce, nonce, plain, []byte(purpose))), nil
}

// open reverses seal, refusing anything expired at now or sealed for
// another purpose.
func (s *sealer) open(purpose, text string, now time.Time, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return errSeal
	}
	for _, a := range []cipher.AEAD{s.current, s.old} {
		if a == nil || len(data) < a.NonceSize() {
			continue
		}
		plain, err := a.Open(nil, data[:a.NonceSize()], data[a.NonceSize():], []byte(purpose))
		if err != nil {
			continue
		}
		var env envelope
		if json.Unmarshal(plain, &env) != nil || now.Unix() >= env.Exp {
			return errSeal
		}
		if json.Unmarshal(env.Value, v) != nil {
			return errSeal
		}
		return nil
	}
	return errSeal
}

// SealSession returns the session cookie's value for a session token.
func (a *Auth) SealSession(token string, exp time.Time) (string, error) {
	return a.sealer.seal("session", token, exp)
}

// OpenSession returns the session token inside a session cookie's value,
// or an error when it was tampered with, made with another secret, or has
// expired.
func (a *Auth) OpenSession(cookie string, now time.Time) (string, error) {
	var token string
	if err := a.sealer.open("session", cookie, now, &token); err != nil {
		return "", err
	}
	return token, nil
}
