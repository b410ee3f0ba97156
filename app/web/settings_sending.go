package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/views"
)

// handleSending shows Settings → Sending: the outbox's queue per sending
// number; htmx's poll gets the region alone.
func (s *server) handleSending(c *fiber.Ctx) error {
	if s.deps.Outbox == nil {
		return fiber.ErrServiceUnavailable
	}
	u, _ := currentUser(c)
	overview, err := s.deps.Outbox.SendingQueues(c.UserContext(), u, s.deps.Inbox.Numbers())
	if err != nil {
		return err
	}
	p := views.SendingProps{SendingOverview: overview}
	return s.renderScreen(c, fiber.StatusOK, views.SendingQueues(p), views.SendingPage(p))
}
