package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestLatestEventIDAndTrim(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if id, err := s.LatestEventID(ctx); id != 0 || err != nil {
			t.Fatalf("LatestEventID(empty)=%d, %v, want 0, nil", id, err)
		}
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		for i := range 3 {
			storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("old-%d", i), contact, channel, "old"))
		}
		clock.Advance(8 * 24 * time.Hour)
		storetest.MustReceive(t, svc, inboxtest.Inbound("new", contact, channel, "new"))

		all, err := s.EventsAfter(ctx, 0, 100)
		if err != nil || len(all) != 8 { // received + conversation.updated each
			t.Fatalf("EventsAfter(0)=%d events, %v, want 8, nil", len(all), err)
		}
		latest, err := svc.LatestEventID(ctx)
		if err != nil || latest != all[len(all)-1].ID {
			t.Fatalf("LatestEventID=%d, %v, want %d, nil", latest, err, all[len(all)-1].ID)
		}

		cut := clock.Now().Add(-7 * 24 * time.Hour)
		n, err := s.DeleteEventsBefore(ctx, cut)
		if err != nil || n != 6 {
			t.Fatalf("DeleteEventsBefore=%d, %v, want 6, nil", n, err)
		}
		if n, err := s.DeleteEventsBefore(ctx, cut); err != nil || n != 0 {
			t.Fatalf("DeleteEventsBefore again=%d, %v, want 0, nil (idempotent)", n, err)
		}
		left, err := svc.EventsAfter(ctx, 0)
		if err != nil || len(left) != 2 || left[0].ID != all[6].ID {
			t.Fatalf("after trimming: %d events from %v, %v; want the 2 newest", len(left), left, err)
		}
		if id, _ := s.LatestEventID(ctx); id != latest {
			t.Fatalf("LatestEventID after trimming=%d, want %d", id, latest)
		}
	})
}
