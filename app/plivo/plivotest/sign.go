// Package plivotest helps tests and the simulate command act as Plivo:
// it signs webhook requests the way Plivo does.
package plivotest

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/app/plivo"
)

// SignHeaders returns the six signature headers Plivo puts on a callback to
// fullURL (with its query): V2, Ma-V2 and the V2 nonce, V3, Ma-V3 and the V3
// nonce, each nonce fresh and random. token signs both the plain and the Ma
// variants. params are the POST form params (first value per key); pass nil
// for a GET, whose fields are in fullURL. It panics when fullURL cannot be
// parsed, a mistake in the calling test.
func SignHeaders(token, fullURL, method string, params map[string]string) http.Header {
	n2, n3 := Nonce(), Nonce()
	v3, err := plivo.SignatureV3(token, fullURL, method, n3, params)
	if err != nil {
		panic("plivotest: " + err.Error())
	}
	v2 := plivo.SignatureV2(token, fullURL, n2)
	h := http.Header{}
	h.Set(plivo.HeaderSignatureV2, v2)
	h.Set(plivo.HeaderSignatureMaV2, v2)
	h.Set(plivo.HeaderNonceV2, n2)
	h.Set(plivo.HeaderSignatureV3, v3)
	h.Set(plivo.HeaderSignatureMaV3, v3)
	h.Set(plivo.HeaderNonceV3, n3)
	return h
}

// SignedRequest builds a webhook request to publicURL as Plivo would send
// it, signed with token: for GET, form is merged into publicURL's query
// (form wins); for any other method, form is the url-encoded body. The
// request is an httptest one, ready for a handler or app.Test. It panics
// when publicURL cannot be parsed, a mistake in the calling test.
func SignedRequest(token, publicURL, method string, form url.Values) *http.Request {
	u, err := url.Parse(publicURL)
	if err != nil {
		panic("plivotest: " + err.Error())
	}
	var r *http.Request
	if method == http.MethodGet {
		q := u.Query()
		for k, vs := range form {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		target := u.String()
		r = httptest.NewRequest(method, target, nil)
		copyHeader(r.Header, SignHeaders(token, target, method, nil))
		return r
	}
	r = httptest.NewRequest(method, publicURL, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	params := make(map[string]string, len(form))
	for k, vs := range form {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	copyHeader(r.Header, SignHeaders(token, publicURL, method, params))
	return r
}

// Nonce returns a fresh random nonce shaped like Plivo's: 20 decimal
// digits.
func Nonce() string {
	var b [20]byte
	rand.Read(b[:]) // never fails
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b[:])
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = vs
	}
}
