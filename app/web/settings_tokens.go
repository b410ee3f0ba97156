package web

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// tokenScreens registers the API tokens screen. Unlike the other settings
// screens it is every signed-in person's (an agent makes and revokes
// their own tokens), so it is registered before the admins-only
// /settings group, whose guard would otherwise refuse agents.
func (s *server) tokenScreens(app *fiber.App) {
	app.Get(views.APITokensURL, s.requireUser, s.livePage, s.handleAPITokens)
	app.Post(views.APITokensURL, s.requireUser, s.handleAPITokenCreate)
	app.Post(views.APITokensURL+"/:id/revoke", s.requireUser, s.handleAPITokenRevoke)
}

// handleAPITokens shows the screen.
func (s *server) handleAPITokens(c *fiber.Ctx) error {
	return s.renderAPITokens(c, fiber.StatusOK, views.APITokenDraft{Days: 90}, nil)
}

func (s *server) renderAPITokens(c *fiber.Ctx, status int, draft views.APITokenDraft, created *views.CreatedAPIToken) error {
	u, _ := currentUser(c)
	tokens, err := s.deps.Inbox.APITokensOf(c.UserContext(), u)
	if err != nil {
		return err
	}
	p := views.APITokensProps{Tokens: tokens, Team: u.IsAdmin(), Draft: draft, Created: created, Now: time.Now()}
	if p.Team {
		team, err := s.page(c).users()
		if err != nil {
			return err
		}
		p.Owners = make(map[int64]string, len(team))
		for _, m := range team {
			p.Owners[m.ID] = m.DisplayName()
		}
	}
	return s.renderScreen(c, status, views.APITokens(p), views.APITokensPage(p))
}

// handleAPITokenCreate makes a token and answers with the screen showing
// its secret, this once: never a redirect, which would lose it. A refused
// form comes back with the reason (422).
func (s *server) handleAPITokenCreate(c *fiber.Ctx) error {
	draft := views.APITokenDraft{Name: bodyValue(c, "name")}
	for _, v := range c.Request().PostArgs().PeekMulti("scopes") {
		draft.Scopes = append(draft.Scopes, inbox.Scope(v))
	}
	days, err := strconv.Atoi(bodyValue(c, "days"))
	if err != nil || !slices.Contains(views.TokenLives, days) {
		draft.Error = "choose when the token expires"
		return s.renderAPITokens(c, fiber.StatusUnprocessableEntity, draft, nil)
	}
	draft.Days = days
	n := inbox.NewAPIToken{Name: draft.Name, Scopes: draft.Scopes}
	if days > 0 {
		at := time.Now().Add(time.Duration(days) * 24 * time.Hour)
		n.ExpiresAt = &at
	}
	u, _ := currentUser(c)
	t, secret, err := s.deps.Inbox.CreateAPIToken(c.UserContext(), u, n)
	if err != nil {
		return refuseForm(err, func(status int, reason string) error {
			draft.Error = reason
			return s.renderAPITokens(c, status, draft, nil)
		})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderAPITokens(c, fiber.StatusOK, views.APITokenDraft{Days: 90}, &views.CreatedAPIToken{Name: t.Name, Secret: secret})
}

// handleAPITokenRevoke revokes a token at once.
func (s *server) handleAPITokenRevoke(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	if _, err := s.deps.Inbox.RevokeAPIToken(c.UserContext(), u, id); err != nil {
		return err
	}
	return s.afterSettingsChange(c, views.APITokensURL, func() error {
		return s.renderAPITokens(c, fiber.StatusOK, views.APITokenDraft{Days: 90}, nil)
	})
}
