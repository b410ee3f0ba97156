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
	// deferredLocal is set when the nonces are left to the work's own
	// transaction (claimWithWork).
	deferredLocal = "plivo-nonces-deferred"
)

// When a verified callback's nonces are claimed.
type nonceClaim int

const (
	// claimFirst claims them before the handler's work, in a statement
	// of its own.
	claimFirst nonceClaim = iota
	// claimWithWork leaves them to the work, which claims them in its own
	// transaction (inbox.Inbound.Nonces): one commit a text, not two,
	// and a text not stored leaves its nonces free.
	claimWithWork
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

// admit claims every nonce of a verified callback before its work (or
// leaves them to the work, see claimWithWork), once the signature's
// version is allowed (see replay.Guard.Admit). A replay
// answers 409, as before nonces were durable: the request was received,
// and Plivo, which retries any non-2xx, sends a retry with a new nonce
// anyway.
//
// Errors: ECONFLICT for a replay; EFORBIDDEN for a V2-only request where
// V3 is required; EUNAVAILABLE when the claim cannot be made.
func (s *server) admit(ctx context.Context, c *fiber.Ctx, version plivo.Version, when nonceClaim) error {
	nonces := plivo.Nonces(func(name string) string { return c.Get(name) })
	var err error
	if when == claimWithWork {
		err = s.guard.Check(ctx, version == plivo.V3)
	} else {
		err = s.guard.Admit(ctx, version == plivo.V3, nonces)
	}
	switch {
	case err == nil:
		c.Locals(nonceLocal, nonces)
		c.Locals(signatureLocal, version)
		c.Locals(deferredLocal, when == claimWithWork)
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
// another body. Nonces left to the work's transaction are already free
// after a 5xx (it did not commit), and are claimed now after a refusal
// that came before the work claimed them.
func (s *server) settleNonces(c *fiber.Ctx, err error) {
	if err == nil {
		return
	}
	nonces, _ := c.Locals(nonceLocal).([]string)
	if len(nonces) == 0 {
		return
	}
	status, _ := s.describe(err)
	deferred, _ := c.Locals(deferredLocal).(bool)
	switch {
	case deferred && status >= fiber.StatusInternalServerError, !deferred && status < fiber.StatusInternalServerError:
		return
	case deferred && errors.Is(err, inbox.ErrNonceReused):
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), releaseTimeout)
	defer cancel()
	if deferred {
		// A request refused before its work: its nonces are spent all the
		// same. Claimed before means played again, spent already.
		if cerr := s.guard.Claim(ctx, nonces); cerr != nil && !errors.Is(cerr, replay.ErrReplayed) {
			s.log.Warn("could not claim the nonces of a refused webhook", "id", c.Locals(requestIDHeader), "err", cerr)
		}
		return
	}
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
