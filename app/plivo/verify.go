package plivo

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// maxPieces bounds how many comma-separated signatures of one header are
// tried; Plivo sends one per active token, so two during a rotation.
const maxPieces = 8

// Callback is one webhook request as Verify needs it.
type Callback struct {
	// URL is the public URL Plivo called (the configured one, not the one
	// seen behind a proxy), with the query string exactly as received.
	URL string
	// Method is the request method as sent, e.g. "POST".
	Method string
	// Header returns a request header by name; lookups are case-insensitive
	// on the caller's side. Nil means no headers.
	Header func(name string) string
	// Params are the form params, first value per key, of a POST. For a GET
	// they are empty and the fields are in URL's query.
	Params map[string]string
}

// Version is a Plivo signature scheme.
type Version int

// Signature versions. V2 signs the URL without its query, and the nonce;
// V3 signs the URL with its query, the method, the params and the nonce.
const (
	V2 Version = 2
	V3 Version = 3
)

// Why Verify refuses a callback, for errors.Is on its error.
var (
	// ErrNoSignature: no signature header, or no nonce for it.
	ErrNoSignature = errors.New("plivo: missing signature")
	// ErrBadSignature: no signature matches any token.
	ErrBadSignature = errors.New("plivo: signature does not match")
)

// Verify checks that cb was signed by Plivo with one of tokens (blank ones
// are ignored), so an operator can list both the main-account and the
// subaccount token, or the old and new token during a rotation.
//
// When either V3 header (X-Plivo-Signature-V3, X-Plivo-Signature-Ma-V3) is
// present, only V3 is checked, with the V3 nonce; a failed V3 never falls
// back to V2, whose signature does not cover the body. Otherwise the V2
// headers are checked with the V2 nonce. Each header may hold several
// comma-separated signatures; pieces are trimmed and compared in constant
// time against every token.
//
// Errors: EFORBIDDEN with the message "missing Plivo signature", "missing
// signature nonce" (both wrapping ErrNoSignature) or "Plivo signature does
// not match" (wrapping ErrBadSignature).
func Verify(tokens []string, cb Callback) error {
	_, err := VerifyVersion(tokens, cb)
	return err
}

// VerifyVersion is Verify, and says which version's signature matched: V3
// when a V3 header was present, V2 otherwise. Only a V3 match proves the
// params and the query are Plivo's.
func VerifyVersion(tokens []string, cb Callback) (Version, error) {
	header := cb.Header
	if header == nil {
		header = func(string) string { return "" }
	}
	v3 := []string{header(HeaderSignatureV3), header(HeaderSignatureMaV3)}
	v2 := []string{header(HeaderSignatureV2), header(HeaderSignatureMaV2)}
	useV3 := v3[0] != "" || v3[1] != ""
	if !useV3 && v2[0] == "" && v2[1] == "" {
		return 0, forbidden("missing Plivo signature", ErrNoSignature)
	}
	version, nonceName, sigs := V2, HeaderNonceV2, v2
	if useV3 {
		version, nonceName, sigs = V3, HeaderNonceV3, v3
	}
	nonce := header(nonceName)
	if nonce == "" {
		return 0, forbidden("missing signature nonce", ErrNoSignature)
	}
	var msg string
	if useV3 {
		s, err := stringToSignV3(cb.URL, cb.Method, cb.Params)
		if err != nil {
			return 0, forbidden("Plivo signature does not match", fmt.Errorf("%w: %w", ErrBadSignature, err))
		}
		msg = s + "." + nonce
	} else {
		u, err := url.Parse(cb.URL)
		if err != nil {
			return 0, forbidden("Plivo signature does not match", fmt.Errorf("%w: %w", ErrBadSignature, err))
		}
		msg = baseURL(u) + nonce
	}
	if !matchAny(tokens, msg, sigs) {
		return 0, forbidden("Plivo signature does not match", ErrBadSignature)
	}
	return version, nil
}

// matchAny reports whether a piece of any header value equals the signature
// of msg under any non-blank token. It does not stop at the first match, so
// the time taken does not say which piece matched.
func matchAny(tokens []string, msg string, values []string) bool {
	var pieces [][]byte
	for _, v := range values {
		for i, p := range strings.SplitN(v, ",", maxPieces+1) {
			if i == maxPieces {
				break // the unsplit rest
			}
			if p = strings.TrimSpace(p); p != "" {
				pieces = append(pieces, []byte(p))
			}
		}
	}
	ok := false
	for _, tok := range tokens {
		if strings.TrimSpace(tok) == "" {
			continue
		}
		want := []byte(sign(tok, msg))
		for _, p := range pieces {
			if hmac.Equal(p, want) {
				ok = true
			}
		}
	}
	return ok
}

func forbidden(msg string, cause error) error {
	return &inbox.Error{Code: inbox.EFORBIDDEN, Message: msg, Err: cause}
}

// Nonces are every signature nonce a callback carries, each prefixed
// with its version ("v2:", "v3:"), whether or not Verify checked it. A
// request signed both ways names itself by both: remembering only the
// nonce that was checked would let its V2 signature, which does not cover
// the body, be played again with another body.
func Nonces(header func(name string) string) []string {
	var out []string
	if n := header(HeaderNonceV2); n != "" {
		out = append(out, "v2:"+n)
	}
	if n := header(HeaderNonceV3); n != "" {
		out = append(out, "v3:"+n)
	}
	return out
}
