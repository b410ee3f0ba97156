package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/views"
)

// pageContext is the context a page renders with: for an admin's full
// page, it says whether a webhook endpoint is paused after failing, so
// the layout can tell them. The flag comes from the webhook subscriptions
// cache (no query while it is fresh); fragments and agents skip it.
func (s *server) pageContext(c *fiber.Ctx) context.Context {
	ctx := c.UserContext()
	if isHTMX(c) {
		return ctx
	}
	if u, ok := views.CurrentUser(ctx); !ok || !u.IsAdmin() {
		return ctx
	}
	paused, err := s.deps.Inbox.WebhookPausedByFailure(ctx)
	if err != nil {
		// A notice is not worth failing the page for.
		s.log.Warn("webhooks: read paused endpoints", "err", err)
		return ctx
	}
	if paused {
		ctx = views.WithWebhookPaused(ctx)
	}
	return ctx
}
