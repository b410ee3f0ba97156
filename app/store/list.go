package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// ListConversations implements inbox.Store with keyset pagination on
// (last_message_at, id), both descending.
func (s *Store) ListConversations(ctx context.Context, q inbox.ConversationQuery) (inbox.ConversationPage, error) {
	var rows []conversationRow
	sel := s.db.NewSelect().Model(&rows).
		OrderExpr("c.last_message_at DESC, c.id DESC").
		Limit(int64(q.Limit + 1))
	switch q.Filter {
	case inbox.FilterOpen:
		sel = sel.Where("c.status = 'open'")
	case inbox.FilterClosed:
		sel = sel.Where("c.status = 'closed'")
	case inbox.FilterOptedOut:
		sel = sel.Where("c.opted_out_at IS NOT NULL")
	}
	if !q.After.IsZero() {
		sel = sel.Where("(c.last_message_at, c.id) < (?, ?)", q.After.LastMessageAt, q.After.ID)
	}
	if q.Search != "" {
		sel = s.whereSearch(sel, q.Search)
	}
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
	return page, nil
}

// whereSearch matches the contact number by digits, or message text by
// word prefixes through the dialect's full-text index. Search words are
// reduced to letters and digits, so nothing the user types reaches the
// query syntax.
func (s *Store) whereSearch(sel *bun.SelectQuery, search string) *bun.SelectQuery {
	digits := inbox.SearchDigits(search)
	words := searchWords(search)
	return sel.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if digits != "" {
			q = q.WhereOr("c.contact_number LIKE ?", "%"+digits+"%")
		}
		if len(words) == 0 {
			if digits == "" {
				q = q.Where("1 = 0")
			}
			return q
		}
		// Only the last word is a prefix (it is the one being typed); whole
		// earlier words keep the index lookups small.
		if s.dialect == "postgres" {
			prefixes := append([]string(nil), words...)
			prefixes[len(prefixes)-1] += ":*"
			return q.WhereOr("c.id IN (SELECT m.conversation_id FROM messages m WHERE to_tsvector('simple', m.body) @@ to_tsquery('simple', ?))",
				strings.Join(prefixes, " & "))
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = `"` + w + `"`
		}
		quoted[len(quoted)-1] += "*"
		return q.WhereOr("c.id IN (SELECT m.conversation_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)",
			strings.Join(quoted, " AND "))
	})
}

// searchWords splits a search into lower-case runs of letters and digits,
// at most eight.
func searchWords(search string) []string {
	words := strings.FieldsFunc(strings.ToLower(search), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 8 {
		words = words[:8]
	}
	return words
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

// KeywordRules implements inbox.Store.
func (s *Store) KeywordRules(ctx context.Context) ([]inbox.KeywordRule, error) {
	return txStore{db: s.db}.KeywordRules(ctx)
}
