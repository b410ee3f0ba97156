package web_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

// TestAPIIdempotencyConcurrent: 20 identical POSTs with one
// Idempotency-Key at once queue exactly one message, and all 20 get the
// same answer.
func TestAPIIdempotencyConcurrent(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}})
		admin := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
		_, secret := ts.mustToken(t, admin, inbox.ScopeSend)
		before := ts.countMessages(t)
		const n = 20
		answers := make([]apiAnswer, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				answers[i] = ts.api(t, secret).post("/api/v1/messages", `{"to": "+14155550100", "text": "Your order shipped"}`, "Idempotency-Key", "order-1042-shipped")
			}()
		}
		close(start)
		wg.Wait()
		replayed := 0
		for i, a := range answers {
			if a.status != 202 || a.body != answers[0].body {
				t.Errorf("answer %d: %d %s, want 202 %s", i, a.status, a.body, answers[0].body)
			}
			if a.header.Get("Idempotent-Replayed") == "true" {
				replayed++
			}
		}
		if replayed != n-1 {
			t.Errorf("%d answers replayed, want %d", replayed, n-1)
		}
		if got := ts.countMessages(t); got != before+1 {
			t.Fatalf("%d messages queued by %d identical requests, want 1", got-before, n)
		}
		// Later, the same key still answers the same without sending.
		again := ts.api(t, secret).post("/api/v1/messages", `{"to": "+14155550100", "text": "Your order shipped"}`, "Idempotency-Key", "order-1042-shipped").want(t, 202)
		if again.body != answers[0].body || ts.countMessages(t) != before+1 {
			t.Errorf("a later retry: %s, %d messages", again.body, ts.countMessages(t)-before)
		}
	})
}

// TestAPIIdempotencyKeyRules: a key reused with a different body is 422
// and sends nothing; a refusal is replayed as it was; keys are per token;
// a rate-limited answer is not kept, so the retry does the work.
func TestAPIIdempotencyKeyRules(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}, limits: inbox.SendLimits{PerMinute: 1}})
		admin := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
		_, secret := ts.mustToken(t, admin, inbox.ScopeSend, inbox.ScopeManage)
		api := ts.api(t, secret)
		before := ts.countMessages(t)
		first := api.post("/api/v1/messages", `{"to": "+14155550100", "text": "one"}`, "Idempotency-Key", "k1").want(t, 202)
		code, _, field := api.post("/api/v1/messages", `{"to": "+14155550100", "text": "two"}`, "Idempotency-Key", "k1").want(t, 422).errorOf(t)
		if code != "unprocessable" || field != "Idempotency-Key" {
			t.Errorf("reused key: %q %q", code, field)
		}
		if ts.countMessages(t) != before+1 {
			t.Fatal("a reused key sent a second message")
		}
		// Over the send limit (one a minute): 429, and the key is free again.
		limited := api.post("/api/v1/messages", `{"to": "+14155550100", "text": "three"}`, "Idempotency-Key", "k2").want(t, 429)
		if limited.header.Get("Idempotent-Replayed") != "" {
			t.Error("a rate-limited answer was replayed")
		}
		// A refusal that is final is kept and replayed.
		bad := api.post("/api/v1/messages", `{"to": "555", "text": "x"}`, "Idempotency-Key", "k3").want(t, 400)
		if r := api.post("/api/v1/messages", `{"to": "555", "text": "x"}`, "Idempotency-Key", "k3").want(t, 400); r.body != bad.body || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("a refusal replayed: %s %q", r.body, r.header.Get("Idempotent-Replayed"))
		}
		// Keys belong to their token.
		_, other := ts.mustToken(t, admin, inbox.ScopeManage)
		convID := fmt.Sprint(int64(decodeAs[apiMsg](t, first).ConversationID))
		ts.api(t, other).post("/api/v1/conversations/"+convID+"/close", "", "Idempotency-Key", "k1").want(t, 200)
		conv, _ := ts.svc.FindConversation(context.Background(), decodeAs[apiMsg](t, first).ConversationID)
		if conv.Status != inbox.ConversationClosed {
			t.Error("another token's key k1 blocked this token's k1")
		}
	})
}
