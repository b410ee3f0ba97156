// Package plivotest helps tests act as Plivo: a simulated Message API
// bound to the test's lifetime, and webhook requests signed the way Plivo
// signs them. It is for tests only; what ships is app/plivo/simulator, and
// the names below that only repeat the simulator's keep tests in one
// vocabulary.
package plivotest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

// SignHeaders is simulator.SignHeaders: the six signature headers of a
// webhook to fullURL, signed with token.
func SignHeaders(token, fullURL, method string, params map[string]string) http.Header {
	return simulator.SignHeaders(token, fullURL, method, params)
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

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = vs
	}
}
