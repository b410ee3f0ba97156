package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// Cookie names. Under https each is __Host- prefixed (see cookieName).
const (
	sessionCookie = "parley_session"
	csrfCookie    = "parley_csrf"
	stateCookie   = "parley_oauth"
)

// Locals keys.
const (
	localUser         = "parley.user"
	localSessionToken = "parley.session"
	// localSessionID is the signed-in session's stored ID, which keys
	// its CSRF token.
	localSessionID    = "parley.session_id"
	localCSRFSeed     = "parley.csrf"
	localSessionEnded = "parley.session_ended"
	// localSessionExpiry is when the session expires: a live stream ends
	// then.
	localSessionExpiry = "parley.session_expiry"
)

// loadSession resolves the session cookie to the current user (with their
// current role) and puts the page's CSRF token on the context for the
// views: derived from the session for a signed-in user, from the
// browser's CSRF cookie otherwise. A cookie that no longer opens a
// session is cleared.
func (s *server) loadSession(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if raw := c.Cookies(s.cookieName(sessionCookie)); raw != "" {
		token, err := s.opts.Auth.OpenSession(raw, time.Now())
		var u inbox.User
		var sess inbox.Session
		if err == nil {
			u, sess, err = s.deps.Inbox.Authenticate(ctx, token)
		}
		switch {
		case err == nil:
			c.Locals(localUser, u)
			c.Locals(localSessionToken, token)
			c.Locals(localSessionID, sess.ID)
			c.Locals(localSessionExpiry, sess.ExpiresAt)
			ctx = views.WithUser(ctx, u)
			c.SetUserContext(views.WithCSRF(ctx, s.opts.Auth.SessionCSRFToken(sess.ID)))
			return c.Next()
		case inbox.ErrorCode(err) == inbox.EUNAVAILABLE:
			return err
		default:
			s.clearCookie(c, sessionCookie)
			c.Locals(localSessionEnded, true)
		}
	}
	seed := c.Cookies(s.cookieName(csrfCookie))
	if seed == "" || len(seed) > 64 {
		seed = auth.NewCSRFSeed()
		s.setCookie(c, csrfCookie, seed, 365*24*time.Hour)
	}
	c.Locals(localCSRFSeed, seed)
	c.SetUserContext(views.WithCSRF(ctx, s.opts.Auth.CSRFToken(seed)))
	return c.Next()
}

// checkCSRF refuses a state-changing request that does not prove it comes
// from one of Parley's pages: the X-CSRF-Token header (htmx sends it) or a
// _csrf field in the body must hold the session's token (or, signed out,
// the CSRF cookie's). The query string is never read: a token there would
// leak into logs, history and Referer headers.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	if isSafeMethod(c.Method()) {
		return c.Next()
	}
	presented := c.Get("X-CSRF-Token")
	if presented == "" {
		presented = bodyValue(c, "_csrf")
	}
	var ok bool
	if id, signedIn := c.Locals(localSessionID).(string); signedIn {
		ok = s.opts.Auth.CheckSessionCSRF(id, presented)
	} else {
		seed, _ := c.Locals(localCSRFSeed).(string)
		ok = s.opts.Auth.CheckCSRF(seed, presented)
	}
	switch {
	case ok:
		return c.Next()
	case c.Locals(localSessionEnded) == true:
		// The page's token was its session's, which just ended: say that,
		// as requireUser would have, rather than blame the form.
		return inbox.Errorf(inbox.EUNAUTHORIZED, "your session has ended; sign in again")
	}
	return inbox.Errorf(inbox.EFORBIDDEN, "this form has expired; reload the page and try again")
}

// bodyValue reads a field of a url-encoded or multipart body, and nothing
// else (Fiber's FormValue would also read the query string).
func bodyValue(c *fiber.Ctx, key string) string {
	if v := c.Request().PostArgs().Peek(key); len(v) > 0 {
		return string(v)
	}
	if f, err := c.MultipartForm(); err == nil && len(f.Value[key]) > 0 {
		return f.Value[key][0]
	}
	return ""
}

// currentUser returns the signed-in user, if any.
func currentUser(c *fiber.Ctx) (inbox.User, bool) {
	u, ok := c.Locals(localUser).(inbox.User)
	return u, ok
}

// requireUser lets signed-in users through. Anonymous API calls get 401;
// anonymous page requests go to /login, remembering where they were going.
func (s *server) requireUser(c *fiber.Ctx) error {
	if _, ok := currentUser(c); ok {
		return c.Next()
	}
	if isAPI(c.Path()) || !isSafeMethod(c.Method()) {
		return inbox.Errorf(inbox.EUNAUTHORIZED, "sign in first")
	}
	q := url.Values{"next": {auth.SafeNext(c.OriginalURL())}}
	if ended, _ := c.Locals(localSessionEnded).(bool); ended {
		q.Set("expired", "1")
	}
	target := "/login?" + q.Encode()
	if c.Get("HX-Request") == "true" {
		c.Set("HX-Redirect", target)
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// requireAdmin lets admins through; everyone else gets 403.
func (s *server) requireAdmin(c *fiber.Ctx) error {
	if u, ok := currentUser(c); ok && u.IsAdmin() {
		return c.Next()
	}
	return inbox.Errorf(inbox.EFORBIDDEN, "only admins can do that")
}

// cookieName is name as the browser holds it: __Host- prefixed under
// https, which makes the browser refuse the cookie unless it is Secure,
// has Path=/ and no Domain, so no sibling subdomain can set or shadow it.
func (s *server) cookieName(name string) string {
	if s.secure {
		return "__Host-" + name
	}
	return name
}

// setCookie sets one of Parley's cookies, always for the whole site (a
// __Host- cookie must have Path=/).
func (s *server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: s.cookieName(name), Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func (s *server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: s.cookieName(name), Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(1, 0),
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}
