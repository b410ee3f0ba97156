package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/views"
)

// handleMessageTimeline answers a message's delivery timeline as a small
// fragment, for the bubble's "Details".
func (s *server) handleMessageTimeline(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	tl, err := s.deps.Inbox.MessageTimeline(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := views.TimelineProps{Message: tl.Message, ErrorText: tl.Message.ErrorMessage}
	for _, e := range tl.Events {
		p.Entries = append(p.Entries, views.TimelineEntry{
			Status: e.Status, At: e.OccurredAt, ErrorCode: e.ErrorCode, Explanation: plivo.ExplainErrorCode(e.ErrorCode),
		})
	}
	return s.render(c, fiber.StatusOK, views.MessageTimeline(p))
}

// handleRetryMessage sends a failed message again as a new one. htmx gets
// the old bubble (now "Retried") and the new message, both out of band;
// a plain form goes back to the thread.
func (s *server) handleRetryMessage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	ctx := c.UserContext()
	again, err := s.deps.Inbox.RetryMessage(ctx, u, id)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(again.ConversationID), fiber.StatusSeeOther)
	}
	old, err := s.deps.Inbox.FindMessage(ctx, id)
	if err != nil {
		return err
	}
	names, err := s.page(c).names()
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.RetrySent(messageItem(old, names), messageItem(again, names)))
}

func messageItem(m inbox.Message, names map[int64]string) views.MessageItem {
	return withReason(views.MessageItem{Message: m, SentByName: names[m.SentBy]})
}
