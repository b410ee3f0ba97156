package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// quarter is the rollups' key for t: its UTC quarter-hour (migration
// 0037).
func quarter(t time.Time) int64 {
	s := t.Unix()
	if s < 0 {
		return (s - 899) / 900
	}
	return s / 900
}

// ReportCounts reads report_counts, summing its shards and, without a
// channel, its numbers.
func (s *Store) ReportCounts(ctx context.Context, channel inbox.Number, from, to time.Time) ([]inbox.QuarterCounts, error) {
	q := `SELECT q, SUM(opened), SUM(received), SUM(sent), SUM(delivered), SUM(undelivered), SUM(failed), SUM(unconfirmed)
		FROM report_counts WHERE q >= ? AND q < ?`
	args := []any{quarter(from), quarter(to)}
	if channel != "" {
		q += " AND channel_number = ?"
		args = append(args, string(channel))
	}
	q += " GROUP BY q ORDER BY q"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report counts: %w", err)
	}
	defer rows.Close()
	var out []inbox.QuarterCounts
	for rows.Next() {
		var (
			key int64
			c   inbox.QuarterCounts
		)
		if err := rows.Scan(&key, &c.Opened, &c.Received, &c.Sent,
			&c.Delivery.Delivered, &c.Delivery.Undelivered, &c.Delivery.Failed, &c.Delivery.Unconfirmed); err != nil {
			return nil, fmt.Errorf("store: report counts: %w", err)
		}
		c.Start = time.Unix(key*900, 0).UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report counts: %w", err)
	}
	return out, nil
}

// ReportErrorCounts reads report_errors.
func (s *Store) ReportErrorCounts(ctx context.Context, channel inbox.Number, from, to time.Time) (map[string]int, error) {
	var rows []struct {
		Code string `bun:"code"`
		N    int    `bun:"n"`
	}
	q := s.db.NewSelect().TableExpr("report_errors").ColumnExpr("code").ColumnExpr("SUM(n) AS n").
		Where("q >= ?", quarter(from)).Where("q < ?", quarter(to)).GroupExpr("code")
	if channel != "" {
		q = q.Where("channel_number = ?", string(channel))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: report errors: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out, nil
}

// ReportBusiest sums report_texts by conversation.
func (s *Store) ReportBusiest(ctx context.Context, f inbox.ReportFilter, from, to time.Time, limit int) ([]inbox.ConversationCount, error) {
	var rows []struct {
		ConversationID int64 `bun:"conversation_id"`
		Texts          int   `bun:"texts"`
	}
	q := s.db.NewSelect().TableExpr("report_texts").ColumnExpr("conversation_id").ColumnExpr("SUM(n) AS texts").
		Where("q >= ?", quarter(from)).Where("q < ?", quarter(to)).
		GroupExpr("conversation_id").OrderExpr("texts DESC, conversation_id").Limit(int64(limit))
	if cond, args := conversationFilter("conversation_id", f); cond != "" {
		q = q.Where(cond, args...)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: report busiest: %w", err)
	}
	out := make([]inbox.ConversationCount, 0, len(rows))
	for _, r := range rows {
		if r.Texts > 0 {
			out = append(out, inbox.ConversationCount{Conversation: inbox.Conversation{ID: r.ConversationID}, Texts: r.Texts})
		}
	}
	return out, nil
}

// ReportReplies sums report_replies by agent.
func (s *Store) ReportReplies(ctx context.Context, f inbox.ReportFilter, from, to time.Time) ([]inbox.AgentReplies, error) {
	var rows []struct {
		UserID        int64 `bun:"user_id"`
		Replies       int   `bun:"replies"`
		Conversations int   `bun:"conversations"`
	}
	q := s.db.NewSelect().TableExpr("report_replies").ColumnExpr("user_id").
		ColumnExpr("SUM(n) AS replies").ColumnExpr("COUNT(DISTINCT conversation_id) AS conversations").
		Where("q >= ?", quarter(from)).Where("q < ?", quarter(to)).GroupExpr("user_id")
	if cond, args := conversationFilter("conversation_id", f); cond != "" {
		q = q.Where(cond, args...)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: report replies: %w", err)
	}
	out := make([]inbox.AgentReplies, len(rows))
	for i, r := range rows {
		out[i] = inbox.AgentReplies{UserID: r.UserID, Replies: r.Replies, Conversations: r.Conversations}
	}
	return out, nil
}

// ReportWaits reads report_waits through report_waits_answered, which
// holds every column it returns, all integers.
func (s *Store) ReportWaits(ctx context.Context, f inbox.ReportFilter, from, to time.Time, fn func(inbox.ReportWait)) error {
	// Only what a first response time needs: each column costs the driver
	// two calls a row, most of the read at 186,000 waits.
	q := `SELECT started_s, wait_ms, answered_by FROM report_waits
		WHERE wait_ms IS NOT NULL AND started_s >= ? AND started_s < ?`
	args := []any{from.Unix(), to.Unix()}
	if cond, cargs := conversationFilter("conversation_id", f); cond != "" {
		q += " AND " + cond
		args = append(args, cargs...)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: report waits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			w        inbox.ReportWait
			start    int64
			waitedMs int64
			by       sql.NullInt64
		)
		if err := rows.Scan(&start, &waitedMs, &by); err != nil {
			return fmt.Errorf("store: report waits: %w", err)
		}
		w.StartedAt, w.Wait, w.AnsweredBy = time.Unix(start, 0).UTC(), time.Duration(waitedMs)*time.Millisecond, by.Int64
		fn(w)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: report waits: %w", err)
	}
	return nil
}

// ReportWaiting counts through report_waits_unanswered.
func (s *Store) ReportWaiting(ctx context.Context, f inbox.ReportFilter, from, to, since time.Time, limit int) (inbox.Waiting, error) {
	var out inbox.Waiting
	cond, cargs := conversationFilter("conversation_id", f)
	waiting := func() *bun.SelectQuery {
		q := s.db.NewSelect().TableExpr("report_waits").Where("answered_at IS NULL").
			Where("started_at >= ?", from.UTC()).Where("started_at < ?", to.UTC())
		if cond != "" {
			q = q.Where(cond, cargs...)
		}
		return q
	}
	n, err := waiting().Count(ctx)
	if err != nil {
		return inbox.Waiting{}, fmt.Errorf("store: report waiting: %w", err)
	}
	older, err := waiting().Where("started_at < ?", since.UTC()).Count(ctx)
	if err != nil {
		return inbox.Waiting{}, fmt.Errorf("store: report waiting: %w", err)
	}
	out.Count, out.Older = int(n), int(older)
	if limit <= 0 || out.Older == 0 {
		return out, nil
	}
	var rows []struct {
		ConversationID int64      `bun:"conversation_id"`
		StartedAt      storedTime `bun:"started_at"`
	}
	if err := waiting().Column("conversation_id", "started_at").Where("started_at < ?", since.UTC()).
		OrderExpr("started_at, conversation_id").Limit(int64(limit)).Scan(ctx, &rows); err != nil {
		return inbox.Waiting{}, fmt.Errorf("store: report waiting: %w", err)
	}
	for _, r := range rows {
		out.Oldest = append(out.Oldest, inbox.WaitingConversation{Conversation: inbox.Conversation{ID: r.ConversationID}, Since: r.StartedAt.Time})
	}
	return out, nil
}

// nullStoredTime is a storedTime that may be NULL (the zero time).
type nullStoredTime struct{ storedTime }

// Scan implements sql.Scanner.
func (t *nullStoredTime) Scan(v any) error {
	if v == nil {
		t.Time = time.Time{}
		return nil
	}
	return t.storedTime.Scan(v)
}
