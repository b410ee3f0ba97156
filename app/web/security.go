package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows scripts and styles from Parley itself only:
// no inline script, no eval (htmx is configured to match), no framing.
// Images may come from https because MMS media live at the carrier.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if s.secure {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// noStore keeps every response behind sign-in, and the sign-in pages, out
// of browser and proxy caches: they show customers' texts and numbers, so
// the back button on a shared computer or a caching proxy must not replay
// them. Static assets come before it in the routes and stay cacheable.
func (s *server) noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// isSafeMethod reports whether a request method changes nothing.
func isSafeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// isAPI reports whether a path answers in JSON.
func isAPI(path string) bool { return strings.HasPrefix(path, "/api/") }
