package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// A search's tab counts stop at inbox.SearchCountLimit+1 matches. The
// full-text and trigram indexes cannot stop early: PostgreSQL's GIN builds
// the whole bitmap and SQLite's FTS5 merges the whole doclist of a prefix
// before the first row comes out, so a word most conversations hold cost
// the count every match (68,807 bitmap entries, 90 ms on PostgreSQL for
// three common words at 100,000 conversations). Walking the newest
// conversations and checking each one's words stops at the cap instead,
// after about cap/share rows. A short probe of the newest first tells the
// two cases apart, so a rare word still goes straight to the index.
const (
	// countProbe is how many of the newest conversations are checked
	// first; countWindow how many are walked when at least half the probe
	// matched, enough to reach the cap at that share.
	countProbe  = 200
	countWindow = 2 * (inbox.SearchCountLimit + 1)
)

// denseMatches reports whether at least half of the newest countProbe
// conversations match m.
func (s *Store) denseMatches(ctx context.Context, q inbox.ConversationQuery, m searchMatch) (bool, error) {
	var n int
	if err := s.db.NewSelect().TableExpr("(?) AS p", s.newestMatches(q, m, countProbe)).
		ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
		return false, fmt.Errorf("store: probe search matches: %w", err)
	}
	return 2*n >= countProbe, nil
}

// indexMatches selects at most inbox.SearchCountLimit+1 conversations
// matching m through the search indexes, each kind of match capped there
// too.
func (s *Store) indexMatches(q inbox.ConversationQuery, m searchMatch) *bun.SelectQuery {
	// PostgreSQL reads the ids first and then each row by its key
	// through = ANY(ARRAY(…)): with IN (…) it guessed thousands of ids
	// and hashed a scan of every conversation instead (58 ms against
	// 3.5 ms for "555" at 100,000 conversations; BENCHMARKS.md).
	in := "c.id IN (?)"
	if s.dialect == "postgres" {
		in = "c.id = ANY(ARRAY(?))"
	}
	matches := s.db.NewSelect().Model((*conversationRow)(nil)).
		Column("c.status", "c.assignee_id", "c.snoozed_until", "c.opted_out_at").
		Where(in, m.anyID(s, inbox.SearchCountLimit+1)).Limit(inbox.SearchCountLimit + 1)
	return filtered(matches, inbox.ConversationQuery{Filter: inbox.FilterAll, LabelID: q.LabelID, Channel: q.Channel})
}

// newestMatches selects, among the newest size conversations (of q's label
// and inbox), at most inbox.SearchCountLimit+1 that match m, checked one by
// one.
func (s *Store) newestMatches(q inbox.ConversationQuery, m searchMatch, size int) *bun.SelectQuery {
	// The window carries only what the match and the tabs read: each row
	// it walks is copied out of the table.
	window := s.db.NewSelect().Model((*conversationRow)(nil)).
		Column("c.search_terms", "c.contact_number", "c.status", "c.assignee_id", "c.snoozed_until", "c.opted_out_at").
		OrderExpr("c.last_message_at DESC, c.id DESC").Limit(int64(size))
	window = filtered(window, inbox.ConversationQuery{Filter: inbox.FilterAll, LabelID: q.LabelID, Channel: q.Channel})
	return s.db.NewSelect().TableExpr("(?) AS c", window).
		Column("c.status", "c.assignee_id", "c.snoozed_until", "c.opted_out_at").
		WhereGroup(" AND ", m.whereLike).Limit(inbox.SearchCountLimit + 1)
}
