package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestSeedWritesAUsableDataset(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Seed(ctx, store.SeedOptions{Conversations: 120, Messages: 1000, Channel: channel, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		var convs, msgs int
		s.DB().NewRaw("SELECT count(*) FROM conversations").Scan(ctx, &convs)
		s.DB().NewRaw("SELECT count(*) FROM messages").Scan(ctx, &msgs)
		if convs != 120 || msgs != 1000 {
			t.Fatalf("seeded %d conversations and %d messages, want 120 and 1000", convs, msgs)
		}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s})
		p, err := svc.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "parcel"})
		if err != nil || len(p.Conversations) == 0 {
			t.Fatalf("search over seeded data found %d conversations (%v), want some", len(p.Conversations), err)
		}
	})
}

// The seed leaves the report rollups as the triggers keep them: on
// PostgreSQL it writes with them off and rebuilds the rollups once, and
// turns them back on. The tables hold what a rebuild from the history
// computes, and a text received after the seed is counted.
func TestSeedKeepsTheReportRollupsExact(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Seed(ctx, store.SeedOptions{Conversations: 60, Messages: 600, Channel: channel, Seed: 2}); err != nil {
			t.Fatal(err)
		}
		svc, _ := storetest.NewService(s)
		storetest.MustReceive(t, svc, inboxtest.Inbound("after-seed", "+15550000999", string(channel), "hello"))
		queries := []string{
			"SELECT q, channel_number, sum(opened), sum(received), sum(sent), sum(delivered), sum(undelivered), sum(failed) FROM report_counts GROUP BY q, channel_number ORDER BY q, channel_number",
			"SELECT q, channel_number, code, n FROM report_errors ORDER BY q, channel_number, code",
			"SELECT q, conversation_id, n FROM report_texts ORDER BY q, conversation_id",
			"SELECT conversation_id, started_at, answered_at, answered_by FROM report_waits ORDER BY conversation_id, started_at",
		}
		kept := make([][]string, len(queries))
		for i, q := range queries {
			kept[i] = rowsOf(t, s, q)
		}
		if len(kept[2]) == 0 || len(kept[3]) == 0 {
			t.Fatalf("rollups after the seed: %d texts rows, %d waits, want some", len(kept[2]), len(kept[3]))
		}
		rebuildRollups(t, s)
		for i, q := range queries {
			if got := rowsOf(t, s, q); !reflect.DeepEqual(kept[i], got) {
				t.Fatalf("%s\nafter the seed:\n%s\nrebuilt:\n%s", q, strings.Join(kept[i], "\n"), strings.Join(got, "\n"))
			}
		}
	})
}
