package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleMeter answers the composer's live meter: characters, encoding and
// segments, counted by the domain (one source of truth).
func (s *server) handleMeter(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, views.Meter(inbox.Segment(c.FormValue("text"))))
}

// handleSendReply queues a reply. htmx gets an empty composer with the new
// message appended out of band, or the composer again with the error (422)
// and the draft kept.
func (s *server) handleSendReply(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	text := c.FormValue("text")
	files, previews, err := s.replyAttachments(c)
	if err == nil {
		var m inbox.Message
		if m, err = s.deps.Inbox.SendReplyWithMedia(c.UserContext(), u, id, text, files); err == nil {
			return s.replySent(c, id, u, m)
		}
	}
	if !isUserError(err) || !isHTMX(c) {
		return err
	}
	conv, ferr := s.deps.Inbox.FindConversation(c.UserContext(), id)
	if ferr != nil {
		return ferr
	}
	p := views.ComposerFor(conv)
	p.Text, p.Error, p.Attachments = text, inbox.ErrorMessage(err), previews
	return s.render(c, fiber.StatusUnprocessableEntity, views.Composer(p))
}

// replySent answers a queued reply: the thread for a page, an empty
// composer and the new message for htmx.
func (s *server) replySent(c *fiber.Ctx, id int64, u inbox.User, m inbox.Message) error {
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(id), fiber.StatusSeeOther)
	}
	conv, err := s.deps.Inbox.FindConversation(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.ReplySent(views.ComposerFor(conv), withReason(views.MessageItem{Message: m, SentByName: u.DisplayName()})))
}

// isUserError reports whether err is the person's to fix (shown inline)
// rather than the system's.
func isUserError(err error) bool {
	switch inbox.ErrorCode(err) {
	case inbox.EINVALID, inbox.EOPTEDOUT, inbox.EBLOCKED, inbox.ERATELIMITED:
		return true
	}
	return false
}

// handleNewConversationForm shows the form to text a number first.
func (s *server) handleNewConversationForm(c *fiber.Ctx) error {
	p := views.NewConversationProps{Channels: s.deps.Inbox.Channels()}
	if isHTMX(c) {
		return s.render(c, fiber.StatusOK, views.NewConversationForm(p))
	}
	return s.renderNewConversationPage(c, p)
}

func (s *server) renderNewConversationPage(c *fiber.Ctx, p views.NewConversationProps) error {
	return s.render(c, fiber.StatusOK, views.NewConversationPage(p))
}

// handleStartConversation queues the first message to a number and opens
// its thread; field errors come back inline (422).
func (s *server) handleStartConversation(c *fiber.Ctx) error {
	u, _ := currentUser(c)
	to, from, text := c.FormValue("to"), c.FormValue("from"), c.FormValue("text")
	m, err := s.deps.Inbox.StartConversation(c.UserContext(), u, to, from, text)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		p := views.NewConversationProps{To: to, From: from, Text: text, Channels: s.deps.Inbox.Channels()}
		switch inbox.ErrorField(err) {
		case "to":
			p.ToError = inbox.ErrorMessage(err)
		case "text":
			p.TextError = inbox.ErrorMessage(err)
		default:
			p.Error = inbox.ErrorMessage(err)
		}
		if !isHTMX(c) {
			c.Status(fiber.StatusUnprocessableEntity)
			return s.render(c, fiber.StatusUnprocessableEntity, views.NewConversationPage(p))
		}
		return s.render(c, fiber.StatusUnprocessableEntity, views.NewConversationForm(p))
	}
	target := views.ThreadURL(m.ConversationID)
	if isHTMX(c) {
		c.Set("HX-Location", target)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}
