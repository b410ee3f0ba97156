package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// Cookie names.
const (
	sessionCookie = "parley_session"
	csrfCookie    = "parley_csrf"
	stateCookie   = "parley_oauth"
)

// Locals keys.
const (
	localUser         = "parley.user"
	localSessionToken = "parley.session"
	localCSRFSeed     = "parley.csrf"
	localSessionEnded = "parley.session_ended"
	// localSessionExpiry is when the session expires: a live stream ends
	// then.
	localSessionExpiry = "parley.session_expiry"
)

// loadSession makes sure the browser has a CSRF seed, puts the page's CSRF
// token on the context for the views, and resolves the session cookie to
// the current user (with their current role). A cookie that no longer
// opens a session is cleared.
func (s *server) loadSession(c *fiber.Ctx) error {
	seed := c.Cookies(csrfCookie)
	if seed == "" || len(seed) > 64 {
		seed = auth.NewCSRFSeed()
		s.setCookie(c, csrfCookie, seed, "/", 365*24*time.Hour)
	}
	c.Locals(localCSRFSeed, seed)
	ctx := views.WithCSRF(c.UserContext(), s.opts.Auth.CSRFToken(seed))

	if raw := c.Cookies(sessionCookie); raw != "" {
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
			c.Locals(localSessionExpiry, sess.ExpiresAt)
			ctx = views.WithUser(ctx, u)
		case inbox.ErrorCode(err) == inbox.EUNAVAILABLE:
			return err
		default:
			s.clearCookie(c, sessionCookie, "/")
			c.Locals(localSessionEnded, true)
		}
	}
	c.SetUserContext(ctx)
	return c.Next()
}

// checkCSRF refuses a state-changing request that does not prove it comes
// from one of Parley's pages: the X-CSRF-Token header (htmx sends it) or a
// _csrf form field must match the browser's CSRF cookie.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	if isSafeMethod(c.Method()) {
		return c.Next()
	}
	seed, _ := c.Locals(localCSRFSeed).(string)
	presented := c.Get("X-CSRF-Token")
	if presented == "" {
		presented = c.FormValue("_csrf")
	}
	if !s.opts.Auth.CheckCSRF(seed, presented) {
		return inbox.Errorf(inbox.EFORBIDDEN, "this form has expired; reload the page and try again")
	}
	return c.Next()
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

func (s *server) setCookie(c *fiber.Ctx, name, value, path string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: path, MaxAge: int(maxAge.Seconds()),
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func (s *server) clearCookie(c *fiber.Ctx, name, path string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: "", Path: path, MaxAge: -1, Expires: time.Unix(1, 0),
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}
