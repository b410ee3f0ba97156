package simulator

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// SignedWebhook builds the request Plivo makes to deliver form to target,
// signed with token for signURL: the URL Parley knows the endpoint by (its
// PUBLIC_URL and the path), which differs from target behind a proxy or
// when a tool talks to a server directly. For GET, form is merged into the
// query of both (form wins); for any other method it is the url-encoded
// body. An empty token leaves the request unsigned. It is the one builder
// for simulate, the simulated carrier's reports, the load tools and tests.
func SignedWebhook(ctx context.Context, token, target, signURL, method string, form url.Values) (*http.Request, error) {
	signed, err := url.Parse(signURL)
	if err != nil {
		return nil, fmt.Errorf("simulator: webhook URL %q: %w", signURL, err)
	}
	var (
		body   io.Reader
		params map[string]string
	)
	if method == http.MethodGet {
		to, err := url.Parse(target)
		if err != nil {
			return nil, fmt.Errorf("simulator: webhook target %q: %w", target, err)
		}
		to.RawQuery, signed.RawQuery = withForm(to.Query(), form), withForm(signed.Query(), form)
		target = to.String()
	} else {
		body = strings.NewReader(form.Encode())
		params = make(map[string]string, len(form))
		for k := range form {
			params[k] = form.Get(k)
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("simulator: webhook to %s: %w", target, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		for k, v := range SignHeaders(token, signed.String(), method, params) {
			req.Header[k] = v
		}
	}
	return req, nil
}

// withForm encodes q with form's fields added, replacing any of the same
// name.
func withForm(q, form url.Values) string {
	for k, vs := range form {
		q[k] = vs
	}
	return q.Encode()
}
