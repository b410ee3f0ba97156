package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/views"
)

// livePage connects a page whose handler knows nothing of the live feed
// (settings screens, New message) to it, with the unread count for the
// header's badge, so an agent there still sees new texts arrive. Only
// whole pages (a GET that is not an htmx fragment) open a feed: one per
// tab.
func (s *server) livePage(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet || isHTMX(c) {
		return c.Next()
	}
	ctx := c.UserContext()
	url := s.eventsURL(ctx)
	if url == "" {
		return c.Next()
	}
	unread, err := s.deps.Inbox.UnreadConversations(ctx)
	if err != nil {
		return err
	}
	c.SetUserContext(views.WithLiveFeed(ctx, views.LiveFeed{URL: url, Unread: unread}))
	return c.Next()
}
