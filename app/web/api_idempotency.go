package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// idempotencyWait bounds how long a request waits for the first request
// with its Idempotency-Key to finish, and idempotencyPoll how often it
// looks.
const (
	idempotencyWait = 10 * time.Second
	idempotencyPoll = 20 * time.Millisecond
)

// idempotent runs a POST once per token and Idempotency-Key: the first
// request with a key does the work and its answer is stored; the same
// key again (at once, concurrently or a day later) gets that answer
// without doing the work again. A concurrent duplicate waits for the
// first to finish. The key with a different request is 422. An answer
// that did nothing for the moment (429, 5xx) is not kept, so a retry with
// the same key does the work. Without the header the request just runs.
func (s *server) idempotent(c *fiber.Ctx, t inbox.APIToken, run func() error) error {
	key := c.Get("Idempotency-Key")
	if key == "" {
		return run()
	}
	ctx := c.UserContext()
	sum := sha256.Sum256([]byte(c.Method() + " " + c.Path() + "\n" + string(c.Body())))
	hash := hex.EncodeToString(sum[:])
	deadline := time.Now().Add(idempotencyWait)
	for {
		held, claimed, err := s.deps.Inbox.ClaimIdempotencyKey(ctx, t.ID, key, hash)
		if err != nil {
			if errors.Is(err, inbox.ErrKeyReused) {
				return unprocessable{err}
			}
			return err
		}
		if claimed {
			return s.runIdempotent(c, t, key, run)
		}
		for !held.Done {
			if time.Now().After(deadline) {
				return inbox.Errorf(inbox.ECONFLICT, "a request with this Idempotency-Key is still being processed; retry later")
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(idempotencyPoll):
			}
			held, err = s.deps.Inbox.IdempotentResult(ctx, t.ID, key)
			if errors.Is(err, inbox.ErrNotFound) {
				break // released: claim it afresh
			}
			if err != nil {
				return err
			}
		}
		if held.Done {
			c.Set("Idempotent-Replayed", "true")
			c.Type("json")
			return c.Status(held.Status).Send(held.Body)
		}
	}
}

// runIdempotent does the work of the request holding a key and stores
// its answer, or releases the key when the answer changed nothing.
func (s *server) runIdempotent(c *fiber.Ctx, t inbox.APIToken, key string, run func() error) error {
	if err := run(); err != nil {
		if herr := s.handleError(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	// The answer is kept even if the client has gone: the work is done.
	ctx := c.Context()
	if status == fiber.StatusTooManyRequests || status >= 500 {
		return s.deps.Inbox.ReleaseIdempotencyKey(ctx, t.ID, key)
	}
	body := append([]byte(nil), c.Response().Body()...)
	return s.deps.Inbox.FinishIdempotencyKey(ctx, t.ID, key, status, body)
}
