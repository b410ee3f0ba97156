// Package plivotest helps tests act as Plivo: a simulated Message API
// bound to the test's lifetime, and webhook requests signed the way Plivo
// signs them. It is for tests only; what ships is app/plivo/simulator, and
// the names below that only repeat the simulator's keep tests in one
// vocabulary.
package plivotest

import (
	"context"
	"net/http"
	"net/url"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

// SignedRequest builds a webhook request to publicURL as Plivo would send
// it, signed with token: simulator.SignedWebhook with the request sent
// straight to the URL it is signed for, ready for app.Test. It panics
// when publicURL cannot be parsed, a mistake in the calling test.
func SignedRequest(token, publicURL, method string, form url.Values) *http.Request {
	r, err := simulator.SignedWebhook(context.Background(), token, publicURL, publicURL, method, form)
	if err != nil {
		panic("plivotest: " + err.Error())
	}
	return r
}
