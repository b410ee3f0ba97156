package web

import "github.com/gofiber/fiber/v2"

// handleMarkRead marks a conversation read for a page that has its thread
// open and in view when a new text arrives (static/js/app.js). It answers
// 204: the live feed brings the row and the count as they now are.
func (s *server) handleMarkRead(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.deps.Inbox.MarkRead(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
