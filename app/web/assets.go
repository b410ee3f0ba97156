package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/static"
)

// handleStatic serves embedded assets. Content-hashed URLs never change
// content, so browsers may keep them for a year; plain names get a short
// cache and revalidate by ETag. Text assets go out in the compressed
// form the static package made once, never compressed per request.
func (s *server) handleStatic(c *fiber.Ctx) error {
	a, ok := static.Find(c.Path())
	if !ok {
		return fiber.ErrNotFound
	}
	if static.Hashed(c.Path()) {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderETag, a.ETag)
	if a.Compressible() {
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	}
	if a.Matches(c.Get(fiber.HeaderIfNoneMatch)) {
		c.Status(fiber.StatusNotModified)
		return nil
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	enc := acceptedEncoding(c.Get(fiber.HeaderAcceptEncoding))
	if body := a.Encoded(enc); body != nil {
		c.Set(fiber.HeaderContentEncoding, enc)
		return c.Send(body)
	}
	return c.Send(a.Content)
}
