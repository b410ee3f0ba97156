package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// CountTabs implements inbox.Store in one statement: without a search from
// the conversations_unread_awake index alone (every page runs it), with
// one over at most inbox.SearchCountLimit+1 matches found through the
// search indexes. Each kind of match is capped there too: when any reaches
// the cap the matches are past the limit, and the counts say "at least"
// (with a label or inbox picked, the matches left may then fall under
// it, and the counts are lower bounds without saying so).
func (s *Store) CountTabs(ctx context.Context, q inbox.ConversationQuery) (inbox.TabCounts, error) {
	if q.Search == "" {
		var c inbox.TabCounts
		if err := tabUnread(s.db, q).Scan(ctx, &c.Open, &c.Mine, &c.Unassigned); err != nil {
			return inbox.TabCounts{}, fmt.Errorf("store: count tabs: %w", err)
		}
		return c, nil
	}
	c := inbox.TabCounts{Search: true}
	m := newSearchMatch(q.Search)
	if m.empty() {
		return c, nil
	}
	matches := s.db.NewSelect().Model((*conversationRow)(nil)).
		Column("c.status", "c.assignee_id", "c.snoozed_until", "c.opted_out_at").
		Where("c.id IN (?)", m.anyID(s, inbox.SearchCountLimit+1)).Limit(inbox.SearchCountLimit + 1)
	matches = filtered(matches, inbox.ConversationQuery{Filter: inbox.FilterAll, LabelID: q.LabelID, Channel: q.Channel})
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
