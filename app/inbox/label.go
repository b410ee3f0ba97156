package inbox

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxLabelName is the longest label name, in characters.
const MaxLabelName = 32

// LabelColors are the colours a label may have, in the order the settings
// screen offers them.
var LabelColors = []string{"gray", "red", "orange", "amber", "green", "teal", "blue", "indigo", "purple", "pink"}

// Label is a tag admins define and agents put on conversations ("refund",
// "VIP") to sort and find them.
type Label struct {
	ID        int64
	Name      string
	Color     string
	CreatedAt time.Time
}

// Labels returns every label, by name. Errors: EUNAVAILABLE.
func (s *Service) Labels(ctx context.Context) ([]Label, error) {
	ls, err := s.store.Labels(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	return ls, nil
}

// SaveLabel adds a label (ID 0) or renames and recolours one.
//
// Errors: EFORBIDDEN unless actor is an admin; EINVALID (field "name" or
// "color") for an empty or too long name or an unknown colour; ECONFLICT
// when another label has the name (in any case); ENOTFOUND; EUNAVAILABLE.
func (s *Service) SaveLabel(ctx context.Context, actor User, l Label) (Label, error) {
	if !actor.IsAdmin() {
		return Label{}, Errorf(EFORBIDDEN, "only admins can change labels")
	}
	l.Name = strings.Join(strings.Fields(l.Name), " ")
	if l.Name == "" {
		return Label{}, FieldError("name", "give the label a name")
	}
	if n := utf8.RuneCountInString(l.Name); n > MaxLabelName {
		return Label{}, FieldError("name", "a label name has at most %d characters", MaxLabelName)
	}
	if !slices.Contains(LabelColors, l.Color) {
		return Label{}, FieldError("color", "pick one of the colours offered")
	}
	existing, err := s.store.Labels(ctx)
	if err != nil {
		return Label{}, unavailable(err)
	}
	for _, e := range existing {
		if e.ID != l.ID && strings.EqualFold(e.Name, l.Name) {
			return Label{}, &Error{Code: ECONFLICT, Field: "name", Message: "there is already a label called " + e.Name}
		}
	}
	if l.ID == 0 {
		l.CreatedAt = s.now()
	}
	changed := l.ID != 0 // a new label is on no conversation yet
	err = s.commit(ctx, func(ctx context.Context, tx Tx) ([]Event, error) {
		if err := tx.SaveLabel(ctx, &l); err != nil {
			return nil, err
		}
		if err := tx.AppendAudit(ctx, s.auditEntry(actor, AuditLabelSaved, l.Name, l.Color)); err != nil || !changed {
			return nil, err
		}
		return []Event{{Kind: EventLabelsChanged, CreatedAt: s.now()}}, nil
	})
	if err != nil {
		return Label{}, unavailable(err)
	}
	return l, nil
}

// DeleteLabel removes a label from the settings and from every
// conversation.
//
// Errors: EFORBIDDEN unless actor is an admin; ENOTFOUND; EUNAVAILABLE.
func (s *Service) DeleteLabel(ctx context.Context, actor User, id int64) error {
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only admins can change labels")
	}
	labels, err := s.store.Labels(ctx)
	if err != nil {
		return unavailable(err)
	}
	var name string
	if i := slices.IndexFunc(labels, func(l Label) bool { return l.ID == id }); i >= 0 {
		name = labels[i].Name
	}
	err = s.commit(ctx, func(ctx context.Context, tx Tx) ([]Event, error) {
		if err := tx.DeleteLabel(ctx, id); err != nil {
			return nil, err
		}
		if err := tx.AppendAudit(ctx, s.auditEntry(actor, AuditLabelDeleted, name, "")); err != nil {
			return nil, err
		}
		return []Event{{Kind: EventLabelsChanged, CreatedAt: s.now()}}, nil
	})
	return unavailableOrNil(err)
}

// SetConversationLabel puts a label on a conversation (on true) or takes
// it off. Any signed-in person may. Asking for what is already so changes
// nothing and publishes nothing.
//
// Errors: EINVALID (field "label") for an unknown label; ENOTFOUND for
// the conversation; EUNAVAILABLE.
func (s *Service) SetConversationLabel(ctx context.Context, actor User, conversationID, labelID int64, on bool) (Conversation, error) {
	labels, err := s.store.Labels(ctx)
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	i := slices.IndexFunc(labels, func(l Label) bool { return l.ID == labelID })
	if i < 0 {
		return Conversation{}, FieldError("label", "no such label")
	}
	done := Activity{ActorID: actor.ID, Kind: ActivityLabeled, SubjectID: labelID, Detail: labels[i].Name}
	if !on {
		done.Kind = ActivityUnlabeled
	}
	_, err = s.changeConversation(ctx, conversationID, func(ctx context.Context, tx Tx, _ *Conversation, _ time.Time) ([]Event, error) {
		changed, err := tx.SetConversationLabel(ctx, conversationID, labelID, on)
		if err != nil || !changed {
			return nil, err
		}
		return []Event{{Kind: EventConversationLabeled, Activity: &done}}, nil
	})
	if err != nil {
		return Conversation{}, err
	}
	// The labels are written now; the locked row read before does not hold them.
	conv, err := s.store.FindConversationByID(ctx, conversationID)
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	return conv, nil
}
