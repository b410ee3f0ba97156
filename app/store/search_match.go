package store

import (
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/parleyhq/parley/app/inbox"
)

// searchMatch is a search reduced to what the store can match: the digits
// of a phone number and whole normalised words, the last one a prefix.
// Nothing the user types reaches query syntax: words are letters and
// digits only, and digits are digits.
type searchMatch struct {
	digits string
	words  []string
}

func newSearchMatch(search string) searchMatch {
	words := searchTerms(search)
	if len(words) > 8 {
		words = words[:8]
	}
	return searchMatch{digits: inbox.SearchDigits(search), words: words}
}

func (m searchMatch) empty() bool { return m.digits == "" && len(m.words) == 0 }

// whereLike matches, row by row, the number by digits, or every word as
// the start of one of the conversation's words or of its contact's.
func (m searchMatch) whereLike(q *bun.SelectQuery) *bun.SelectQuery {
	if m.digits != "" {
		q = q.WhereOr("c.contact_number LIKE ?", "%"+m.digits+"%")
	}
	if len(m.words) > 0 {
		q = q.WhereOr("(?)", m.likeWords("c.search_terms"))
		q = q.WhereOr("c.contact_number IN (SELECT ct.number FROM contacts AS ct WHERE ?)", m.likeWords("ct.search_terms"))
	}
	return q
}

// likeWords is the condition that column's word list holds every word (as
// the start of one of its words).
func (m searchMatch) likeWords(column string) schema.QueryWithArgs {
	conds := make([]string, len(m.words))
	args := make([]any, len(m.words))
	for i, w := range m.words {
		conds[i] = "(' ' || " + column + ") LIKE ?"
		args[i] = "% " + w + "%"
	}
	return bun.SafeQuery(strings.Join(conds, " AND "), args...)
}

// idQueries select the ids of matching conversations, one query per kind
// of match, each through its own index: the number's trigrams, the
// conversation's words, the contact's words. A limit above 0 caps what
// each returns, so a common word costs a count no more than a rare one.
func (m searchMatch) idQueries(s *Store, limit int) []*bun.RawQuery {
	var out []*bun.RawQuery
	pg := s.dialect == "postgres"
	capped := ""
	if limit > 0 {
		capped = fmt.Sprintf(" LIMIT %d", limit)
	}
	if m.digits != "" {
		if pg {
			// MATERIALIZED: see words below; the trigram index finds the
			// numbers, then the page sorts the few it found.
			out = append(out, s.db.NewRaw("WITH d AS MATERIALIZED (SELECT id FROM conversations WHERE contact_number LIKE ?"+capped+") SELECT id FROM d", "%"+m.digits+"%"))
		} else {
			out = append(out, s.db.NewRaw("SELECT rowid FROM conversations_number_fts WHERE conversations_number_fts MATCH ?"+capped, `"`+m.digits+`"`))
		}
	}
	if len(m.words) == 0 {
		return out
	}
	terms := make([]string, len(m.words))
	if pg {
		for i, w := range m.words {
			terms[i] = w + ":*"
		}
		tsq := strings.Join(terms, " & ")
		// MATERIALIZED keeps the planner from walking the activity index and
		// recomputing every conversation's tsvector when it misjudges a
		// prefix query's selectivity (seen: a second instead of a
		// millisecond). This phase runs only for sparse matches, so the
		// materialised set stays small.
		out = append(out,
			s.db.NewRaw("WITH m AS MATERIALIZED (SELECT id FROM conversations WHERE to_tsvector('simple', search_terms) @@ to_tsquery('simple', ?)"+capped+") SELECT id FROM m", tsq),
			s.db.NewRaw("SELECT c.id FROM conversations AS c JOIN contacts AS ct ON ct.number = c.contact_number WHERE to_tsvector('simple', ct.search_terms) @@ to_tsquery('simple', ?)"+capped, tsq))
		return out
	}
	for i, w := range m.words {
		terms[i] = `"` + w + `"*`
	}
	// Contacts are few (those the team has named), so SQLite reads their
	// word lists one by one rather than keep a third full-text index;
	// CROSS JOIN keeps it reading contacts first, then their conversations
	// by number, never every conversation.
	return append(out,
		s.db.NewRaw("SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?"+capped, strings.Join(terms, " AND ")),
		s.db.NewRaw("SELECT c.id FROM contacts AS ct CROSS JOIN conversations AS c ON c.contact_number = ct.number WHERE ?"+capped, m.likeWords("ct.search_terms")))
}

// anyID selects the ids matched by any of idQueries(limit).
func (m searchMatch) anyID(s *Store, limit int) *bun.RawQuery {
	qs := m.idQueries(s, limit)
	format := make([]string, len(qs))
	args := make([]any, len(qs))
	for i, q := range qs {
		// PostgreSQL needs a WITH inside a UNION in parentheses; SQLite
		// allows none around a compound's members.
		// SQLite, whose compound members take no LIMIT, caps each in a
		// subquery.
		format[i] = "?"
		switch {
		case s.dialect == "postgres":
			format[i] = "(?)"
		case limit > 0:
			format[i] = "SELECT * FROM (?)"
		}
		args[i] = q
	}
	return s.db.NewRaw(strings.Join(format, " UNION "), args...)
}
