package web

import (
	"slices"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// contactFromForm reads the contact form: name, notes, and the field rows
// as repeated field_key/field_value pairs.
func contactFromForm(c *fiber.Ctx) inbox.Contact {
	args := c.Request().PostArgs()
	keys, values := args.PeekMulti("field_key"), args.PeekMulti("field_value")
	contact := inbox.Contact{Name: c.FormValue("name"), Notes: c.FormValue("notes")}
	for i := range max(len(keys), len(values)) {
		var f inbox.ContactField
		if i < len(keys) {
			f.Key = string(keys[i])
		}
		if i < len(values) {
			f.Value = string(values[i])
		}
		contact.Fields = append(contact.Fields, f)
	}
	return contact
}

// handleContactSave records the contact of a conversation. For htmx it
// answers with the panel folded, the list row and the thread title out of
// band; a refused contact comes back in the open panel with the reason
// (422).
func (s *server) handleContactSave(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	ctx := c.UserContext()
	typed := contactFromForm(c)
	saved, err := s.deps.Inbox.SaveContact(ctx, u, id, typed)
	if err != nil {
		if inbox.ErrorCode(err) != inbox.EINVALID || !isHTMX(c) {
			return err
		}
		typed.Fields = slices.DeleteFunc(typed.Fields, func(f inbox.ContactField) bool { return f.Key == "" && f.Value == "" })
		return s.render(c, fiber.StatusUnprocessableEntity, views.ContactPanel(views.ContactPanelProps{
			ConversationID: id, Contact: typed, Open: true, Error: inbox.ErrorMessage(err),
		}))
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(id), fiber.StatusSeeOther)
	}
	conv, err := s.deps.Inbox.FindConversation(ctx, id)
	if err != nil {
		return err
	}
	items, err := s.listItems(ctx, s.page(c), []inbox.Conversation{conv})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, templ.Join(
		views.ContactPanel(views.ContactPanelProps{ConversationID: id, Contact: saved}),
		views.ConversationRowOOB(items[0], true),
		views.ThreadTitleOOB(id, items[0].Title()),
	))
}
