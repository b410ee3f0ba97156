package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.ExportStore = (*Store)(nil)

// exportPage is how many messages an export reads at once: big enough that
// the three queries per page cost little, small enough that a page of
// long messages stays a few megabytes. Tests make it small.
var exportPage = 1000

// ExportMessages implements inbox.ExportStore. It walks messages in
// (conversation, message) order by keyset, so each page is an index range
// scan however deep the export is, and reads each page's conversations
// (with their labels) and delivery reports with one query each.
func (s *Store) ExportMessages(ctx context.Context, q inbox.ExportQuery, fn func(inbox.ExportRecord) error) error {
	page := exportPage
	var afterConv, afterMsg int64
	convs := map[int64]inbox.Conversation{} // this page's
	for {
		var rows []messageRow
		sel := s.db.NewSelect().Model(&rows).
			Where("(conversation_id > ? OR (conversation_id = ? AND id > ?))", afterConv, afterConv, afterMsg).
			OrderExpr("conversation_id, id").Limit(int64(page))
		if !q.From.IsZero() {
			sel = sel.Where("created_at >= ?", q.From)
		}
		if !q.To.IsZero() {
			sel = sel.Where("created_at < ?", q.To)
		}
		if q.Channel != "" {
			sel = sel.Where("conversation_id IN (SELECT id FROM conversations WHERE channel_number = ?)", string(q.Channel))
		}
		if q.LabelID != 0 {
			sel = sel.Where("conversation_id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = ?)", q.LabelID)
		}
		if err := sel.Scan(ctx); err != nil {
			return fmt.Errorf("store: export messages: %w", err)
		}
		if len(rows) == 0 {
			return s.exportUnsentSchedules(ctx, q, fn)
		}
		clear(convs)
		if err := s.exportConversations(ctx, rows, convs); err != nil {
			return err
		}
		events, err := s.exportEvents(ctx, rows)
		if err != nil {
			return err
		}
		schedules, err := s.exportSchedules(ctx, rows)
		if err != nil {
			return err
		}
		for _, r := range rows {
			rec := inbox.ExportRecord{Conversation: convs[r.ConversationID], Message: r.toDomain(), Events: events[r.ID], Scheduled: schedules[r.ID]}
			if err := fn(rec); err != nil {
				return err
			}
		}
		last := rows[len(rows)-1]
		afterConv, afterMsg = last.ConversationID, last.ID
		if len(rows) < page {
			return s.exportUnsentSchedules(ctx, q, fn)
		}
	}
}

// exportConversations reads the conversations of a page of messages, with
// their labels, into convs.
func (s *Store) exportConversations(ctx context.Context, rows []messageRow, convs map[int64]inbox.Conversation) error {
	var ids []int64
	for _, r := range rows {
		if len(ids) == 0 || ids[len(ids)-1] != r.ConversationID {
			ids = append(ids, r.ConversationID)
		}
	}
	return s.exportConversationsByID(ctx, ids, convs)
}

// exportConversationsByID reads conversations with their labels into convs.
func (s *Store) exportConversationsByID(ctx context.Context, ids []int64, convs map[int64]inbox.Conversation) error {
	var crows []conversationRow
	if err := s.db.NewSelect().Model(&crows).Where("c.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return fmt.Errorf("store: export conversations: %w", err)
	}
	list := make([]inbox.Conversation, len(crows))
	for i, c := range crows {
		list[i] = c.toDomain()
	}
	if err := withLabels(ctx, s.db, list); err != nil {
		return err
	}
	for _, c := range list {
		convs[c.ID] = c
	}
	return nil
}

// exportEvents reads the delivery reports of a page of messages, by
// message, in the order the carrier made them.
func (s *Store) exportEvents(ctx context.Context, rows []messageRow) (map[int64][]inbox.MessageEvent, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var erows []messageEventRow
	err := s.db.NewSelect().Model(&erows).Where("message_id IN (?)", bun.List(ids)).
		OrderExpr("message_id, sequence, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: export delivery reports: %w", err)
	}
	out := make(map[int64][]inbox.MessageEvent)
	for _, e := range erows {
		out[e.MessageID] = append(out[e.MessageID], e.toDomain())
	}
	return out, nil
}
