package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/replay"
)

// v3Headers are the headers of a V3 signature; without them a request
// carries only its V2 signature, which covers the URL and the nonce.
var v3Headers = []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3}

func stripV3(r *http.Request) *http.Request {
	for _, h := range v3Headers {
		r.Header.Del(h)
	}
	return r
}

// forgedFrom is a request with the headers of a captured one and a body
// of the attacker's choosing.
func forgedFrom(captured http.Header, target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header = captured.Clone()
	return r
}

func (ts *testServer) countOptedOut(tb testing.TB) int {
	tb.Helper()
	var n int
	if err := ts.store.DB().NewRaw("SELECT count(*) FROM conversations WHERE opted_out_at IS NOT NULL").Scan(context.Background(), &n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// A captured dual-signed request, replayed with its V3 headers stripped
// and a body of the attacker's (Text=STOP), must not opt the customer out:
// the V2 signature covers neither the body nor the query.
func TestWebhookDowngradedReplayIsRefused(t *testing.T) {
	ts := newTestServer(t, token)
	orig := plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-dual", "hello"))
	captured := orig.Header.Clone()
	if status, body := ts.MustDo(t, orig); status != http.StatusOK {
		t.Fatalf("genuine request: status=%d body=%s, want 200", status, body)
	}
	before := ts.countMessages(t)
	forged := stripV3(forgedFrom(captured, webhookURL, inboundForm("u-forged", "STOP").Encode()))
	status, body := ts.MustDo(t, forged)
	if status != http.StatusForbidden && status != http.StatusConflict {
		t.Fatalf("forged STOP: status=%d body=%s, want it refused (403 or 409)", status, body)
	}
	if n := ts.countOptedOut(t); n != 0 {
		t.Fatalf("conversations opted out=%d, want 0: a forged STOP changes nothing", n)
	}
	if after := ts.countMessages(t); after != before {
		t.Fatalf("messages=%d, want %d", after, before)
	}
}

// Once the account has sent a valid V3 request, a request signed with V2
// alone is a downgrade, even with a nonce never seen.
func TestWebhookV2OnlyRefusedOnceV3Seen(t *testing.T) {
	ts := newTestServer(t, token)
	if status, body := ts.MustDo(t, stripV3(plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-v2-first", "hello")))); status != http.StatusOK {
		t.Fatalf("V2 before any V3: status=%d body=%s, want 200 (the account may sign with V2 only)", status, body)
	}
	if status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-v3", "hello"))); status != http.StatusOK {
		t.Fatalf("V3: status=%d body=%s, want 200", status, body)
	}
	before := ts.countMessages(t)
	status, body := ts.MustDo(t, stripV3(plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-v2-after", "STOP"))))
	if status != http.StatusForbidden || !strings.Contains(body, "V3") {
		t.Fatalf("V2 after V3: status=%d body=%q, want 403 naming V3", status, body)
	}
	if after := ts.countMessages(t); after != before || ts.countOptedOut(t) != 0 {
		t.Fatalf("messages=%d (want %d), opted out=%d (want 0)", after, before, ts.countOptedOut(t))
	}
}

// A nonce is remembered in the database, so a restart (a new server over
// the same database, with no Redis) does not forget it.
func TestWebhookNonceOutlivesRestart(t *testing.T) {
	dsn := t.TempDir() + "/parley.db"
	again := replayable(t, webhookURL, http.MethodPost, inboundForm("u-restart", "hello"))
	first := newTestServerWith(t, testOptions{tokens: []string{token}, dsn: dsn})
	if status, body := first.MustDo(t, stripV3(again())); status != http.StatusOK {
		t.Fatalf("first delivery: status=%d body=%s, want 200", status, body)
	}
	restarted := newTestServerWith(t, testOptions{tokens: []string{token}, dsn: dsn})
	if status, body := restarted.MustDo(t, stripV3(again())); status != http.StatusConflict {
		t.Fatalf("replay after a restart: status=%d body=%s, want 409", status, body)
	}
}

// Thirty copies of one signed request at once: the nonce is claimed
// before the work, so exactly one is processed and the rest are refused
// as replays.
func TestWebhookCopiesAtOnceProcessedOnce(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{tokens: []string{token}, dsn: dsn})
		again := replayable(t, webhookURL, http.MethodPost, inboundForm("u-copies", "hello"))
		const n = 30
		reqs := make([]*http.Request, n)
		for i := range reqs {
			reqs[i] = again()
		}
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[int]int{}
			replies  int
		)
		for _, r := range reqs {
			wg.Go(func() {
				status, body := ts.MustDo(t, r)
				mu.Lock()
				defer mu.Unlock()
				statuses[status]++
				if status == http.StatusOK {
					replies += len(mustDecodeReply(t, body).Messages)
				}
			})
		}
		wg.Wait()
		if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != n-1 {
			t.Fatalf("statuses=%v, want one 200 and %d 409", statuses, n-1)
		}
		if replies != 1 || ts.countMessages(t) != 2 {
			t.Fatalf("replies=%d messages=%d, want 1 and 2", replies, ts.countMessages(t))
		}
	})
}

// A refused webhook is logged at warn with why, the path and the request
// id, and never with the token or the signature.
func TestWebhookRefusalsAreLogged(t *testing.T) {
	form := inboundForm("u-log", "hello")
	tests := []struct {
		name   string
		reason string
		// prepare runs requests on ts and returns the one to be refused.
		prepare func(t *testing.T, ts *testServer) *http.Request
	}{
		{"missing", "missing", func(*testing.T, *testServer) *http.Request {
			r := httptest.NewRequest(http.MethodPost, webhookURL, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}},
		{"wrong", "wrong", func(*testing.T, *testServer) *http.Request {
			return plivotest.SignedRequest("another-token", webhookURL, http.MethodPost, form)
		}},
		{"replayed", "replayed", func(t *testing.T, ts *testServer) *http.Request {
			again := replayable(t, webhookURL, http.MethodPost, form)
			ts.MustDo(t, again())
			return again()
		}},
		{"downgraded", "downgraded", func(t *testing.T, ts *testServer) *http.Request {
			ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, form))
			return stripV3(plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-log-2", "STOP")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logBuffer
			ts := newTestServerWith(t, testOptions{tokens: []string{token}, log: logs.logger()})
			r := tt.prepare(t, ts)
			r.Header.Set("X-Request-ID", "req-"+tt.name)
			if status, body := ts.MustDo(t, r); status < 400 {
				t.Fatalf("status=%d body=%s, want it refused", status, body)
			}
			var line string
			for l := range strings.Lines(logs.String()) {
				if strings.Contains(l, "level=WARN") && strings.Contains(l, "reason="+tt.reason) {
					line = l
				}
			}
			if line == "" || !strings.Contains(line, "path=/api/sms/webhook") || !strings.Contains(line, "req-"+tt.name) {
				t.Fatalf("log=%q, want a warn line with reason=%s, the path and the request id", logs.String(), tt.reason)
			}
			for _, secret := range []string{token, r.Header.Get(plivo.HeaderSignatureV2), r.Header.Get(plivo.HeaderSignatureV3)} {
				if secret != "" && strings.Contains(logs.String(), secret) {
					t.Fatalf("log holds the token or a signature: %q", logs.String())
				}
			}
		})
	}
}

// PLIVO_SIGNATURE: v3 refuses V2 alone from the start; v2 accepts it (and
// says so at start), but a V2 nonce is still claimed once, so the replayed
// half of a dual-signed request is refused as a replay.
func TestWebhookSignaturePolicies(t *testing.T) {
	tests := []struct {
		policy replay.Policy
		// firstV2 is the status of a V2-only request on a new server;
		// forged that of a dual-signed request's V2 half played again with
		// another body.
		firstV2, forged int
		warns           bool
	}{
		{replay.Auto, http.StatusOK, http.StatusForbidden, false},
		{replay.RequireV3, http.StatusForbidden, http.StatusForbidden, false},
		{replay.AllowV2, http.StatusOK, http.StatusConflict, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			var logs logBuffer
			ts := newTestServerWith(t, testOptions{tokens: []string{token}, signature: tt.policy, log: logs.logger()})
			if got := strings.Contains(logs.String(), "PLIVO_SIGNATURE=v2"); got != tt.warns {
				t.Fatalf("start log=%q, want a warning about V2: %v", logs.String(), tt.warns)
			}
			if status, body := ts.MustDo(t, stripV3(plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-first", "hello")))); status != tt.firstV2 {
				t.Fatalf("first V2-only request: status=%d body=%s, want %d", status, body, tt.firstV2)
			}
			orig := plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-dual", "hello"))
			captured := orig.Header.Clone()
			if status, body := ts.MustDo(t, orig); status != http.StatusOK {
				t.Fatalf("dual-signed request: status=%d body=%s, want 200", status, body)
			}
			forged := stripV3(forgedFrom(captured, webhookURL, inboundForm("u-forged", "STOP").Encode()))
			if status, body := ts.MustDo(t, forged); status != tt.forged {
				t.Fatalf("forged STOP: status=%d body=%s, want %d", status, body, tt.forged)
			}
			if n := ts.countOptedOut(t); n != 0 {
				t.Fatalf("conversations opted out=%d, want 0", n)
			}
		})
	}
}
