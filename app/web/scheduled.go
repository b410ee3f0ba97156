package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleScheduleReply stores a reply to send later (the composer's Send
// later menu). htmx gets an empty composer with the thread's scheduled
// messages out of band, or the composer again with the reason, the draft
// and the picked time kept (422).
func (s *server) handleScheduleReply(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	text, sendAt := c.FormValue("text"), c.FormValue(views.SendAtField)
	sched, err := s.deps.Inbox.ScheduleFromForm(text, c.FormValue(views.WhenField), sendAt, c.FormValue(views.ZoneField))
	if err == nil {
		_, err = s.deps.Inbox.ScheduleReply(c.UserContext(), u, id, sched)
	}
	conv, ferr := s.deps.Inbox.FindConversation(c.UserContext(), id)
	if err != nil {
		if !isUserError(err) || !isHTMX(c) || ferr != nil {
			return err
		}
		p := views.ComposerFor(conv)
		p.Text, p.Error, p.SendAt = text, inbox.ErrorMessage(err), sendAt
		return s.render(c, fiber.StatusUnprocessableEntity, views.Composer(p))
	}
	if ferr != nil {
		return ferr
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(id), fiber.StatusSeeOther)
	}
	list, err := s.scheduledList(c.UserContext(), s.page(c), conv)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.ScheduledSent(views.ComposerFor(conv), list))
}

// handleScheduledEdit changes a scheduled message's text and time; the
// answer is its card, or the card with the reason and the draft (422).
// One already sent or cancelled is a conflict (409).
func (s *server) handleScheduledEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	text, sendAt := c.FormValue("text"), c.FormValue(views.SendAtField)
	sched, err := s.deps.Inbox.ScheduleFromForm(text, views.WhenPicked, sendAt, c.FormValue(views.ZoneField))
	var sm inbox.ScheduledMessage
	if err == nil {
		sm, err = s.deps.Inbox.EditScheduled(c.UserContext(), u, id, sched)
	}
	if editErr := err; editErr != nil {
		if inbox.ErrorCode(editErr) != inbox.EINVALID || !isHTMX(c) {
			return editErr
		}
		if sm, err = s.deps.Inbox.FindScheduled(c.UserContext(), id); err != nil {
			return err
		}
		item, err := s.scheduledItem(c.UserContext(), s.page(c), sm)
		if err != nil {
			return err
		}
		item.Error, item.Text, item.SendAt = inbox.ErrorMessage(editErr), text, sendAt
		return s.render(c, fiber.StatusUnprocessableEntity, views.ScheduledCard(item))
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(sm.ConversationID), fiber.StatusSeeOther)
	}
	item, err := s.scheduledItem(c.UserContext(), s.page(c), sm)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.ScheduledCard(item))
}

// handleScheduledCancel cancels a scheduled message; htmx gets an empty
// answer, which takes its card away. One already sent or cancelled is a
// conflict (409).
func (s *server) handleScheduledCancel(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	sm, err := s.deps.Inbox.CancelScheduled(c.UserContext(), u, id)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(sm.ConversationID), fiber.StatusSeeOther)
	}
	return c.Status(fiber.StatusOK).SendString("")
}

// scheduledList is a conversation's messages waiting to be sent.
func (s *server) scheduledList(ctx context.Context, d *pageData, conv inbox.Conversation) (views.ScheduledListProps, error) {
	list, err := s.deps.Inbox.ListScheduled(ctx, conv.ID)
	if err != nil {
		return views.ScheduledListProps{}, err
	}
	names, err := d.names()
	if err != nil {
		return views.ScheduledListProps{}, err
	}
	p := views.ScheduledListProps{ConversationID: conv.ID, Items: make([]views.ScheduledItem, len(list))}
	zone := conv.ContactNumber.TimeZone()
	for i, sm := range list {
		p.Items[i] = views.ScheduledItem{Message: sm, SentByName: names[sm.SentBy], ContactZone: zone}
	}
	return p, nil
}

func (s *server) scheduledItem(ctx context.Context, d *pageData, sm inbox.ScheduledMessage) (views.ScheduledItem, error) {
	conv, err := s.deps.Inbox.FindConversation(ctx, sm.ConversationID)
	if err != nil {
		return views.ScheduledItem{}, err
	}
	names, err := d.names()
	if err != nil {
		return views.ScheduledItem{}, err
	}
	return views.ScheduledItem{Message: sm, SentByName: names[sm.SentBy], ContactZone: conv.ContactNumber.TimeZone()}, nil
}

// scheduledPart is the live update of a schedule change: the thread's
// scheduled messages as they are now, out of band.
func (s *server) scheduledPart(ctx context.Context, d *pageData, conversationID int64) (views.ScheduledListProps, error) {
	conv, err := s.deps.Inbox.FindConversation(ctx, conversationID)
	if err != nil {
		return views.ScheduledListProps{}, err
	}
	return s.scheduledList(ctx, d, conv)
}
