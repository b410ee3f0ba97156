package web

import (
	"net"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// checkHost, in development only, answers 421 to a request whose Host is
// not this machine (localhost, 127.0.0.0/8, [::1]) or PUBLIC_URL's host.
// A page on another site can point its own name at 127.0.0.1 (DNS
// rebinding) and then talk to the development server as same-origin;
// the Host it sends still names that site, so this refuses it.
// Production sits behind a proxy that routes by name.
func (s *server) checkHost(c *fiber.Ctx) error {
	host := hostname(string(c.Request().Host()))
	if isLoopbackHost(host) || (s.publicHost != "" && host == s.publicHost) {
		return c.Next()
	}
	s.log.Warn("development: refused a request for another host name", "id", c.Locals(requestIDHeader))
	names := "localhost, 127.0.0.1 or [::1]"
	if s.publicHost != "" && !isLoopbackHost(s.publicHost) {
		names += " or " + s.publicHost
	}
	c.Status(fiber.StatusMisdirectedRequest)
	c.Type("txt")
	return c.SendString("This development server answers only at " + names + ".\n")
}

// hostname is host without its port or IPv6 brackets, lower-cased.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
}

// isLoopbackHost reports whether host names this machine: localhost or
// a loopback address.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLoopbackURL reports whether a PUBLIC_URL points at this machine, so
// only its own browser can reach it.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && isLoopbackHost(hostname(u.Host))
}
