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

// SearchExcerpts implements inbox.Store with two statements: which of
// the page's conversations hold any of the search's words, then those
// conversations' newest indexed messages (through messages_thread) and
// newest notes, and every row's contact's name and notes.
func (s *Store) SearchExcerpts(ctx context.Context, search string, ids []int64) (map[int64]inbox.SearchExcerpt, error) {
	out := map[int64]inbox.SearchExcerpt{}
	m := newSearchMatch(search)
	if len(m.words) == 0 || len(ids) == 0 {
		return out, nil
	}
	worded, err := s.holdingAnyWord(ctx, m, ids)
	if err != nil {
		return nil, err
	}
	var (
		parts []string
		args  []any
	)
	if len(worded) > 0 {
		parts, args = s.excerptMessages(worded)
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT 'note' AS kind, conversation_id AS cid, body, '' AS name, created_at AS at
FROM notes WHERE conversation_id IN (?) ORDER BY id DESC LIMIT %d) AS n`, excerptNotes))
		args = append(args, bun.List(worded))
	}
	parts = append(parts, `SELECT * FROM (SELECT 'contact' AS kind, c.id AS cid, ct.notes AS body, ct.name AS name, ct.updated_at AS at
FROM contacts AS ct JOIN conversations AS c ON c.contact_number = ct.number WHERE c.id IN (?)) AS ct`)
	args = append(args, bun.List(ids))
	var rows []excerptRow
	if err := s.db.NewRaw(strings.Join(parts, "\nUNION ALL\n"), args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: search excerpts: %w", err)
	}
	return pickExcerpts(rows, m.words), nil
}

// holdingAnyWord returns which of ids have any of m's words among their
// search words. The others, found by their number or their contact, have
// no message or note an excerpt could mark, and reading their newest
// messages was most of a number search's time.
func (s *Store) holdingAnyWord(ctx context.Context, m searchMatch, ids []int64) ([]int64, error) {
	var out []int64
	err := s.db.NewSelect().TableExpr("conversations AS c").Column("c.id").Where("c.id IN (?)", bun.List(ids)).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			for _, w := range m.words {
				q = q.WhereOr("(' ' || c.search_terms) LIKE ?", "% "+w+"%")
			}
			return q
		}).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("store: search excerpts: %w", err)
	}
	return out, nil
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
