package plivo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// Header names of Plivo's webhook signatures. The -Ma- variants are keyed
// with the main account's token, the others with the token of the account or
// subaccount that owns the number.
const (
	HeaderSignatureV2   = "X-Plivo-Signature-V2"
	HeaderSignatureMaV2 = "X-Plivo-Signature-Ma-V2"
	HeaderNonceV2       = "X-Plivo-Signature-V2-Nonce"
	HeaderSignatureV3   = "X-Plivo-Signature-V3"
	HeaderSignatureMaV3 = "X-Plivo-Signature-Ma-V3"
	HeaderNonceV3       = "X-Plivo-Signature-V3-Nonce"
)

// SignatureV2 returns Plivo's V2 signature of a callback: base64 of
// HMAC-SHA256(token, scheme://host[:port]path + nonce). The query and
// fragment of rawURL are not signed, and neither is the body. It returns ""
// when rawURL cannot be parsed; "" never verifies.
func SignatureV2(token, rawURL, nonce string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return sign(token, baseURL(u)+nonce)
}

// SignatureV3 returns Plivo's V3 signature of a callback: base64 of
// HMAC-SHA256(token, stringToSign + "." + nonce), where the string to sign
// is built from rawURL, method and params as plivo-go's GenerateUrl does.
// For a GET callback pass the full URL and no params.
//
// Errors: EINVALID (field "url") when rawURL cannot be parsed.
func SignatureV3(token, rawURL, method, nonce string, params map[string]string) (string, error) {
	s, err := stringToSignV3(rawURL, method, params)
	if err != nil {
		return "", err
	}
	return sign(token, s+"."+nonce), nil
}

// stringToSignV3 mirrors plivo-go's GenerateUrl without its two TrimRight
// slips: plivo-go trims every trailing "." (POST with a query) or "&" (k=v
// lists) from the whole string, so a last value ending in one of those loses
// it. Here only the separator itself is left out.
func stringToSignV3(rawURL, method string, params map[string]string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", &inbox.Error{Code: inbox.EINVALID, Field: "url", Message: "callback URL cannot be parsed", Err: err}
	}
	var b strings.Builder
	// One allocation for the whole string in the common case (a POST's
	// params): the URL, each key and value, and the separators.
	size := len(rawURL) + 2
	for k, v := range params {
		size += len(k) + len(v) + 2
	}
	b.Grow(size)
	b.WriteString(baseURL(u))
	hasQuery := u.RawQuery != ""
	if len(params) > 0 || hasQuery {
		b.WriteByte('?')
	}
	// plivo-go compares the method exactly; net/http hands it over as sent.
	switch {
	case method == http.MethodGet:
		m := firstValues(u.Query())
		maps.Copy(m, params) // params win, as in plivo-go (Python lets the query win)
		writePairs(&b, m)
	case hasQuery:
		writePairs(&b, firstValues(u.Query()))
		if len(params) > 0 {
			b.WriteByte('.')
			writeConcat(&b, params)
		}
	default:
		writeConcat(&b, params)
	}
	return b.String(), nil
}

// baseURL is scheme://host[:port]path, the path in decoded form as
// plivo-go's url.URL.Path has it.
func baseURL(u *url.URL) string {
	return u.Scheme + "://" + u.Host + u.Path
}

func firstValues(q url.Values) map[string]string {
	m := make(map[string]string, len(q))
	for k, vs := range q {
		if len(vs) > 0 {
			m[k] = vs[0]
		}
	}
	return m
}

// writePairs writes k=v pairs sorted by key in byte order, joined by "&",
// values decoded (not re-encoded).
func writePairs(b *strings.Builder, m map[string]string) {
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
	}
}

// writeConcat writes key then value for each param sorted by key, with no
// separators at all; an empty value still contributes its key.
func writeConcat(b *strings.Builder, m map[string]string) {
	for _, k := range sortedKeys(m) {
		b.WriteString(k)
		b.WriteString(m[k])
	}
}

// sortedKeys is m's keys in byte order, in one allocation
// (slices.Sorted(maps.Keys(m)) grows its slice as it goes).
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sign(token, msg string) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
