package inbox

import (
	"context"
	"errors"
	"time"
)

// AssignConversation makes assigneeID responsible for a conversation, or
// nobody when assigneeID is 0 ("assign to me" passes the actor's own ID).
// So that agents sharing an inbox do not take work from each other, an
// agent may assign only a conversation that is unassigned or their own;
// admins may reassign anything. Assigning to the current assignee changes
// nothing and publishes nothing, so it is idempotent.
//
// Errors: EINVALID (field "assignee") for an unknown assignee; EFORBIDDEN
// when an agent touches someone else's conversation; ENOTFOUND;
// EUNAVAILABLE.
func (s *Service) AssignConversation(ctx context.Context, actor User, id, assigneeID int64) (Conversation, error) {
	if assigneeID < 0 {
		return Conversation{}, FieldError("assignee", "no such person")
	}
	to := "to nobody"
	if assigneeID != 0 {
		assignee, err := s.users.FindUserByID(ctx, assigneeID)
		if errors.Is(err, ErrNotFound) {
			return Conversation{}, FieldError("assignee", "no such person")
		} else if err != nil {
			return Conversation{}, unavailable(err)
		}
		to = "to " + assignee.Email
	}
	return s.changeConversation(ctx, id, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		if conv.AssigneeID == assigneeID {
			return nil, nil
		}
		if err := MayReassign(actor, *conv); err != nil {
			return nil, err
		}
		if err := tx.SetAssignee(ctx, id, assigneeID, now); err != nil {
			return nil, err
		}
		conv.AssigneeID, conv.UpdatedAt = assigneeID, now
		if err := tx.AppendAudit(ctx, s.auditEntry(actor, AuditAssigned, string(conv.ContactNumber), to)); err != nil {
			return nil, err
		}
		done := Activity{ActorID: actor.ID, Kind: ActivityAssigned, SubjectID: assigneeID}
		if assigneeID == 0 {
			done.Kind = ActivityUnassigned
		}
		return []Event{{Kind: EventConversationAssigned, Activity: &done}}, nil
	})
}

// MayReassign reports whether actor may change who a conversation is
// assigned to: admins always; agents when it is unassigned or theirs.
// Errors: EFORBIDDEN.
func MayReassign(actor User, c Conversation) error {
	if actor.IsAdmin() || c.AssigneeID == 0 || c.AssigneeID == actor.ID {
		return nil
	}
	return Errorf(EFORBIDDEN, "someone else is assigned to this conversation; only they or an admin can change that")
}
