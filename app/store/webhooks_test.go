package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// mustEndpoint saves an endpoint subscribed to texts.
func mustEndpoint(t *testing.T, s *store.Store) inbox.WebhookEndpoint {
	t.Helper()
	e := inbox.WebhookEndpoint{URL: "https://hooks.example.com/x", Kind: inbox.WebhookStandard, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived},
		Secret: inbox.NewWebhookSecret(), CreatedAt: storetest.T0, UpdatedAt: storetest.T0}
	if err := s.SaveWebhookEndpoint(context.Background(), &e, &inbox.AuditEntry{Action: inbox.AuditWebhookCreated, At: storetest.T0}); err != nil {
		t.Fatal(err)
	}
	return e
}

func mustEnqueue(t *testing.T, s *store.Store, ds ...inbox.WebhookDelivery) {
	t.Helper()
	err := s.Atomically(context.Background(), func(ctx context.Context, tx inbox.Tx) error {
		return tx.EnqueueWebhookDeliveries(ctx, ds)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestClaimWebhookDeliveriesKeepsOrderAndClaimsOnce: a claim takes the
// first pending delivery of each conversation only, never one another
// claimer holds, and none of a paused endpoint.
func TestClaimWebhookDeliveriesKeepsOrderAndClaimsOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ep := mustEndpoint(t, s)
		d := func(event, conv int64) inbox.WebhookDelivery {
			return inbox.WebhookDelivery{EndpointID: ep.ID, EventID: event, Type: inbox.WebhookMessageReceived, ConversationID: conv,
				OccurredAt: storetest.T0, State: inbox.WebhookPending, NextAttemptAt: storetest.T0, CreatedAt: storetest.T0}
		}
		mustEnqueue(t, s, d(1, 10), d(2, 20), d(3, 10), d(4, 30), d(5, 20))
		now := storetest.T0.Add(time.Second)
		first, err := s.ClaimWebhookDeliveries(ctx, now, now.Add(time.Minute), 10)
		if err != nil {
			t.Fatal(err)
		}
		var events []int64
		for _, c := range first {
			events = append(events, c.EventID)
		}
		if len(events) != 3 || events[0] != 1 || events[1] != 2 || events[2] != 4 {
			t.Fatalf("claimed events %v, want 1, 2, 4 (the first of each conversation)", events)
		}
		again, err := s.ClaimWebhookDeliveries(ctx, now, now.Add(time.Minute), 10)
		if err != nil || len(again) != 0 {
			t.Fatalf("a second claimer got %d (err %v), want none while the first holds them", len(again), err)
		}

		// Delivering event 1 lets event 3 go; a paused endpoint gives none.
		done := first[0]
		done.State, done.Attempts = inbox.WebhookDelivered, 1
		if _, err := s.RecordWebhookAttempt(ctx, done, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PauseWebhookEndpoint(ctx, ep.ID, now, "test", &inbox.AuditEntry{Action: inbox.AuditWebhookPaused, At: now}); err != nil {
			t.Fatal(err)
		}
		if paused, _ := s.ClaimWebhookDeliveries(ctx, now, now.Add(time.Minute), 10); len(paused) != 0 {
			t.Fatalf("a paused endpoint's deliveries were claimed: %+v", paused)
		}
		if err := s.ResumeWebhookEndpoint(ctx, ep.ID, now, &inbox.AuditEntry{Action: inbox.AuditWebhookResumed, At: now}); err != nil {
			t.Fatal(err)
		}
		next, err := s.ClaimWebhookDeliveries(ctx, now, now.Add(time.Minute), 10)
		if err != nil || len(next) != 1 || next[0].EventID != 3 {
			t.Fatalf("after event 1 was delivered the claim got %+v (err %v), want event 3 alone", next, err)
		}
		// A lease that ran out (its worker died) is claimed again.
		later := now.Add(2 * time.Minute)
		expired, err := s.ClaimWebhookDeliveries(ctx, later, later.Add(time.Minute), 10)
		var ids []int64
		for _, c := range expired {
			ids = append(ids, c.EventID)
		}
		if err != nil || len(ids) != 3 || ids[0] != 2 || ids[1] != 3 || ids[2] != 4 {
			t.Fatalf("after the leases ran out the claim got events %v (err %v), want 2, 3, 4 again (5 waits behind 2)", ids, err)
		}
	})
}

func TestDeleteWebhookDeliveriesBeforeKeepsPending(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ep := mustEndpoint(t, s)
		mk := func(event int64, state inbox.WebhookDeliveryState, at time.Time) inbox.WebhookDelivery {
			return inbox.WebhookDelivery{EndpointID: ep.ID, EventID: event, Type: inbox.WebhookMessageReceived, ConversationID: event,
				OccurredAt: at, State: state, NextAttemptAt: at, CreatedAt: at}
		}
		old, recent := storetest.T0.Add(-40*24*time.Hour), storetest.T0
		mustEnqueue(t, s, mk(1, inbox.WebhookDelivered, old), mk(2, inbox.WebhookFailed, old), mk(3, inbox.WebhookPending, old), mk(4, inbox.WebhookDelivered, recent))
		n, err := s.DeleteWebhookDeliveriesBefore(ctx, storetest.T0.Add(-inbox.WebhookLogRetention))
		if err != nil || n != 2 {
			t.Fatalf("deleted %d (err %v), want the 2 old finished ones", n, err)
		}
		left, _ := s.WebhookDeliveries(ctx, ep.ID, 10)
		if len(left) != 2 || left[0].EventID != 4 || left[1].EventID != 3 {
			t.Fatalf("left %+v, want events 4 and 3", left)
		}
	})
}

// TestClaimWebhookDeliveriesConcurrently: claimers running at once (SKIP
// LOCKED on PostgreSQL, the claim's guard on SQLite) never take the same
// delivery twice, and take them all.
func TestClaimWebhookDeliveriesConcurrently(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ep := mustEndpoint(t, s)
		var ds []inbox.WebhookDelivery
		for i := range int64(60) {
			ds = append(ds, inbox.WebhookDelivery{EndpointID: ep.ID, EventID: i + 1, Type: inbox.WebhookMessageReceived, ConversationID: i + 1,
				OccurredAt: storetest.T0, State: inbox.WebhookPending, NextAttemptAt: storetest.T0, CreatedAt: storetest.T0})
		}
		mustEnqueue(t, s, ds...)
		now := storetest.T0.Add(time.Second)
		claims := make(chan int64, 100)
		errs := make(chan error, 4)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					got, err := s.ClaimWebhookDeliveries(ctx, now, now.Add(time.Minute), 3)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					for _, d := range got {
						claims <- d.EventID
					}
				}
			})
		}
		wg.Wait()
		close(claims)
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		for id := range claims {
			seen[id]++
		}
		for i := range int64(60) {
			if seen[i+1] != 1 {
				t.Errorf("event %d claimed %d times, want once", i+1, seen[i+1])
			}
		}
	})
}
