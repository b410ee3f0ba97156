package plivo

import (
	"crypto/hmac"
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
// signature nonce" or "Plivo signature does not match".
func Verify(tokens []string, cb Callback) error {
	header := cb.Header
	if header == nil {
		header = func(string) string { return "" }
	}
	v3 := []string{header(HeaderSignatureV3), header(HeaderSignatureMaV3)}
	v2 := []string{header(HeaderSignatureV2), header(HeaderSignatureMaV2)}
	useV3 := v3[0] != "" || v3[1] != ""
	if !useV3 && v2[0] == "" && v2[1] == "" {
		return forbidden("missing Plivo signature", nil)
	}
	nonceName, sigs := HeaderNonceV2, v2
	if useV3 {
		nonceName, sigs = HeaderNonceV3, v3
	}
	nonce := header(nonceName)
	if nonce == "" {
		return forbidden("missing signature nonce", nil)
	}

	var msg string
	if useV3 {
		s, err := stringToSignV3(cb.URL, cb.Method, cb.Params)
		if err != nil {
			return forbidden("Plivo signature does not match", err)
		}
		msg = s + "." + nonce
	} else {
		u, err := url.Parse(cb.URL)
		if err != nil {
			return forbidden("Plivo signature does not match", err)
		}
		msg = baseURL(u) + nonce
	}
	if !matchAny(tokens, msg, sigs) {
		return forbidden("Plivo signature does not match", nil)
	}
	return nil
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

// Nonce is the nonce of the signature Verify checks: the V3 nonce when a V3
// signature header is present, the V2 nonce otherwise. Plivo makes it
// unique per request, so it names a request for replay protection.
func Nonce(header func(name string) string) string {
	if header(HeaderSignatureV3) != "" || header(HeaderSignatureMaV3) != "" {
		if n := header(HeaderNonceV3); n != "" {
			return "v3:" + n
		}
		return ""
	}
	if n := header(HeaderNonceV2); n != "" {
		return "v2:" + n
	}
	return ""
}
