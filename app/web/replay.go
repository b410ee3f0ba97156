package web

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/replay"
)

// Where a verified callback's facts wait for its handler: the nonces it
// claimed, and the version of the signature that matched.
const (
	nonceLocal     = "plivo-nonces"
	signatureLocal = "plivo-signature"
)

// Why a webhook was refused, as its log line says.
const (
	refusedMissing    = "missing"
	refusedWrong      = "wrong"
	refusedReplayed   = "replayed"
	refusedDowngraded = "downgraded"
)

// releaseTimeout bounds giving back the nonces of a request that failed.
const releaseTimeout = 2 * time.Second

// admit claims every nonce of a verified callback before its work, once
// the signature's version is allowed (see replay.Guard.Admit). A replay
// answers 409, as before nonces were durable: the request was received,
// and Plivo, which retries any non-2xx, sends a retry with a new nonce
// anyway.
//
// Errors: ECONFLICT for a replay; EFORBIDDEN for a V2-only request where
// V3 is required; EUNAVAILABLE when the claim cannot be made.
func (s *server) admit(ctx context.Context, c *fiber.Ctx, version plivo.Version) error {
	nonces := plivo.Nonces(func(name string) string { return c.Get(name) })
	err := s.guard.Admit(ctx, version == plivo.V3, nonces)
	switch {
	case err == nil:
		c.Locals(nonceLocal, nonces)
		c.Locals(signatureLocal, version)
		return nil
	case errors.Is(err, replay.ErrReplayed):
		return s.refuseWebhook(c, refusedReplayed,
			inbox.Errorf(inbox.ECONFLICT, "this request was already received: its signature nonce was used before"))
	case errors.Is(err, replay.ErrDowngraded):
		return s.refuseWebhook(c, refusedDowngraded,
			inbox.Errorf(inbox.EFORBIDDEN, "signed with V2 alone, but this account signs its webhooks with V3"))
	}
	// The cause (the database's or Redis's own words) is logged by the
	// error handler, never shown.
	return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "cannot check the request for a replay; try again", Err: err}
}

// refuseWebhook logs why a webhook is refused and returns err. The line
// names the reason, the path and the request id: never the token or the
// signature.
func (s *server) refuseWebhook(c *fiber.Ctx, reason string, err error) error {
	s.log.Warn("webhook refused", "reason", reason, "path", c.Path(), "id", c.Locals(requestIDHeader),
		"detail", inbox.ErrorMessage(err))
	s.opts.Refusals.Add(reason)
	return err
}

// settleNonces gives back the nonces of a callback whose work failed with
// a 5xx, so Plivo's retry, or the same request after the outage, is
// accepted. A refusal (4xx) keeps them: the same request would be refused
// again, and a released V2 nonce would let its signature be tried with
// another body.
func (s *server) settleNonces(c *fiber.Ctx, err error) {
	if err == nil {
		return
	}
	if status, _ := s.describe(err); status < fiber.StatusInternalServerError {
		return
	}
	nonces, _ := c.Locals(nonceLocal).([]string)
	if len(nonces) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), releaseTimeout)
	defer cancel()
	if rerr := s.guard.Release(ctx, nonces); rerr != nil {
		s.log.Warn("could not release the nonces of a failed webhook; its retry must carry new ones",
			"id", c.Locals(requestIDHeader), "err", rerr)
	}
}

// signedVersion is the signature version of the callback being handled;
// 0 when signatures are not checked (development without a token).
func signedVersion(c *fiber.Ctx) plivo.Version {
	v, _ := c.Locals(signatureLocal).(plivo.Version)
	return v
}
