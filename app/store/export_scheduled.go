package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// exportSchedules reads the scheduled sends a page of messages came from,
// by message.
func (s *Store) exportSchedules(ctx context.Context, rows []messageRow) (map[int64]*inbox.ScheduledMessage, error) {
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if r.Direction == string(inbox.DirectionOutbound) {
			ids = append(ids, r.ID)
		}
	}
	out := map[int64]*inbox.ScheduledMessage{}
	if len(ids) == 0 {
		return out, nil
	}
	var srows []scheduledRow
	if err := s.db.NewSelect().Model(&srows).Where("message_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: export scheduled sends: %w", err)
	}
	for _, r := range srows {
		sm := r.toDomain()
		out[r.MessageID] = &sm
	}
	return out, nil
}

// exportUnsentSchedules passes on, after the messages, the scheduled sends
// that have no message: those still waiting and those cancelled, written
// (created) in the query's range, by conversation and then id.
func (s *Store) exportUnsentSchedules(ctx context.Context, q inbox.ExportQuery, fn func(inbox.ExportRecord) error) error {
	var afterConv, afterID int64
	convs := map[int64]inbox.Conversation{}
	for {
		var rows []scheduledRow
		sel := s.db.NewSelect().Model(&rows).
			Where("state IN (?)", bun.List([]string{string(inbox.ScheduleWaiting), string(inbox.ScheduleCancelled)})).
			Where("(conversation_id > ? OR (conversation_id = ? AND id > ?))", afterConv, afterConv, afterID).
			OrderExpr("conversation_id, id").Limit(int64(exportPage))
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
			return fmt.Errorf("store: export scheduled sends: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		var ids []int64
		for _, r := range rows {
			if len(ids) == 0 || ids[len(ids)-1] != r.ConversationID {
				ids = append(ids, r.ConversationID)
			}
		}
		clear(convs)
		if err := s.exportConversationsByID(ctx, ids, convs); err != nil {
			return err
		}
		for _, r := range rows {
			sm, conv := r.toDomain(), convs[r.ConversationID]
			m := inbox.Message{
				ConversationID: conv.ID, Direction: inbox.DirectionOutbound, From: conv.ChannelNumber, To: conv.ContactNumber,
				Body: sm.Body, SentBy: sm.SentBy, Via: inbox.ViaAPI, CreatedAt: sm.CreatedAt, UpdatedAt: sm.UpdatedAt,
			}
			if err := fn(inbox.ExportRecord{Conversation: conv, Message: m, Scheduled: &sm}); err != nil {
				return err
			}
		}
		last := rows[len(rows)-1]
		afterConv, afterID = last.ConversationID, last.ID
		if len(rows) < exportPage {
			return nil
		}
	}
}
