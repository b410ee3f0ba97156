package media

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SignedPath is where Plivo fetches an outbound file: the only thing
// under /media anyone may reach without signing in.
const SignedPath = "/media/signed/"

// DefaultURLLifetime is how long a signed URL works: a day, far beyond
// the time Plivo takes to fetch a message's media (it fetches when it
// sends, and a message queued at Plivo for over 3 hours fails).
const DefaultURLLifetime = 24 * time.Hour

// Signer makes and checks the HMAC signatures of media URLs and of
// attachment tokens. Every instance of a deployment must hold the same
// secret.
type Signer struct {
	secret []byte
	base   string
}

// NewSigner signs with a key derived from secret (the session secret), so
// a media URL's signature reveals nothing about the session key. base is
// PUBLIC_URL.
func NewSigner(secret, base string) *Signer {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("parley media urls"))
	return &Signer{secret: mac.Sum(nil), base: strings.TrimRight(base, "/")}
}

func (s *Signer) sum(parts ...string) []byte {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(strings.Join(parts, "\n")))
	return mac.Sum(nil)
}

// URL is the absolute URL of the file under key, good until expires.
func (s *Signer) URL(key string, expires time.Time) string {
	e := strconv.FormatInt(expires.Unix(), 10)
	q := url.Values{"expires": {e}, "signature": {hex.EncodeToString(s.sum("url", key, e))}}
	return s.base + SignedPath + key + "?" + q.Encode()
}

// SignedURL is the URL the carrier fetches key from, good for
// DefaultURLLifetime from now (inbox.MediaLinker).
func (s *Signer) SignedURL(key string, now time.Time) string {
	return s.URL(key, now.Add(DefaultURLLifetime))
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("media: the signature does not match")
	ErrExpired      = errors.New("media: the link has expired")
)

// Verify checks a signed URL's parts at now.
func (s *Signer) Verify(key, expires, signature string, now time.Time) error {
	got, err := hex.DecodeString(signature)
	if err != nil || !ValidKey(key) || !hmac.Equal(got, s.sum("url", key, expires)) {
		return ErrBadSignature
	}
	e, err := strconv.ParseInt(expires, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if !now.Before(time.Unix(e, 0)) {
		return ErrExpired
	}
	return nil
}

// Attachment is an uploaded file waiting in a draft: what the composer
// sends back with the reply, as a token the server signed, so a form
// cannot name a file it did not upload or lie about its size or type.
type Attachment struct {
	Key         string `json:"k"`
	Thumb       string `json:"t,omitempty"`
	Name        string `json:"n"`
	ContentType string `json:"c"`
	Size        int64  `json:"s"`
}

// Token is a as a signed, opaque string.
func (s *Signer) Token(a Attachment) string {
	body, _ := json.Marshal(a)
	b := base64.RawURLEncoding.EncodeToString(body)
	return b + "." + base64.RawURLEncoding.EncodeToString(s.sum("attachment", b))
}

// ParseToken returns the attachment a token names, or ErrBadSignature.
func (s *Signer) ParseToken(tok string) (Attachment, error) {
	b, sig, ok := strings.Cut(tok, ".")
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err != nil || !hmac.Equal(got, s.sum("attachment", b)) {
		return Attachment{}, ErrBadSignature
	}
	body, err := base64.RawURLEncoding.DecodeString(b)
	var a Attachment
	if err != nil || json.Unmarshal(body, &a) != nil || !ValidKey(a.Key) {
		return Attachment{}, ErrBadSignature
	}
	return a, nil
}
