package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// brokenNonces is a nonce store that fails like a database that cannot
// be reached.
type brokenNonces struct{}

var errRedisDown = errors.New("dial tcp 10.1.2.3:6379: connect: connection refused")

func (brokenNonces) ClaimNonces(context.Context, []string, time.Time) (bool, error) {
	return false, errRedisDown
}
func (brokenNonces) MarkSignatureVersion(context.Context, int, time.Time) error {
	return errRedisDown
}
func (brokenNonces) SignatureVersionSeen(context.Context, int) (bool, error) {
	return false, errRedisDown
}

// No error text of Redis, the database or the OS reaches a response: the
// caller reads plain words, and the log keeps the cause under the
// request's id.
func TestInternalErrorTextIsNotShown(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestServerWith(t, testOptions{tokens: []string{token}, webhooks: brokenNonces{},
		log: slog.New(slog.NewTextHandler(&logs, nil))})
	req := plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-redis-down", "hello"))
	req.Header.Set("X-Request-ID", "req-nonce-down")
	status, body := ts.MustDo(t, req)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("nonce store down: status=%d body=%s, want 503", status, body)
	}
	for _, leak := range []string{"dial tcp", "10.1.2.3", "6379", "connection refused"} {
		if strings.Contains(body, leak) {
			t.Errorf("response shows %q: %s", leak, body)
		}
	}
	if !strings.Contains(body, "try again") {
		t.Errorf("response %s does not say what to do", body)
	}
	var logged bool
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "req-nonce-down") && strings.Contains(line, "connection refused") {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no log line holds the cause with the request id:\n%s", logs.String())
	}
}
