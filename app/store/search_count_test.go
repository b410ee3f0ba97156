package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// A word most conversations hold is counted from the newest conversations,
// which stop at the cap, rather than through the full-text index, which
// reads every match first. The capped counts are then those of the newest
// matches, the ones the list shows first.
func TestSearchCountsTheNewestMatchesAtTheCap(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Seed(ctx, store.SeedOptions{Conversations: inbox.SearchCountLimit + 100, Messages: inbox.SearchCountLimit + 100, Channel: channel, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"UPDATE conversations SET search_terms = 'parcel late', status = 'open', snoozed_until = NULL",
			"UPDATE conversations SET status = 'closed' WHERE id IN (SELECT id FROM conversations ORDER BY last_message_at DESC, id DESC LIMIT 1001)",
		} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0)})
		for _, search := range []string{"parcel", "late parc"} {
			c, err := svc.CountTabs(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Search: search})
			if err != nil {
				t.Fatal(err)
			}
			if !c.AtLeast || c.All != inbox.SearchCountLimit || c.Open != 0 || c.Closed != inbox.SearchCountLimit+1 {
				t.Errorf("search %q counts %+v, want at least %d, all closed (the newest)", search, c, inbox.SearchCountLimit)
			}
		}
	})
}

// The count of a common word walks the newest conversations through
// conversations_activity and stops at the cap: a plan that read every
// conversation and sorted them would cost the whole table instead. SQLite
// plans without statistics, so its plan is the one it will run at scale.
// PostgreSQL rightly sorts a table this small, and its plan at 100,000
// conversations (an Index Scan on conversations_activity) is recorded in
// BENCHMARKS.md.
func TestSearchWindowWalksTheActivityIndex(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != "sqlite" {
			return
		}
		query := store.SearchWindowSQL(s, "parcel 555")
		got := explainPlan(t, s, "EXPLAIN QUERY PLAN "+query)
		if want := "SCAN c USING INDEX conversations_activity"; !strings.Contains(got, want) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("plan of %s\n%s\nwant it to contain %q and no temporary b-tree", query, got, want)
		}
	})
}
