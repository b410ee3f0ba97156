package store

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// ReportStatusLines finds the period's closes through the
// conversation_activity_kind index, then reads the status lines of their
// conversations through conversation_activity_thread, and each close's
// next contact text through messages_thread.
func (s *Store) ReportStatusLines(ctx context.Context, f inbox.ReportFilter, from, to time.Time) ([]inbox.ReportStatusLine, error) {
	next := `(SELECT MIN(m.created_at) FROM messages AS m WHERE a.kind = 'closed'
		AND m.conversation_id = a.conversation_id AND m.direction = 'inbound' AND m.created_at > a.at)`
	at, created := "a.at", "c.created_at"
	if s.dialect == "sqlite" {
		// As text, as ReportMessages reads its timestamps.
		at, created, next = "CAST(a.at AS TEXT)", "CAST(c.created_at AS TEXT)", "CAST("+next+" AS TEXT)"
	}
	q := `SELECT a.conversation_id, a.kind, a.actor_id, ` + at + `, ` + created + `, ` + next + `
		FROM conversation_activity AS a JOIN conversations AS c ON c.id = a.conversation_id
		WHERE a.kind IN ('closed', 'reopened', 'unblocked') AND a.at < ?
		AND a.conversation_id IN (SELECT conversation_id FROM conversation_activity
			WHERE kind = 'closed' AND at >= ? AND at < ?)`
	args := []any{to.UTC(), from.UTC(), to.UTC()}
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
			text        nullStoredTime
		)
		if err := rows.Scan(&l.ConversationID, &kind, &l.ActorID, &when, &since, &text); err != nil {
			return nil, fmt.Errorf("store: report status lines: %w", err)
		}
		l.Kind, l.At, l.CreatedAt, l.NextText = inbox.ActivityKind(kind), when.Time, since.Time, text.Time
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report status lines: %w", err)
	}
	return out, nil
}
