package web

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// Locals keys of an API request.
const (
	localAPIToken = "parley.api_token"
	localAPIBody  = "parley.api_body"
)

// DefaultAPIRequestsPerMinute is each token's request limit when Options
// sets none.
const DefaultAPIRequestsPerMinute = 300

// apiGuard runs an operation for a request that proves itself with an
// API token: the token must be live, its owner still on the team, the
// token under its rate limit and granted the operation's scope; the query
// may hold only the parameters the operation reads, and the body must be
// the JSON it takes. POSTs honour Idempotency-Key.
func (s *server) apiGuard(r apiRoute) fiber.Handler {
	return func(c *fiber.Ctx) error {
		secret, ok := bearer(c.Get(fiber.HeaderAuthorization))
		if !ok {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="parley"`)
			return inbox.Errorf(inbox.EUNAUTHORIZED, "send an API token in Authorization: Bearer parley_… (a session cookie does not work here)")
		}
		ctx := c.UserContext()
		u, t, err := s.deps.Inbox.AuthenticateAPIToken(ctx, secret)
		if err != nil {
			if inbox.ErrorCode(err) == inbox.EUNAUTHORIZED {
				c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="parley", error="invalid_token"`)
			}
			return err
		}
		if err := s.limitAPIToken(c, t); err != nil {
			return err
		}
		if err := s.deps.Inbox.AuthorizeAPIToken(ctx, u, t, r.Scope); err != nil {
			return err
		}
		c.Locals(localUser, u)
		c.Locals(localAPIToken, t)
		if err := checkQuery(c, r.Query); err != nil {
			return err
		}
		run := func() error {
			if r.Body != nil {
				body := r.Body()
				if err := decodeJSONBody(c, body); err != nil {
					return err
				}
				c.Locals(localAPIBody, body)
			}
			return r.Handle(s, c)
		}
		if c.Method() == fiber.MethodPost {
			return s.idempotent(c, t, run)
		}
		return run()
	}
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// limitAPIToken counts the request against its token's limit.
func (s *server) limitAPIToken(c *fiber.Ctx, t inbox.APIToken) error {
	limit := s.opts.APIRequestsPerMinute
	if limit <= 0 {
		limit = DefaultAPIRequestsPerMinute
	}
	res, err := s.opts.Limiter.Allow(c.UserContext(), "api-token:"+itoa64(t.ID), limit, time.Minute)
	if err != nil {
		// The limiter's store is down: serve rather than refuse everyone,
		// as the send limits do.
		s.log.Warn("api rate limit unavailable", "err", err)
		return nil
	}
	if !res.Allowed {
		return &inbox.Error{Code: inbox.ERATELIMITED, Message: "this token made too many requests; slow down", RetryAfter: res.RetryAfter}
	}
	return nil
}

// checkQuery refuses query parameters the operation does not read, so a
// misspelt filter is an error rather than silently ignored.
func checkQuery(c *fiber.Ctx, allowed []string) error {
	var bad string
	c.Request().URI().QueryArgs().VisitAll(func(k, _ []byte) {
		if bad == "" && !slices.Contains(allowed, string(k)) {
			bad = string(k)
		}
	})
	if bad == "" {
		return nil
	}
	if len(allowed) == 0 {
		return inbox.FieldError(bad, "is not a parameter of this operation (it takes none)")
	}
	return inbox.FieldError(bad, "is not a parameter of this operation (it takes %s)", strings.Join(allowed, ", "))
}

// apiBody returns the request body the guard decoded for the operation.
func apiBody[T any](c *fiber.Ctx) T {
	return c.Locals(localAPIBody).(T)
}

// refuseBearer keeps API tokens off the pages: they open /api/v1 alone.
func (s *server) refuseBearer(c *fiber.Ctx) error {
	if _, ok := bearer(c.Get(fiber.HeaderAuthorization)); ok {
		return inbox.Errorf(inbox.EUNAUTHORIZED, "API tokens work only under %s", APIPrefix)
	}
	return c.Next()
}
