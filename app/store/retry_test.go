package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestRetryMessageQueuesANewMessageOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		r.api.Script(plivotest.BadRequest)
		failed := r.MustReply(t, "try me again")
		r.MustSendDue(t, 1)

		again, err := r.svc.RetryMessage(ctx, r.agent, failed.ID)
		if err != nil {
			t.Fatalf("RetryMessage: %v", err)
		}
		if again.ID == failed.ID || again.Body != "try me again" || again.Status != inbox.StatusQueued || again.Via != inbox.ViaAPI || again.SentBy != r.agent.ID {
			t.Fatalf("retry=%+v, want a new queued API message with the same text from the agent", again)
		}
		old := r.MustFind(t, failed.ID)
		if old.Status != inbox.StatusFailed || old.RetriedAs != again.ID {
			t.Fatalf("old status=%s retried as=%d, want still failed, retried as %d", old.Status, old.RetriedAs, again.ID)
		}
		if _, err := r.svc.RetryMessage(ctx, r.agent, failed.ID); inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("second retry err=%v, want conflict", err)
		}
		r.MustSendDue(t, 1)
		if got := r.MustFind(t, again.ID); got.Status != inbox.StatusSent {
			t.Fatalf("retry status=%s, want sent", got.Status)
		}
		if got := r.MustFind(t, failed.ID); got.Status != inbox.StatusFailed || got.ProviderUUID != "" {
			t.Fatalf("old message status=%s uuid=%q, want untouched", got.Status, got.ProviderUUID)
		}
		if n := r.api.Count(contact, "try me again"); n != 2 {
			t.Fatalf("sends=%d, want 2 (the refused one and the retry)", n)
		}
	})
}

func TestRetryMessageRefusals(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		sent := r.MustSent(t, "went fine")
		inbound, err := s.FindMessageByProviderUUID(ctx, "in-1")
		if err != nil {
			t.Fatal(err)
		}
		queued := r.MustReply(t, "still queued")
		r.api.SetMode(plivotest.BadRequest)
		r.MustSendDue(t, 1)
		refused := r.MustFind(t, queued.ID)
		if refused.Status != inbox.StatusFailed {
			t.Fatalf("setup: status=%s, want failed", refused.Status)
		}

		tests := []struct {
			name string
			id   int64
			code string
		}{
			{"sent", sent.ID, inbox.EINVALID},
			{"inbound", inbound.ID, inbox.EINVALID},
			{"missing", 999999, inbox.ENOTFOUND},
		}
		for _, tt := range tests {
			if _, err := r.svc.RetryMessage(ctx, r.agent, tt.id); inbox.ErrorCode(err) != tt.code {
				t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
			}
		}

		if _, err := r.svc.SetConsentByAgent(ctx, r.agent, r.convID, true); err != nil {
			t.Fatal(err)
		}
		before := countAll(t, s)
		if _, err := r.svc.RetryMessage(ctx, r.agent, refused.ID); inbox.ErrorCode(err) != inbox.EOPTEDOUT {
			t.Fatalf("opted out: err=%v, want opted out", err)
		}
		if countAll(t, s) != before {
			t.Fatal("a refused retry stored a message")
		}
		if got := r.MustFind(t, refused.ID); got.RetriedAs != 0 {
			t.Fatalf("retried as=%d after a refusal, want 0", got.RetriedAs)
		}
	})
}
