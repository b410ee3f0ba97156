package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/app/testenv"
)

// The title's unread count runs on every page. It must be answered from
// the conversations_unread_awake index alone: when the snooze condition
// fell outside the older partial index, a million-message inbox fetched
// ~25,000 rows one by one for every page view. PostgreSQL picks the index
// even on an empty table (no planner settings are changed), and SQLite
// must find every column it reads in the index.
func TestUnreadCountUsesIndexOnly(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		query := store.UnreadCountSQL(s, t0)
		explain, want := "EXPLAIN QUERY PLAN ", []string{"USING COVERING INDEX conversations_unread_awake"}
		if s.Dialect() == "postgres" {
			explain, want = "EXPLAIN ", []string{"Index Only Scan using conversations_unread_awake"}
		}
		got := explainPlan(t, s, explain+query)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("plan of %s\n%s\nwant it to contain %q", query, got, w)
			}
		}
	})
}

// explainPlan returns the database's plan for an EXPLAIN statement, one
// line per step.
func explainPlan(t *testing.T, s *store.Store, explainQuery string) string {
	t.Helper()
	var plan []string
	for _, row := range queryRows(t, s, explainQuery) {
		// The plan text is the last column in both dialects.
		plan = append(plan, row[len(row)-1])
	}
	return strings.Join(plan, "\n")
}

// queryRows returns query's rows, each column as text.
func queryRows(t *testing.T, s *store.Store, query string) [][]string {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The tabs' unread counts also run on every page, in one statement that
// must read the same index alone (migration 0025 added the assignee to it).
func TestTabUnreadCountsUseIndexOnly(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		query := store.TabUnreadSQL(s, 7, t0)
		explain, want := "EXPLAIN QUERY PLAN ", "USING COVERING INDEX conversations_unread_awake"
		if s.Dialect() == "postgres" {
			explain, want = "EXPLAIN ", "Index Only Scan using conversations_unread_awake"
		}
		if got := explainPlan(t, s, explain+query); !strings.Contains(got, want) {
			t.Errorf("plan of %s\n%s\nwant it to contain %q", query, got, want)
		}
	})
}

// A sparse search's tab counts read the matching conversations by their
// key on PostgreSQL: the ids come from the number's trigram index and the
// words' full-text indexes, and the rows one by one. Given the ids as
// IN (…), the planner guessed thousands and hashed a scan of every
// conversation instead (58 ms at 100,000; BENCHMARKS.md).
func TestSparseSearchReadsConversationsByKey(t *testing.T) {
	s := storetest.MustOpenPostgres(t, testenv.URL(t, testenv.Postgres))
	ctx := context.Background()
	if err := s.Seed(ctx, store.SeedOptions{Conversations: 5000, Messages: 5000, Channel: channel, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	query := store.SearchIndexSQL(s, "555")
	plan := explainPlan(t, s, "EXPLAIN "+query)
	if !strings.Contains(plan, "using conversations_pkey on conversations c") || strings.Contains(plan, "Seq Scan on conversations c ") {
		t.Errorf("plan of %s\n%s\nwant the conversations read by key", query, plan)
	}
}
