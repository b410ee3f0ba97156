package web

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
)

const requestIDHeader = "X-Request-ID"

// requestID takes a sane X-Request-ID from the caller (a proxy's) or makes
// one, and echoes it on the response.
func (s *server) requestID(c *fiber.Ctx) error {
	id := c.Get(requestIDHeader)
	if !saneRequestID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Locals(requestIDHeader, id)
	c.Set(requestIDHeader, id)
	return c.Next()
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// logRequests writes one line per request. It never logs bodies, query
// strings or cookies: they carry message text and secrets.
func (s *server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Let the error handler write the response now, so the line below
		// records the status the client really got.
		if herr := s.handleError(c, err); herr != nil {
			s.log.Error("write error response", "err", herr)
		}
	}
	s.logRequest(c, start)
	return nil
}

// logRequest writes the request's line and reports it to ObserveRequest.
func (s *server) logRequest(c *fiber.Ctx, start time.Time) {
	if s.opts.ObserveRequest != nil {
		s.opts.ObserveRequest(c.Route().Path, c.Response().StatusCode(), time.Since(start))
	}
	s.log.Info("request",
		"id", c.Locals(requestIDHeader),
		"method", c.Method(),
		"path", c.Path(),
		"status", c.Response().StatusCode(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"ip", c.IP(),
	)
}
