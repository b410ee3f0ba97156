package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.ReportStore = (*Store)(nil)

// conversationFilter is the SQL condition, on a column holding
// conversation ids, that selects the conversations f names, with its
// arguments; "" when f selects them all.
func conversationFilter(column string, f inbox.ReportFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Channel != "" {
		conds, args = append(conds, "channel_number = ?"), append(args, string(f.Channel))
	}
	if f.AssigneeID != 0 {
		conds, args = append(conds, "assignee_id = ?"), append(args, f.AssigneeID)
	}
	if f.LabelID != 0 {
		conds, args = append(conds, "id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = ?)"), append(args, f.LabelID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return column + " IN (SELECT id FROM conversations WHERE " + strings.Join(conds, " AND ") + ")", args
}

// ReportMessages reads the messages through the messages_report index,
// which holds every column it returns.
func (s *Store) ReportMessages(ctx context.Context, f inbox.ReportFilter, from time.Time, fn func(inbox.ReportMessage) error) error {
	created := "created_at"
	if s.dialect == "sqlite" {
		// As text: the driver's own parsing of a TIMESTAMP column tries
		// layout after layout, a quarter of a 30-day report's time.
		created = "CAST(created_at AS TEXT)"
	}
	q := `SELECT conversation_id, ` + created + `, direction, sent_by, status, error_code FROM messages WHERE created_at >= ?`
	args := []any{from.UTC()}
	if cond, cargs := conversationFilter("conversation_id", f); cond != "" {
		q += " AND " + cond
		args = append(args, cargs...)
	}
	// The index's own order: no sort. Two messages of one conversation at
	// the same instant are a contact's text and its automatic reply, and
	// inbound sorts before outbound.
	q += " ORDER BY created_at, conversation_id, direction"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: report messages: %w", err)
	}
	defer rows.Close()
	var (
		m              inbox.ReportMessage
		dir, status    string
		sentBy         sql.NullInt64
		at             storedTime
		code           string
		conversationID int64
	)
	for rows.Next() {
		if err := rows.Scan(&conversationID, &at, &dir, &sentBy, &status, &code); err != nil {
			return fmt.Errorf("store: report messages: %w", err)
		}
		m = inbox.ReportMessage{
			ConversationID: conversationID, At: at.Time, Direction: inbox.Direction(dir),
			SentBy: sentBy.Int64, Status: inbox.Status(status), ErrorCode: code,
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: report messages: %w", err)
	}
	return nil
}

// ReportConversationsCreated reads conversations_created.
func (s *Store) ReportConversationsCreated(ctx context.Context, f inbox.ReportFilter, from, to time.Time) ([]time.Time, error) {
	var out []time.Time
	q := s.db.NewSelect().TableExpr("conversations").Column("created_at").
		Where("created_at >= ?", from.UTC()).Where("created_at < ?", to.UTC())
	if cond, args := conversationFilter("id", f); cond != "" {
		q = q.Where(cond, args...)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: report conversations created: %w", err)
	}
	return out, nil
}

// ReportConsentEvents reads consent_events_occurred; a label or assignee
// filter reaches the events through the conversation of their contact and
// number.
func (s *Store) ReportConsentEvents(ctx context.Context, f inbox.ReportFilter, from, to time.Time) ([]inbox.ConsentEvent, error) {
	var rows []consentEventRow
	q := s.db.NewSelect().Model(&rows).
		Where("occurred_at >= ?", from.UTC()).Where("occurred_at < ?", to.UTC()).OrderExpr("occurred_at, id")
	if f.Channel != "" {
		q = q.Where("channel_number = ?", string(f.Channel))
	}
	if f.LabelID != 0 || f.AssigneeID != 0 {
		cond, args := conversationFilter("c.id", inbox.ReportFilter{LabelID: f.LabelID, AssigneeID: f.AssigneeID})
		q = q.Where(`EXISTS (SELECT 1 FROM conversations AS c WHERE c.contact_number = consent_event_row.contact_number
			AND c.channel_number = consent_event_row.channel_number AND `+cond+")", args...)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: report consent: %w", err)
	}
	out := make([]inbox.ConsentEvent, len(rows))
	for i, r := range rows {
		out[i] = inbox.ConsentEvent{
			ID: r.ID, ContactNumber: inbox.Number(r.ContactNumber), ChannelNumber: inbox.Number(r.ChannelNumber),
			Kind: inbox.ConsentKind(r.Kind), Keyword: r.Keyword, Source: r.Source, Reason: r.Reason,
			ActorID: r.ActorID, OccurredAt: r.OccurredAt,
		}
	}
	return out, nil
}

// ReportOpenByAssignee counts through the conversations_assignee index;
// unassigned conversations are left out.
func (s *Store) ReportOpenByAssignee(ctx context.Context, f inbox.ReportFilter) (map[int64]int, error) {
	var rows []struct {
		AssigneeID int64 `bun:"assignee_id"`
		N          int   `bun:"n"`
	}
	table := "conversations"
	if s.dialect == "sqlite" {
		// Without statistics SQLite walks conversations_status_activity and
		// reads each open conversation's row (0.3 s at 100,000); the partial
		// index holds the assignee of every open conversation already.
		table = "conversations INDEXED BY conversations_assignee"
	}
	q := s.db.NewSelect().TableExpr(table).
		ColumnExpr("assignee_id").ColumnExpr("COUNT(*) AS n").
		Where("status = 'open'").Where("assignee_id IS NOT NULL").GroupExpr("assignee_id")
	if cond, args := conversationFilter("id", f); cond != "" {
		q = q.Where(cond, args...)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: report open by assignee: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.AssigneeID] = r.N
	}
	return out, nil
}
