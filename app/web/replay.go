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

// Where a verified callback's facts wait for its handler: its nonces, and
// the version of the signature that matched.
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

// spendTimeout bounds claiming the nonces of a request refused before its
// work.
const spendTimeout = 2 * time.Second

// admit lets a verified callback through to its work once the signature's
// version is allowed (see replay.Guard.Check), and keeps its nonces for
// the work, which claims them in its own transaction (inbox.Inbound.Nonces,
// inbox.DeliveryReport.Nonces): one commit a webhook, not two, and work
// that fails leaves them free for the retry of the same request. A request
// played again is refused by the work with ErrNonceReused (409, as before
// nonces were durable: the request was received, and Plivo, which retries
// any non-2xx, sends a retry with a new nonce anyway).
//
// Errors: EFORBIDDEN for a V2-only request where V3 is required;
// EUNAVAILABLE when that cannot be checked.
func (s *server) admit(ctx context.Context, c *fiber.Ctx, version plivo.Version) error {
	nonces := plivo.Nonces(func(name string) string { return c.Get(name) })
	err := s.guard.Check(ctx, version == plivo.V3)
	switch {
	case err == nil:
		c.Locals(nonceLocal, nonces)
		c.Locals(signatureLocal, version)
		return nil
	case errors.Is(err, replay.ErrDowngraded):
		return s.refuseWebhook(c, refusedDowngraded,
			inbox.Errorf(inbox.EFORBIDDEN, "signed with V2 alone, but this account signs its webhooks with V3"))
	}
	// The cause (the database's or Redis's own words) is logged by the
	// error handler, never shown.
	return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "cannot check the request's signature version; try again", Err: err}
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

// settleNonces claims the nonces of a callback refused (4xx) before its
// work claimed them: the same request would be refused again anyway, and
// a V2 signature, which does not cover the body, must not be tried again
// with another. After a 5xx nothing was committed, so the nonces are free
// for Plivo's retry, or the same request after the outage.
func (s *server) settleNonces(c *fiber.Ctx, err error) {
	if err == nil || errors.Is(err, inbox.ErrNonceReused) {
		return
	}
	if status, _ := s.describe(err); status >= fiber.StatusInternalServerError {
		return
	}
	if cerr := s.spendNonces(c); cerr != nil {
		s.log.Warn("could not claim the nonces of a refused webhook", "id", c.Locals(requestIDHeader), "err", cerr)
	}
}

// spendNonces claims a callback's nonces outside its work, for a request
// that ends without the work having claimed them. Claimed before means
// played again: spent already.
//
// Errors: EUNAVAILABLE when the claim cannot be made.
func (s *server) spendNonces(c *fiber.Ctx) error {
	nonces, _ := c.Locals(nonceLocal).([]string)
	if len(nonces) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), spendTimeout)
	defer cancel()
	if err := s.guard.Claim(ctx, nonces); err != nil && !errors.Is(err, replay.ErrReplayed) {
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "cannot record the request against replays; try again", Err: err}
	}
	return nil
}

// signedVersion is the signature version of the callback being handled;
// 0 when signatures are not checked (development without a token).
func signedVersion(c *fiber.Ctx) plivo.Version {
	v, _ := c.Locals(signatureLocal).(plivo.Version)
	return v
}
