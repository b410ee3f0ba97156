package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// ReportStatusLines finds the period's closes through the
// conversation_activity_kind index, then reads the status lines of their
// conversations through conversation_activity_thread. A close's
// next_text is the contact's first text after it, found through the
// messages of that conversation by time.
func (s *Store) ReportStatusLines(ctx context.Context, f inbox.ReportFilter, from, to time.Time) ([]inbox.ReportStatusLine, error) {
	at, created, text := "a.at", "c.created_at", "MIN(m.created_at)"
	if s.dialect == "sqlite" {
		// As text, as ReportMessages reads its timestamps.
		at, created, text = "CAST(a.at AS TEXT)", "CAST(c.created_at AS TEXT)", "CAST(MIN(m.created_at) AS TEXT)"
	}
	q := `SELECT a.conversation_id, a.kind, a.actor_id, ` + at + `, ` + created + `,
		CASE WHEN a.kind = 'closed' THEN (SELECT ` + text + ` FROM messages AS m
			WHERE m.conversation_id = a.conversation_id AND m.direction = 'inbound'
			AND m.created_at > a.at AND m.created_at < ?) END
		FROM conversation_activity AS a JOIN conversations AS c ON c.id = a.conversation_id
		WHERE a.kind IN ('closed', 'reopened', 'unblocked') AND a.at < ?
		AND a.conversation_id IN (SELECT conversation_id FROM conversation_activity
			WHERE kind = 'closed' AND at >= ? AND at < ?)`
	args := []any{to.UTC(), to.UTC(), from.UTC(), to.UTC()}
	if cond, cargs := conversationFilter("a.conversation_id", f); cond != "" {
		q += " AND " + cond
		args = append(args, cargs...)
	}
	q += " ORDER BY a.conversation_id, a.at, a.id"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report status lines: %w", err)
	}
	defer rows.Close()
	var out []inbox.ReportStatusLine
	for rows.Next() {
		var (
			l           inbox.ReportStatusLine
			kind        string
			when, since storedTime
			next        sql.NullString
		)
		if err := rows.Scan(&l.ConversationID, &kind, &l.ActorID, &when, &since, &next); err != nil {
			return nil, fmt.Errorf("store: report status lines: %w", err)
		}
		l.Kind, l.At, l.CreatedAt = inbox.ActivityKind(kind), when.Time, since.Time
		if next.Valid {
			var t storedTime
			if err := t.Scan(next.String); err != nil {
				return nil, fmt.Errorf("store: report status lines: %w", err)
			}
			l.NextText = t.Time
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report status lines: %w", err)
	}
	return out, nil
}
