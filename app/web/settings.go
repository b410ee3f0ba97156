package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleKeywordRules shows the keyword replies screen.
func (s *server) handleKeywordRules(c *fiber.Ctx) error {
	return s.renderKeywordRules(c, fiber.StatusOK, views.KeywordRuleDraft{})
}

func (s *server) renderKeywordRules(c *fiber.Ctx, status int, draft views.KeywordRuleDraft) error {
	rules, err := s.deps.Inbox.KeywordRules(c.UserContext())
	if err != nil {
		return err
	}
	p := views.KeywordRulesProps{Rules: rules, Draft: draft}
	if isHTMX(c) {
		return s.render(c, status, views.KeywordRules(p))
	}
	return s.render(c, status, views.KeywordRulesPage(p))
}

// handleKeywordRuleSave adds a rule (POST /settings/keywords) or edits one
// (POST /settings/keywords/{id}); a refused rule comes back in its form
// with the reason (422).
func (s *server) handleKeywordRuleSave(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = paramID(c, "id"); err != nil {
			return err
		}
	}
	u, _ := currentUser(c)
	rule := inbox.KeywordRule{ID: id, Keywords: inbox.ParseKeywords(c.FormValue("keywords")), Reply: c.FormValue("reply"), Enabled: true}
	if id != 0 {
		existing, err := s.findRule(c, id)
		if err != nil {
			return err
		}
		rule.Enabled, rule.Position, rule.CreatedAt = existing.Enabled, existing.Position, existing.CreatedAt
	}
	if _, err := s.deps.Inbox.SaveKeywordRule(c.UserContext(), u, rule); err != nil {
		if inbox.ErrorCode(err) != inbox.EINVALID {
			return err
		}
		draft := views.KeywordRuleDraft{ID: id, Keywords: c.FormValue("keywords"), Reply: c.FormValue("reply"), Error: inbox.ErrorMessage(err)}
		return s.renderKeywordRules(c, fiber.StatusUnprocessableEntity, draft)
	}
	return s.afterSettingsChange(c, views.KeywordRulesURL, func() error {
		return s.renderKeywordRules(c, fiber.StatusOK, views.KeywordRuleDraft{})
	})
}

func (s *server) findRule(c *fiber.Ctx, id int64) (inbox.KeywordRule, error) {
	rules, err := s.deps.Inbox.KeywordRules(c.UserContext())
	if err != nil {
		return inbox.KeywordRule{}, err
	}
	for _, r := range rules {
		if r.ID == id {
			return r, nil
		}
	}
	return inbox.KeywordRule{}, inbox.Errorf(inbox.ENOTFOUND, "keyword rule not found")
}

// handleKeywordRuleAction toggles, moves or deletes a rule.
func (s *server) handleKeywordRuleAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	ctx := c.UserContext()
	switch c.Params("action") {
	case "toggle":
		r, ferr := s.findRule(c, id)
		if ferr != nil {
			return ferr
		}
		r.Enabled = c.FormValue("enabled") == "true"
		_, err = s.deps.Inbox.SaveKeywordRule(ctx, u, r)
	case "move":
		err = s.deps.Inbox.MoveKeywordRule(ctx, u, id, c.FormValue("direction") == "up")
	case "delete":
		err = s.deps.Inbox.DeleteKeywordRule(ctx, u, id)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.afterSettingsChange(c, views.KeywordRulesURL, func() error {
		return s.renderKeywordRules(c, fiber.StatusOK, views.KeywordRuleDraft{})
	})
}

// handleKeywordPreview says what a text would get back.
func (s *server) handleKeywordPreview(c *fiber.Ctx) error {
	text := c.FormValue("text")
	d, err := s.deps.Inbox.PreviewReply(c.UserContext(), text, c.FormValue("opted_out") == "true")
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.KeywordPreview(views.KeywordPreviewProps{Text: text, Decision: d}))
}

// handleUsersPage shows the people who may sign in.
func (s *server) handleUsersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, views.InviteDraft{Role: inbox.RoleAgent})
}

func (s *server) renderUsers(c *fiber.Ctx, status int, invite views.InviteDraft) error {
	users, err := s.page(c).users()
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	p := views.UsersProps{Users: users, Me: me, Invite: invite}
	if isHTMX(c) {
		return s.render(c, status, views.Users(p))
	}
	return s.render(c, status, views.UsersPage(p))
}

// handleUserInvite lets a new address sign in with a role.
func (s *server) handleUserInvite(c *fiber.Ctx) error {
	u, _ := currentUser(c)
	email, role := c.FormValue("email"), inbox.Role(c.FormValue("role"))
	if _, err := s.deps.Inbox.InviteUser(c.UserContext(), u, email, role); err != nil {
		if inbox.ErrorCode(err) != inbox.EINVALID {
			return err
		}
		return s.renderUsers(c, fiber.StatusUnprocessableEntity, views.InviteDraft{Email: email, Role: role, Error: inbox.ErrorMessage(err)})
	}
	return s.afterSettingsChange(c, views.UsersURL, func() error {
		return s.renderUsers(c, fiber.StatusOK, views.InviteDraft{Role: inbox.RoleAgent})
	})
}

// handleUserAction changes a user's role or removes them.
func (s *server) handleUserAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	switch c.Params("action") {
	case "role":
		_, err = s.deps.Inbox.SetUserRole(c.UserContext(), u, id, inbox.Role(c.FormValue("role")))
	case "remove":
		err = s.deps.Inbox.RemoveUser(c.UserContext(), u, id)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.afterSettingsChange(c, views.UsersURL, func() error {
		return s.renderUsers(c, fiber.StatusOK, views.InviteDraft{Role: inbox.RoleAgent})
	})
}

// afterSettingsChange answers a settings form: the region again for htmx,
// a redirect (post/redirect/get) for a plain form.
func (s *server) afterSettingsChange(c *fiber.Ctx, page string, region func() error) error {
	if isHTMX(c) {
		return region()
	}
	return c.Redirect(page, fiber.StatusSeeOther)
}
