package web_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// replayable signs one request and returns a function that makes copies
// of it: same body, same headers, same nonce, as a captured request played
// again would be.
func replayable(t *testing.T, target, method string, form url.Values) func() *http.Request {
	t.Helper()
	return replayableWith(t, token, target, method, form)
}

// replayableWith is replayable for a request signed with authToken.
func replayableWith(t *testing.T, authToken, target, method string, form url.Values) func() *http.Request {
	t.Helper()
	orig := plivotest.SignedRequest(authToken, target, method, form)
	var body []byte
	if orig.Body != nil {
		body, _ = io.ReadAll(orig.Body)
	}
	return func() *http.Request {
		r := httptest.NewRequest(method, orig.URL.String(), bytes.NewReader(body))
		r.Header = orig.Header.Clone()
		return r
	}
}

func TestWebhookReplayIsRefused(t *testing.T) {
	tests := []struct {
		name   string
		target string
		method string
		form   url.Values
		// v2 drops the V3 headers, so the V2 nonce is the one checked.
		v2 bool
	}{
		{"text, V3", webhookURL, http.MethodPost, inboundForm("u-replay-3", "hello"), false},
		{"text, V2 only", webhookURL, http.MethodPost, inboundForm("u-replay-2", "hello"), true},
		{"text, GET", webhookURL, http.MethodGet, inboundForm("u-replay-g", "hello"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, token)
			again := replayable(t, tt.target, tt.method, tt.form)
			req := func() *http.Request {
				r := again()
				if tt.v2 {
					for _, h := range []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3} {
						r.Header.Del(h)
					}
				}
				return r
			}
			if status, body := ts.MustDo(t, req()); status != http.StatusOK {
				t.Fatalf("first delivery: status=%d body=%s, want 200", status, body)
			}
			before := ts.countMessages(t)
			status, body := ts.MustDo(t, req())
			if status != http.StatusConflict || !strings.Contains(body, "already received") {
				t.Fatalf("replay: status=%d body=%q, want 409 saying it was already received", status, body)
			}
			if after := ts.countMessages(t); after != before {
				t.Fatalf("messages after replay=%d, want %d: a replay changes nothing", after, before)
			}
		})
	}
}

// Plivo's retries of a webhook carry the same MessageUUID; each is a new
// request with a new nonce, and is accepted (and stored once).
func TestWebhookRetryWithNewNonceIsAccepted(t *testing.T) {
	ts := newTestServer(t, token)
	for i := range 3 {
		status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-retried", "hello")))
		if status != http.StatusOK {
			t.Fatalf("delivery %d: status=%d body=%s, want 200", i+1, status, body)
		}
	}
	if n := ts.countMessages(t); n != 2 {
		t.Fatalf("messages=%d, want 2 (the text once and its one reply)", n)
	}
}

// A request that failed committed nothing and gave its claimed nonces
// back, so the same request (same nonce) may come again, from Plivo or
// from a proxy retrying it on another instance that shares the database,
// and is accepted then.
func TestWebhookFailedRequestMayComeAgain(t *testing.T) {
	shared := mustOpenStore(t, filepath.Join(t.TempDir(), "nonces.db"))
	down := newTestServerWith(t, testOptions{tokens: []string{token}, webhooks: shared})
	down.store.Close()
	up := newTestServerWith(t, testOptions{tokens: []string{token}, webhooks: shared})
	again := replayable(t, webhookURL, http.MethodPost, inboundForm("u-failed-first", "hello"))

	if status, body := down.MustDo(t, again()); status != http.StatusServiceUnavailable {
		t.Fatalf("with the database down: status=%d body=%s, want 503", status, body)
	}
	if status, body := up.MustDo(t, again()); status != http.StatusOK {
		t.Fatalf("same request after a failure: status=%d body=%s, want 200", status, body)
	}
	if status, _ := up.MustDo(t, again()); status != http.StatusConflict {
		t.Fatalf("same request after it succeeded: status=%d, want 409", status)
	}
	if n := up.countMessages(t); n != 2 {
		t.Fatalf("messages=%d, want 2 (the text and its reply)", n)
	}
}

// A text's nonces are claimed with the text, in its transaction. A
// request refused before that (a form without its MessageUUID) spends them
// all the same: its V2 signature, which does not cover the body, cannot
// carry another body afterwards.
func TestWebhookRefusedRequestSpendsItsNonce(t *testing.T) {
	ts := newTestServer(t, token)
	form := inboundForm("u-refused", "hello")
	form.Del("MessageUUID")
	refused := plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)
	for _, h := range []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3} {
		refused.Header.Del(h)
	}
	if status, body := ts.MustDo(t, refused); status != http.StatusBadRequest {
		t.Fatalf("form without MessageUUID: status=%d body=%s, want 400", status, body)
	}
	forged := httptest.NewRequest(http.MethodPost, refused.URL.String(), strings.NewReader(inboundForm("u-forged", "hello").Encode()))
	forged.Header = refused.Header.Clone()
	forged.Header.Del("Content-Length")
	if status, body := ts.MustDo(t, forged); status != http.StatusConflict {
		t.Fatalf("its V2 signature with another body: status=%d body=%s, want 409", status, body)
	}
	if n := ts.countMessages(t); n != 0 {
		t.Fatalf("messages=%d, want none", n)
	}
}

func TestDeliveryReportReplayIsRefused(t *testing.T) {
	ds := newDeliveryServer(t)
	m := ds.MustSent(t, "on its way")
	again := replayableWith(t, dlrToken, dlrURL, http.MethodPost, report(m.ProviderUUID, "delivered", "2"))
	if status, b := ds.MustDo(t, again()); status != http.StatusOK {
		t.Fatalf("first report: status=%d body=%s, want 200", status, b)
	}
	if status, b := ds.MustDo(t, again()); status != http.StatusConflict {
		t.Fatalf("replayed report: status=%d body=%s, want 409", status, b)
	}
	if got := ds.MustFind(t, m.ID).Status; got != "delivered" {
		t.Fatalf("status=%s, want delivered", got)
	}
}

// A report is claimed with what it records, in its transaction. One that
// records nothing (no message of ours has its MessageUUID) is acknowledged,
// and its nonces are spent all the same: played again, it is refused.
func TestDeliveryReportForNoMessageSpendsItsNonce(t *testing.T) {
	ds := newDeliveryServer(t)
	again := replayableWith(t, dlrToken, dlrURL, http.MethodPost, report("not-ours", "delivered", "1"))
	if status, b := ds.MustDo(t, again()); status != http.StatusOK {
		t.Fatalf("report for no message: status=%d body=%s, want 200", status, b)
	}
	if status, b := ds.MustDo(t, again()); status != http.StatusConflict {
		t.Fatalf("the same request again: status=%d body=%s, want 409", status, b)
	}
}
