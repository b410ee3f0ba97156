package inbox

import (
	"context"
	"time"
)

// MentionsPageSize is how many mentions the mentions list shows.
const MentionsPageSize = 50

// Mentions returns the newest of u's mentions, unread ones only when
// unread is set. Errors: EUNAVAILABLE.
func (s *Service) Mentions(ctx context.Context, u User, unread bool) ([]Mention, error) {
	ms, err := s.store.Mentions(ctx, u.ID, unread, MentionsPageSize)
	if err != nil {
		return nil, unavailable(err)
	}
	return ms, nil
}

// CountUnreadMentions counts u's unread mentions, for the header badge.
// Errors: EUNAVAILABLE.
func (s *Service) CountUnreadMentions(ctx context.Context, u User) (int, error) {
	n, err := s.store.CountUnreadMentions(ctx, u.ID)
	if err != nil {
		return 0, unavailable(err)
	}
	return n, nil
}

// MarkMentionsRead marks u's mentions in a conversation read, as opening
// the conversation does, and returns how many were unread. It is
// idempotent. Errors: EUNAVAILABLE.
func (s *Service) MarkMentionsRead(ctx context.Context, u User, conversationID int64) (int, error) {
	n, err := s.store.MarkMentionsRead(ctx, u.ID, conversationID, s.now())
	if err != nil {
		return 0, unavailable(err)
	}
	return n, nil
}

// FindNote returns one note. Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) FindNote(ctx context.Context, id int64) (Note, error) {
	n, err := s.store.FindNoteByID(ctx, id)
	if err != nil {
		return Note{}, unavailable(err)
	}
	return n, nil
}

// notesFor fills page.Notes with the notes written in the span its
// messages cover: from its oldest message (or the beginning, on the
// oldest page) up to before (zero: up to now).
func (s *Service) notesFor(ctx context.Context, conversationID int64, page *MessagePage, before time.Time) error {
	var from time.Time
	if page.Before != 0 && len(page.Messages) > 0 {
		from = page.Messages[0].CreatedAt
	}
	notes, err := s.store.ListNotes(ctx, conversationID, from, before)
	if err != nil {
		return unavailable(err)
	}
	page.Notes = notes
	return nil
}
