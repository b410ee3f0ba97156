package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// ListConversations implements inbox.Store with keyset pagination on
// (last_message_at, id), both descending.
func (s *Store) ListConversations(ctx context.Context, q inbox.ConversationQuery) (inbox.ConversationPage, error) {
	if q.Search == "" {
		return s.listPage(ctx, q, s.db.NewSelect())
	}
	m := newSearchMatch(q.Search)
	if m.empty() {
		return inbox.ConversationPage{}, nil
	}
	// A word most conversations contain is found fastest by walking the
	// newest conversations and checking each one's word list; a rare word by
	// the full-text index. Try the first, and fall back to the second when
	// the newest window does not fill the page.
	window := s.db.NewSelect().Model((*conversationRow)(nil)).Column("c.*").
		OrderExpr("c.last_message_at DESC, c.id DESC").Limit(searchWindow)
	window = filtered(window, q)
	page, err := s.listPage(ctx, q, s.db.NewSelect().ModelTableExpr("(?) AS c", window).
		WhereGroup(" AND ", m.whereLike))
	if err != nil || len(page.Conversations) == q.Limit {
		return page, err
	}
	// Then each kind of match (numbers, words, people) through its own
	// index, one page each, merged: one IN over their union made SQLite
	// walk every conversation.
	var pages []inbox.ConversationPage
	for _, ids := range m.idQueries(s, 0) {
		p, err := s.listPage(ctx, q, s.db.NewSelect().Where("c.id IN (?)", ids))
		if err != nil {
			return inbox.ConversationPage{}, err
		}
		pages = append(pages, p)
	}
	return mergePages(pages, q.Limit), nil
}

// mergePages merges pages of the same ordering, dropping duplicates, into
// one page of at most limit with the cursor to continue.
func mergePages(pages []inbox.ConversationPage, limit int) inbox.ConversationPage {
	var all []inbox.Conversation
	more := false
	for _, p := range pages {
		all = append(all, p.Conversations...)
		more = more || !p.Next.IsZero()
	}
	slices.SortFunc(all, func(a, b inbox.Conversation) int {
		if c := b.LastMessageAt.Compare(a.LastMessageAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	all = slices.CompactFunc(all, func(a, b inbox.Conversation) bool { return a.ID == b.ID })
	out := inbox.ConversationPage{Conversations: all}
	if len(all) > limit || (more && len(all) == limit) {
		all = all[:min(limit, len(all))]
		last := all[len(all)-1]
		out = inbox.ConversationPage{Conversations: all, Next: inbox.Cursor{LastMessageAt: last.LastMessageAt, ID: last.ID}}
	}
	return out
}

// searchWindow is how many of the newest conversations a search checks
// one by one before it turns to the full-text index.
const searchWindow = 1000

// listPage runs one page of the list over sel, which may add conditions.
func (s *Store) listPage(ctx context.Context, q inbox.ConversationQuery, sel *bun.SelectQuery) (inbox.ConversationPage, error) {
	var rows []conversationRow
	sel = filtered(sel.Model(&rows).OrderExpr("c.last_message_at DESC, c.id DESC").Limit(int64(q.Limit+1)), q)
	if err := sel.Scan(ctx); err != nil {
		return inbox.ConversationPage{}, fmt.Errorf("store: list conversations: %w", err)
	}
	page := inbox.ConversationPage{}
	if len(rows) > q.Limit {
		last := rows[q.Limit-1]
		page.Next = inbox.Cursor{LastMessageAt: last.LastMessageAt.UTC(), ID: last.ID}
		rows = rows[:q.Limit]
	}
	page.Conversations = make([]inbox.Conversation, len(rows))
	for i, r := range rows {
		page.Conversations[i] = r.toDomain()
	}
	if err := withLabels(ctx, s.db, page.Conversations); err != nil {
		return inbox.ConversationPage{}, err
	}
	return page, nil
}

// filtered adds the list filter and the cursor.
func filtered(sel *bun.SelectQuery, q inbox.ConversationQuery) *bun.SelectQuery {
	awake := "(c.snoozed_until IS NULL OR c.snoozed_until <= ?)"
	switch q.Filter {
	case inbox.FilterOpen:
		sel = sel.Where("c.status = 'open' AND "+awake, q.Now)
	case inbox.FilterClosed:
		sel = sel.Where("c.status = 'closed'")
	case inbox.FilterOptedOut:
		sel = sel.Where("c.opted_out_at IS NOT NULL")
	case inbox.FilterMine:
		sel = sel.Where("c.status = 'open' AND c.assignee_id = ? AND "+awake, q.Me, q.Now)
	case inbox.FilterUnassigned:
		sel = sel.Where("c.status = 'open' AND c.assignee_id IS NULL AND "+awake, q.Now)
	case inbox.FilterSnoozed:
		sel = sel.Where("c.status = 'open' AND c.snoozed_until > ?", q.Now)
	case inbox.FilterFailed:
		sel = sel.Where("c.failed_reply_id IS NOT NULL AND c.status = 'open'")
	}
	if q.LabelID != 0 {
		sel = sel.Where("c.id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = ?)", q.LabelID)
	}
	if q.Channel != "" {
		sel = sel.Where("c.channel_number = ?", string(q.Channel))
	}
	if !q.After.IsZero() {
		sel = sel.Where("(c.last_message_at, c.id) < (?, ?)", q.After.LastMessageAt, q.After.ID)
	}
	return sel
}

// ListMessages implements inbox.Store: the newest limit messages below
// before, returned oldest first.
func (s *Store) ListMessages(ctx context.Context, conversationID, before int64, limit int) (inbox.MessagePage, error) {
	var rows []messageRow
	sel := s.db.NewSelect().Model(&rows).Where("conversation_id = ?", conversationID).
		OrderExpr("id DESC").Limit(int64(limit + 1))
	if before > 0 {
		sel = sel.Where("id < ?", before)
	}
	if err := sel.Scan(ctx); err != nil {
		return inbox.MessagePage{}, fmt.Errorf("store: list messages: %w", err)
	}
	page := inbox.MessagePage{}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Before = rows[limit-1].ID
	}
	page.Messages = make([]inbox.Message, len(rows))
	for i, r := range rows {
		page.Messages[len(rows)-1-i] = r.toDomain()
	}
	return page, nil
}
