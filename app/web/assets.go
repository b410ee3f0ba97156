package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/static"
)

// handleStatic serves embedded assets. Content-hashed URLs never change
// content, so browsers may keep them for a year; plain names get a short
// cache.
func (s *server) handleStatic(c *fiber.Ctx) error {
	content, contentType, ok := static.Lookup(c.Path())
	if !ok {
		return fiber.ErrNotFound
	}
	if static.Hashed(c.Path()) {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(content)
}
