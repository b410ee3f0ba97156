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
	return s.renderScreen(c, status, views.KeywordRules(p), views.KeywordRulesPage(p))
}

// keywordRulesChanged answers a change to the rules.
func (s *server) keywordRulesChanged(c *fiber.Ctx) error {
	return s.afterSettingsChange(c, views.KeywordRulesURL, func() error {
		return s.renderKeywordRules(c, fiber.StatusOK, views.KeywordRuleDraft{})
	})
}

// handleKeywordRuleSave adds a rule (POST /settings/keywords) or edits one
// (POST /settings/keywords/{id}); a refused rule comes back in its form
// with the reason (422).
func (s *server) handleKeywordRuleSave(c *fiber.Ctx) error {
	id, err := optionalID(c, "id")
	if err != nil {
		return err
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
		return refuseForm(err, func(status int, reason string) error {
			draft := views.KeywordRuleDraft{ID: id, Keywords: c.FormValue("keywords"), Reply: c.FormValue("reply"), Error: reason}
			return s.renderKeywordRules(c, status, draft)
		})
	}
	return s.keywordRulesChanged(c)
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
	return s.keywordRulesChanged(c)
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
