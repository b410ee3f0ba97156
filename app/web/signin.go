package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// Sign-in attempts allowed per client IP (each attempt is two requests:
// the start and the callback).
const (
	signInLimit  = 20
	signInWindow = time.Minute
)

// handleLoginPage shows a button per configured provider (and, in
// development, the local admin).
func (s *server) handleLoginPage(c *fiber.Ctx) error {
	if _, ok := currentUser(c); ok {
		return c.Redirect(auth.SafeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	props := s.loginProps(c.Query("next"))
	if c.Query("expired") != "" {
		props.Notice = "Your session has ended. Sign in again to continue."
	}
	return s.render(c, fiber.StatusOK, views.LoginPage(props))
}

// loginProps lists the sign-in buttons, each carrying where to go after.
func (s *server) loginProps(next string) views.LoginProps {
	next = auth.SafeNext(next)
	props := views.LoginProps{DevSignIn: s.localAdmin, Next: next}
	for _, p := range s.opts.Auth.Providers() {
		props.Providers = append(props.Providers, views.Provider{
			Name: p.Name, Label: "Continue with " + p.Label, URL: "/auth/" + p.Name + "?" + url.Values{"next": {next}}.Encode(),
		})
	}
	return props
}

// limitSignIn bounds sign-in attempts per client IP.
func (s *server) limitSignIn(c *fiber.Ctx) error {
	r, err := s.opts.Limiter.Allow(c.UserContext(), "signin:"+c.IP(), signInLimit, signInWindow)
	if err != nil {
		return err
	}
	if !r.Allowed {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(r.RetryAfter.Seconds())+1))
		return inbox.Errorf(inbox.ERATELIMITED, "too many sign-in attempts; wait a minute and try again")
	}
	return c.Next()
}

// handleSignInStart sends the browser to the provider with a fresh state
// bound to it by a sealed cookie.
func (s *server) handleSignInStart(c *fiber.Ctx) error {
	redirect, state, err := s.opts.Auth.Begin(c.Params("provider"), c.Query("next"), time.Now())
	if err != nil {
		return err
	}
	s.setCookie(c, stateCookie, state, auth.StateLifetime)
	return c.Redirect(redirect, fiber.StatusFound)
}

// handleSignInCallback finishes the provider's flow, admits the person or
// explains why not, and starts a fresh session.
func (s *server) handleSignInCallback(c *fiber.Ctx) error {
	query, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return inbox.Errorf(inbox.EINVALID, "malformed callback")
	}
	state := c.Cookies(s.cookieName(stateCookie))
	s.clearCookie(c, stateCookie)
	id, next, err := s.opts.Auth.Complete(c.UserContext(), c.Params("provider"), state, query, time.Now())
	if err != nil {
		return s.signInFailed(c, err, "", "")
	}
	u, err := s.deps.Inbox.SignIn(c.UserContext(), id)
	if err != nil {
		return s.signInFailed(c, err, next, id.Email)
	}
	return s.startSession(c, u, next)
}

// handleDevSignIn signs in as the local admin. It is registered only in
// development mode, and refuses unless PUBLIC_URL is this machine.
func (s *server) handleDevSignIn(c *fiber.Ctx) error {
	if !s.localAdmin {
		return inbox.Errorf(inbox.EFORBIDDEN, "the local admin sign-in works only when PUBLIC_URL is a localhost address; behind a tunnel, run production mode with real sign-in")
	}
	u, err := s.deps.Inbox.SignInDevelopmentAdmin(c.UserContext())
	if err != nil {
		return err
	}
	return s.startSession(c, u, c.FormValue("next"))
}

// startSession replaces any current session with a new one (so a session
// id fixed before sign-in is useless after it) and goes to next.
func (s *server) startSession(c *fiber.Ctx, u inbox.User, next string) error {
	if old, ok := c.Locals(localSessionToken).(string); ok {
		if err := s.deps.Inbox.EndSession(c.UserContext(), old); err != nil {
			return err
		}
	}
	token, sess, err := s.deps.Inbox.StartSession(c.UserContext(), u)
	if err != nil {
		return err
	}
	sealed, err := s.opts.Auth.SealSession(token, sess.ExpiresAt)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, sealed, inbox.SessionLifetime)
	// Signed in, the CSRF token comes from the session; the seed is
	// renewed anyway, for the pages after a sign-out.
	s.setCookie(c, csrfCookie, auth.NewCSRFSeed(), 365*24*time.Hour)
	s.log.Info("signed in", "id", c.Locals(requestIDHeader), "user", u.ID, "provider", u.Provider)
	return c.Redirect(auth.SafeNext(next), fiber.StatusSeeOther)
}

// signInFailed shows why a sign-in did not work, on a page of its own for
// people who are not invited (naming the address they came with) and on
// the login page otherwise.
func (s *server) signInFailed(c *fiber.Ctx, err error, next, email string) error {
	switch inbox.ErrorCode(err) {
	case inbox.ENOTINVITED:
		if errors.Is(err, inbox.ErrAccessRemoved) {
			s.log.Info("sign-in refused: access removed", "id", c.Locals(requestIDHeader))
			return s.render(c, fiber.StatusForbidden, views.AccessRemovedPage(inbox.ErrorMessage(err)))
		}
		s.log.Info("sign-in refused: not invited", "id", c.Locals(requestIDHeader))
		return s.render(c, fiber.StatusForbidden, views.NotInvitedPage(strings.ToLower(strings.TrimSpace(email))))
	case inbox.EUNAUTHORIZED:
		s.log.Info("sign-in refused", "id", c.Locals(requestIDHeader), "reason", inbox.ErrorMessage(err), "err", err)
		props := s.loginProps(next)
		props.Error = inbox.ErrorMessage(err)
		return s.render(c, fiber.StatusUnauthorized, views.LoginPage(props))
	}
	return err
}

// handleLogout ends the session and returns to the login page.
func (s *server) handleLogout(c *fiber.Ctx) error {
	if token, ok := c.Locals(localSessionToken).(string); ok {
		if err := s.deps.Inbox.EndSession(c.UserContext(), token); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	s.setCookie(c, csrfCookie, auth.NewCSRFSeed(), 365*24*time.Hour)
	if c.Get("HX-Request") == "true" {
		c.Set("HX-Redirect", "/login")
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
