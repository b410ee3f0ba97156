package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleAudit shows the audit log: the page, or for htmx with ?before= the
// next older entries.
func (s *server) handleAudit(c *fiber.Ctx) error {
	var before int64
	if v := c.Query("before"); v != "" {
		var err error
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before <= 0 {
			return inbox.FieldError("before", "malformed cursor")
		}
	}
	u, _ := currentUser(c)
	entries, next, err := s.deps.Inbox.AuditLog(c.UserContext(), u, before)
	if err != nil {
		return err
	}
	names, err := s.page(c).names()
	if err != nil {
		return err
	}
	p := views.AuditProps{Entries: entries, Names: names, Before: next}
	if isHTMX(c) && before != 0 {
		return s.render(c, fiber.StatusOK, views.AuditRows(p))
	}
	return s.render(c, fiber.StatusOK, views.AuditPage(p))
}
