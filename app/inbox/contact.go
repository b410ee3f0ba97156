package inbox

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what a contact record holds.
const (
	MaxContactName   = 80
	MaxContactNotes  = 2000
	MaxContactFields = 20
	MaxFieldKey      = 40
	MaxFieldValue    = 200
)

// Contact is what the team knows about the person behind a number: a name
// (shown instead of the number), notes, and fields of the team's own
// ("Order", "Plan"). One record per number, whichever of our numbers they
// text.
type Contact struct {
	Number    Number
	Name      string
	Notes     string
	Fields    []ContactField
	UpdatedAt time.Time
	UpdatedBy int64
}

// ContactField is one custom field of a contact.
type ContactField struct {
	Key   string
	Value string
}

// Normalise tidies c as typed into a form: spaces trimmed, rows with
// neither key nor value dropped. Errors: EINVALID, naming the field
// ("name", "notes" or "fields") at fault.
func (c Contact) Normalise() (Contact, error) {
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.Notes = strings.TrimSpace(c.Notes)
	if utf8.RuneCountInString(c.Name) > MaxContactName {
		return Contact{}, FieldError("name", "a name has at most %d characters", MaxContactName)
	}
	if utf8.RuneCountInString(c.Notes) > MaxContactNotes {
		return Contact{}, FieldError("notes", "notes hold at most %d characters", MaxContactNotes)
	}
	var fields []ContactField
	seen := map[string]bool{}
	for _, f := range c.Fields {
		f.Key, f.Value = strings.Join(strings.Fields(f.Key), " "), strings.TrimSpace(f.Value)
		switch {
		case f.Key == "" && f.Value == "":
			continue
		case f.Key == "":
			return Contact{}, FieldError("fields", "give the field with %q a name", f.Value)
		case utf8.RuneCountInString(f.Key) > MaxFieldKey || utf8.RuneCountInString(f.Value) > MaxFieldValue:
			return Contact{}, FieldError("fields", "a field name has at most %d characters and a value %d", MaxFieldKey, MaxFieldValue)
		case seen[strings.ToLower(f.Key)]:
			return Contact{}, FieldError("fields", "%s appears twice", f.Key)
		}
		seen[strings.ToLower(f.Key)] = true
		fields = append(fields, f)
	}
	if len(fields) > MaxContactFields {
		return Contact{}, FieldError("fields", "a contact has at most %d fields", MaxContactFields)
	}
	c.Fields = fields
	return c, nil
}

// FindContact returns what the team knows about number; a number nobody
// has described yet is a Contact with only its Number. Errors:
// EUNAVAILABLE.
func (s *Service) FindContact(ctx context.Context, number Number) (Contact, error) {
	c, err := s.store.FindContact(ctx, number)
	if errors.Is(err, ErrNotFound) {
		return Contact{Number: number}, nil
	}
	if err != nil {
		return Contact{}, unavailable(err)
	}
	return c, nil
}

// ContactNames returns the names of those of numbers that have one.
// Errors: EUNAVAILABLE.
func (s *Service) ContactNames(ctx context.Context, numbers []Number) (map[Number]string, error) {
	names, err := s.store.ContactNames(ctx, numbers)
	if err != nil {
		return nil, unavailable(err)
	}
	return names, nil
}

// SaveContact records what the team knows about the contact of a
// conversation (the number comes from the conversation, not the form).
// Any signed-in person may. Saving what is already there changes nothing
// and publishes nothing.
//
// Errors: EINVALID (see Contact.Normalise); ENOTFOUND; EUNAVAILABLE.
func (s *Service) SaveContact(ctx context.Context, actor User, conversationID int64, c Contact) (Contact, error) {
	c, err := c.Normalise()
	if err != nil {
		return Contact{}, err
	}
	_, err = s.changeConversation(ctx, conversationID, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		c.Number, c.UpdatedAt, c.UpdatedBy = conv.ContactNumber, now, actor.ID
		changed, err := tx.SaveContact(ctx, c)
		if err != nil || !changed {
			return nil, err
		}
		return []Event{{Kind: EventContactUpdated}}, nil
	})
	if err != nil {
		return Contact{}, err
	}
	return c, nil
}
