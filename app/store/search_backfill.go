package store

import (
	"context"
	"fmt"
	"slices"
)

// searchPeopleMigration is the migration after which existing contacts
// and internal notes are added to search (backfillSearchWords).
const searchPeopleMigration = "0025_search_people"

// backfillSearchWords gives existing contacts their word lists and adds
// existing notes' words to their conversations', once, right after the
// migration that made them searchable. Both are computed in Go, where
// words are normalised, so SQL alone cannot do it.
func (s *Store) backfillSearchWords(ctx context.Context) error {
	var contacts []contactRow
	if err := s.db.NewSelect().Model(&contacts).Column("number", "name", "notes").
		Where("ct.name <> '' OR ct.notes <> ''").Scan(ctx); err != nil {
		return fmt.Errorf("store: backfill contact words: %w", err)
	}
	for _, c := range contacts {
		if _, err := s.db.NewUpdate().Model((*contactRow)(nil)).Set("search_terms = ?", contactTerms(c.Name, c.Notes)).
			Where("number = ?", c.Number).Exec(ctx); err != nil {
			return fmt.Errorf("store: backfill contact words: %w", err)
		}
	}
	var notes []noteRow
	if err := s.db.NewSelect().Model(&notes).Column("conversation_id", "body").Order("n.id").Scan(ctx); err != nil {
		return fmt.Errorf("store: backfill note words: %w", err)
	}
	t := newTxStore(s.db)
	for _, n := range notes {
		if err := t.addTerms(ctx, n.ConversationID, searchTerms(n.Body)); err != nil {
			return fmt.Errorf("store: backfill note words: %w", err)
		}
	}
	return nil
}

// justAppliedSearchPeople reports whether names, the migrations just
// applied, include the one after which search words are backfilled.
func justAppliedSearchPeople(names []string) bool {
	return slices.Contains(names, searchPeopleMigration)
}
