package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// apiGetContact is GET /conversations/:id/contact: what the team knows
// about the person on the other end.
func (s *server) apiGetContact(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	conv, err := s.deps.Inbox.FindConversation(ctx, id)
	if err != nil {
		return err
	}
	contact, err := s.deps.Inbox.FindContact(ctx, conv.ContactNumber)
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewContactJSON(contact))
}

// apiContactPatch is the body of PATCH /conversations/:id/contact: the
// fields given replace the stored ones; those left out stay.
type apiContactPatch struct {
	Name   *string                   `json:"name"`
	Notes  *string                   `json:"notes"`
	Fields *[]inbox.ContactFieldJSON `json:"fields"`
}

func (s *server) apiUpdateContact(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	req := apiBody[*apiContactPatch](c)
	ctx := c.UserContext()
	conv, err := s.deps.Inbox.FindConversation(ctx, id)
	if err != nil {
		return err
	}
	contact, err := s.deps.Inbox.FindContact(ctx, conv.ContactNumber)
	if err != nil {
		return err
	}
	if req.Name != nil {
		contact.Name = *req.Name
	}
	if req.Notes != nil {
		contact.Notes = *req.Notes
	}
	if req.Fields != nil {
		contact.Fields = nil
		for _, f := range *req.Fields {
			contact.Fields = append(contact.Fields, inbox.ContactField(f))
		}
	}
	u, _ := currentUser(c)
	saved, err := s.deps.Inbox.SaveContact(ctx, u, id, contact)
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewContactJSON(saved))
}
