package store

import (
	"context"
	"fmt"
	"github.com/uptrace/bun"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/parleyhq/parley/app/inbox"
)

// Conversation search works on search_terms: the distinct words of a
// conversation's texts and of its agents' replies (not the automatic
// ones), normalised the same way as the words of a search. Each dialect
// indexes that column with its own full-text index.

const (
	// maxTerms bounds a conversation's word list; a conversation that says
	// more stops adding new words.
	maxTerms     = 4000
	maxTermRunes = 32
)

// searchTerms returns the distinct words of text: lower case, accents
// removed, runs of letters and digits of 2 to 32 characters.
func searchTerms(text string) []string {
	var (
		out  []string
		word []rune
	)
	flush := func() {
		if len(word) >= 2 && len(word) <= maxTermRunes {
			out = append(out, string(word))
		}
		word = word[:0]
	}
	for _, r := range norm.NFD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = append(word, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	slices.Sort(out)
	return slices.Compact(out)
}

// mergeTerms adds words to a space-separated list, reporting whether any
// was new.
func mergeTerms(list string, words []string) (string, bool) {
	have := strings.Fields(list)
	changed := false
	for _, w := range words {
		if len(have) >= maxTerms {
			break
		}
		if !slices.Contains(have, w) {
			have = append(have, w)
			changed = true
		}
	}
	return strings.Join(have, " "), changed
}

// indexable reports whether a message's words belong in search: what
// contacts wrote and what agents wrote, not Parley's automatic replies.
func indexable(m *inbox.Message) bool {
	return m.Direction == inbox.DirectionInbound || m.SentBy != 0
}

// newTerms works out a message's conversation's search words with the
// message's added, and whether they changed. The list read by the upsert or
// lock earlier in the transaction is reused, so a text whose words the
// conversation already has costs nothing.
func (t txStore) newTerms(ctx context.Context, m *inbox.Message) (string, bool, error) {
	if !indexable(m) {
		return "", false, nil
	}
	words := searchTerms(m.Body)
	if len(words) == 0 {
		return "", false, nil
	}
	list, ok := t.terms[m.ConversationID]
	if !ok {
		if err := t.db.NewSelect().Model((*conversationRow)(nil)).Column("search_terms").
			Where("c.id = ?", m.ConversationID).Scan(ctx, &list); err != nil {
			return "", false, fmt.Errorf("store: read search terms: %w", err)
		}
	}
	merged, changed := mergeTerms(list, words)
	return merged, changed, nil
}

// addTerms adds words (an internal note's) to a conversation's search
// words, writing them only when one is new.
func (t txStore) addTerms(ctx context.Context, conversationID int64, words []string) error {
	if len(words) == 0 {
		return nil
	}
	list, ok := t.terms[conversationID]
	if !ok {
		if err := t.db.NewSelect().Model((*conversationRow)(nil)).Column("search_terms").
			Where("c.id = ?", conversationID).Scan(ctx, &list); err != nil {
			return fmt.Errorf("store: read search terms: %w", err)
		}
	}
	merged, changed := mergeTerms(list, words)
	if !changed {
		return nil
	}
	if _, err := t.setTerms(conversationID, merged).Exec(ctx); err != nil {
		return fmt.Errorf("store: update search terms: %w", err)
	}
	if t.terms != nil {
		t.terms[conversationID] = merged
	}
	return nil
}

// contactTerms is a contact's search words: those of its name and notes,
// the whole list rewritten on each save (unlike a conversation's, which
// only grows), so an old name stops matching.
func contactTerms(name, notes string) string {
	return strings.Join(searchTerms(name+" "+notes), " ")
}

// setTerms is the statement that stores a conversation's search words.
func (t txStore) setTerms(conversationID int64, terms string) *bun.UpdateQuery {
	return t.db.NewUpdate().Model((*conversationRow)(nil)).Set("search_terms = ?", terms).
		Where("id = ?", conversationID)
}
