package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

const (
	// excerptMessages is how many of each conversation's newest indexed
	// messages a search looks through for its excerpt; an older match shows
	// no excerpt (the row still shows, with its preview).
	excerptMessages = 20
	// excerptNotes bounds the internal notes read for one page of results.
	excerptNotes = 200
)

type excerptRow struct {
	Kind           string    `bun:"kind"`
	ConversationID int64     `bun:"cid"`
	Body           string    `bun:"body"`
	Name           string    `bun:"name"`
	At             time.Time `bun:"at"`
}

// SearchExcerpts implements inbox.Store with one statement: each
// conversation's newest indexed messages (through messages_thread), the
// page's newest notes, and its contacts' names and notes.
func (s *Store) SearchExcerpts(ctx context.Context, search string, ids []int64) (map[int64]inbox.SearchExcerpt, error) {
	out := map[int64]inbox.SearchExcerpt{}
	m := newSearchMatch(search)
	if len(m.words) == 0 || len(ids) == 0 {
		return out, nil
	}
	parts, args := s.excerptMessages(ids)
	parts = append(parts,
		fmt.Sprintf(`SELECT * FROM (SELECT 'note' AS kind, conversation_id AS cid, body, '' AS name, created_at AS at
FROM notes WHERE conversation_id IN (?) ORDER BY id DESC LIMIT %d) AS n`, excerptNotes),
		`SELECT * FROM (SELECT 'contact' AS kind, c.id AS cid, ct.notes AS body, ct.name AS name, ct.updated_at AS at
FROM contacts AS ct JOIN conversations AS c ON c.contact_number = ct.number WHERE c.id IN (?)) AS ct`)
	args = append(args, bun.List(ids), bun.List(ids))
	var rows []excerptRow
	if err := s.db.NewRaw(strings.Join(parts, "\nUNION ALL\n"), args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: search excerpts: %w", err)
	}
	return pickExcerpts(rows, m.words), nil
}

// excerptMessages selects each conversation's newest indexed messages,
// newest first. PostgreSQL reads them through one LATERAL subquery: a
// UNION ALL of one subquery per row took it longer to plan (38 ms for a
// page of 50 on a busy machine) than to run. SQLite, which has no LATERAL,
// plans the union in well under a millisecond.
func (s *Store) excerptMessages(ids []int64) ([]string, []any) {
	if s.dialect == "postgres" {
		return []string{fmt.Sprintf(`SELECT 'message' AS kind, c.id AS cid, m.body, '' AS name, m.created_at AS at
FROM conversations AS c CROSS JOIN LATERAL (SELECT body, created_at FROM messages
WHERE conversation_id = c.id AND (direction = 'inbound' OR sent_by IS NOT NULL) ORDER BY id DESC LIMIT %d) AS m
WHERE c.id IN (?)`, excerptMessages)}, []any{bun.List(ids)}
	}
	var (
		parts []string
		args  []any
	)
	for i, id := range ids {
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT 'message' AS kind, conversation_id AS cid, body, '' AS name, created_at AS at
FROM messages WHERE conversation_id = ? AND (direction = 'inbound' OR sent_by IS NOT NULL) ORDER BY id DESC LIMIT %d) AS m%d`, excerptMessages, i))
		args = append(args, id)
	}
	return parts, args
}

// pickExcerpts chooses, for each conversation, the text that matches the
// most of the search's words, the newest of those; the contact's notes
// only when no message or note matches as many.
func pickExcerpts(rows []excerptRow, words []string) map[int64]inbox.SearchExcerpt {
	out := map[int64]inbox.SearchExcerpt{}
	best := map[int64]int{}
	for _, r := range rows {
		ex := out[r.ConversationID]
		if r.Kind == "contact" {
			ex.NameMarks, _ = markWords(r.Name, words)
		}
		marks, n := markWords(r.Body, words)
		better := n > best[r.ConversationID] ||
			(n == best[r.ConversationID] && n > 0 && r.Kind != "contact" && (ex.Source == inbox.ExcerptContactNotes || r.At.After(ex.At)))
		if better {
			ex.Text, ex.Marks = cutExcerpt(r.Body, marks)
			ex.At = r.At.UTC()
			ex.Source = map[string]inbox.ExcerptSource{"message": inbox.ExcerptMessage, "note": inbox.ExcerptNote, "contact": inbox.ExcerptContactNotes}[r.Kind]
			best[r.ConversationID] = n
		}
		if ex.Source != "" || len(ex.NameMarks) > 0 {
			out[r.ConversationID] = ex
		}
	}
	return out
}
