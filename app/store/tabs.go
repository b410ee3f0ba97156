package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// CountTabs implements inbox.Store: without a search in one statement
// from the conversations_unread_awake index alone (every page runs it),
// with one over at most inbox.SearchCountLimit+1 matches: from the newest
// conversations when matches are dense there (see countProbe), otherwise
// (or when the window does not reach the cap) through the search indexes.
// When more match, the counts say "at least" (with a label
// or inbox picked, the matches left may then fall under it, and the counts
// are lower bounds without saying so).
func (s *Store) CountTabs(ctx context.Context, q inbox.ConversationQuery) (inbox.TabCounts, error) {
	if q.Search == "" {
		var c inbox.TabCounts
		if err := tabUnread(s.db, q).Scan(ctx, &c.Open, &c.Mine, &c.Unassigned); err != nil {
			return inbox.TabCounts{}, fmt.Errorf("store: count tabs: %w", err)
		}
		return c, nil
	}
	m := newSearchMatch(q.Search)
	if m.empty() {
		return inbox.TabCounts{Search: true}, nil
	}
	dense, err := s.denseMatches(ctx, q, m)
	if err != nil {
		return inbox.TabCounts{}, err
	}
	if dense {
		c, err := s.countMatches(ctx, q, s.newestMatches(q, m, countWindow))
		if err != nil || c.AtLeast {
			return c, err
		}
	}
	return s.countMatches(ctx, q, s.indexMatches(q, m))
}

// countMatches counts per tab the matches that statement selects (their
// status, assignee_id, snoozed_until and opted_out_at, at most
// inbox.SearchCountLimit+1 of them).
func (s *Store) countMatches(ctx context.Context, q inbox.ConversationQuery, matches *bun.SelectQuery) (inbox.TabCounts, error) {
	c := inbox.TabCounts{Search: true}
	awake := "(s.snoozed_until IS NULL OR s.snoozed_until <= ?)"
	err := s.db.NewSelect().TableExpr("(?) AS s", matches).
		ColumnExpr("count(*)").
		ColumnExpr("COALESCE(SUM(CASE WHEN s.status = 'open' AND "+awake+" THEN 1 ELSE 0 END), 0)", q.Now).
		ColumnExpr("COALESCE(SUM(CASE WHEN s.status = 'open' AND s.assignee_id = ? AND "+awake+" THEN 1 ELSE 0 END), 0)", q.Me, q.Now).
		ColumnExpr("COALESCE(SUM(CASE WHEN s.status = 'open' AND s.assignee_id IS NULL AND "+awake+" THEN 1 ELSE 0 END), 0)", q.Now).
		ColumnExpr("COALESCE(SUM(CASE WHEN s.status = 'open' AND s.snoozed_until > ? THEN 1 ELSE 0 END), 0)", q.Now).
		ColumnExpr("COALESCE(SUM(CASE WHEN s.status = 'closed' THEN 1 ELSE 0 END), 0)").
		ColumnExpr("COALESCE(SUM(CASE WHEN s.opted_out_at IS NOT NULL THEN 1 ELSE 0 END), 0)").
		Scan(ctx, &c.All, &c.Open, &c.Mine, &c.Unassigned, &c.Snoozed, &c.Closed, &c.OptedOut)
	if err != nil {
		return inbox.TabCounts{}, fmt.Errorf("store: count search tabs: %w", err)
	}
	if c.All > inbox.SearchCountLimit {
		// The one row past the limit says only that there are more.
		c.All, c.AtLeast = inbox.SearchCountLimit, true
	}
	return c, nil
}

// tabUnread counts the unread conversations of Open, Mine and Unassigned:
// unreadCount's rows, which the conversations_unread_awake index holds
// with their assignee (migration 0025), so it is read alone.
func tabUnread(db bun.IDB, q inbox.ConversationQuery) *bun.SelectQuery {
	sel := unreadCount(db, q.Now).
		ColumnExpr("count(*)").
		ColumnExpr("COALESCE(SUM(CASE WHEN c.assignee_id = ? THEN 1 ELSE 0 END), 0)", q.Me).
		ColumnExpr("COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0)")
	return filtered(sel, inbox.ConversationQuery{Filter: inbox.FilterAll, LabelID: q.LabelID, Channel: q.Channel})
}
