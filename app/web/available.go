package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/views"
)

// handleAvailable puts the signed-in person in or out of the round-robin
// (form field on: "true" or "false"), answering htmx with the toggle and
// anything else by going back.
func (s *server) handleAvailable(c *fiber.Ctx) error {
	u, _ := currentUser(c)
	u, err := s.deps.Inbox.SetAvailable(c.UserContext(), u, c.FormValue("on") == "true")
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(views.InboxURL, fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, views.AvailabilityToggle(u))
}
