package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleClose closes a conversation and moves on: htmx gets the thread of
// the conversation the page named next (the row below, else above), or the
// empty pane when there is none, with the address bar following, and an
// Undo toast; a plain form goes back to the closed thread.
func (s *server) handleClose(c *fiber.Ctx, id int64) error {
	u, _ := currentUser(c)
	ctx := c.UserContext()
	conv, err := s.deps.Inbox.SetConversationStatus(ctx, u, id, inbox.ConversationClosed)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(id), fiber.StatusSeeOther)
	}
	closed, err := s.listItems(ctx, s.page(c), []inbox.Conversation{conv})
	if err != nil {
		return err
	}
	next, err := s.nextThread(c, id)
	if err != nil {
		return err
	}
	if next != nil {
		c.Set("HX-Push-Url", views.ThreadURL(next.Conversation.ID))
	} else {
		c.Set("HX-Push-Url", views.ListURL(c.FormValue("filter"), "", ""))
	}
	return s.render(c, fiber.StatusOK, views.CloseAdvanced(next, closed[0]))
}

// nextThread opens the conversation named in the close form's next field;
// nil when it names none, or one that is gone.
func (s *server) nextThread(c *fiber.Ctx, closed int64) (*views.ThreadProps, error) {
	next, err := strconv.ParseInt(c.FormValue(views.CloseNextField), 10, 64)
	if err != nil || next <= 0 || next == closed {
		return nil, nil
	}
	th, err := s.deps.Inbox.OpenThread(c.UserContext(), next)
	if inbox.ErrorCode(err) == inbox.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	props, err := s.threadProps(c, th)
	if err != nil {
		return nil, err
	}
	return &props, nil
}
