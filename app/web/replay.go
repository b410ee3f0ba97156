package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/replay"
)

// nonceLocal is where a verified callback's nonce waits until its work is
// committed.
const nonceLocal = "plivo-nonce"

// refuseReplay answers ECONFLICT for a signed callback whose nonce was
// accepted within replay.Window: the same request played again. A nonce
// is remembered only once its request's work is committed (rememberNonce),
// so a request that failed, or died with the process, may come again and
// is not refused; that is also what keeps Plivo's own retries accepted
// whether or not they carry a new nonce.
//
// Errors: ECONFLICT for a replay; EUNAVAILABLE when the nonces cannot be
// read.
func (s *server) refuseReplay(c *fiber.Ctx) error {
	nonce := plivo.Nonce(func(name string) string { return c.Get(name) })
	if nonce == "" {
		return nil
	}
	seen, err := s.opts.Nonces.Seen(c.UserContext(), nonce)
	if err != nil {
		// The cause (Redis's own words) is logged by the error handler,
		// never shown.
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "cannot check the request for a replay; try again", Err: err}
	}
	if seen {
		return inbox.Errorf(inbox.ECONFLICT, "this request was already received: its signature nonce was used before")
	}
	c.Locals(nonceLocal, nonce)
	return nil
}

// rememberNonce records the nonce of a callback whose work is committed. A
// failure is logged: the MessageUUID check still keeps a replay from
// storing anything twice.
func (s *server) rememberNonce(c *fiber.Ctx) {
	nonce, _ := c.Locals(nonceLocal).(string)
	if nonce == "" {
		return
	}
	if err := s.opts.Nonces.Remember(c.UserContext(), nonce, replay.Window); err != nil {
		s.log.Warn("could not remember a webhook nonce", "id", c.Locals(requestIDHeader), "err", err)
	}
}
