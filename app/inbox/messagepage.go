package inbox

import "context"

// MaxMessagePage bounds a page of MessagesBefore.
const MaxMessagePage = 200

// MessagesBefore returns up to limit messages of a conversation with IDs
// below before (0: the newest), oldest first, and the cursor of the older
// page. Unlike OpenThread it marks nothing read: a program reading a
// thread has not shown it to anyone.
//
// Errors: EINVALID (field "limit") for a limit outside 1..MaxMessagePage;
// ENOTFOUND; EUNAVAILABLE.
func (s *Service) MessagesBefore(ctx context.Context, id, before int64, limit int) (MessagePage, error) {
	if limit < 1 || limit > MaxMessagePage {
		return MessagePage{}, FieldError("limit", "must be from 1 to %d", MaxMessagePage)
	}
	if _, err := s.store.FindConversationByID(ctx, id); err != nil {
		return MessagePage{}, unavailable(err)
	}
	page, err := s.store.ListMessages(ctx, id, before, limit)
	if err != nil {
		return MessagePage{}, unavailable(err)
	}
	return page, nil
}
