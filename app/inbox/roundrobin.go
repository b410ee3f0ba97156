package inbox

import (
	"context"
	"time"
)

// SetAvailable puts actor in the round-robin that assigns new
// conversations (on true) or takes them out. It is idempotent.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) SetAvailable(ctx context.Context, actor User, available bool) (User, error) {
	if err := s.users.SetAvailable(ctx, actor.ID, available); err != nil {
		return User{}, unavailable(err)
	}
	actor.Available = available
	return actor, nil
}

// assignNew gives a conversation its contact just started to the next
// available person, in turn; with nobody available it stays unassigned.
func (s *Service) assignNew(ctx context.Context, tx Tx, conv *Conversation, now time.Time) error {
	if conv.MessageCount != 1 || conv.AssigneeID != 0 {
		return nil
	}
	id, err := tx.TakeNextAvailable(ctx, now)
	if err != nil || id == 0 {
		return err
	}
	if err := tx.SetAssignee(ctx, conv.ID, id, now); err != nil {
		return err
	}
	conv.AssigneeID = id
	return nil
}
