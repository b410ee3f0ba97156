package inbox

import (
	"context"
	"slices"
	"strings"
)

// KeywordRules returns every keyword rule ordered by position.
//
// Errors: EUNAVAILABLE.
func (s *Service) KeywordRules(ctx context.Context) ([]KeywordRule, error) {
	rules, err := s.store.KeywordRules(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	return rules, nil
}

// SaveKeywordRule adds a rule (ID 0, placed last) or changes one.
//
// Errors: EFORBIDDEN unless actor is an admin; EINVALID (Field "keywords"
// or "reply") for no keywords, a keyword the opt-out law owns, or a reply
// that cannot be sent; ENOTFOUND; EUNAVAILABLE.
func (s *Service) SaveKeywordRule(ctx context.Context, actor User, r KeywordRule) (KeywordRule, error) {
	if !actor.IsAdmin() {
		return KeywordRule{}, Errorf(EFORBIDDEN, "only admins can change keyword rules")
	}
	r.Keywords = ParseKeywords(strings.Join(r.Keywords, ","))
	if len(r.Keywords) == 0 {
		return KeywordRule{}, FieldError("keywords", "give at least one keyword")
	}
	for _, k := range r.Keywords {
		if optOutWords[k] || optInWords[k] {
			return KeywordRule{}, FieldError("keywords", "%s is an opt-out or opt-in keyword; Parley answers it by law, not by rule", k)
		}
	}
	if _, err := ValidateText(r.Reply); err != nil {
		return KeywordRule{}, FieldError("reply", "%s", ErrorMessage(err))
	}
	now := s.now()
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		if r.ID == 0 {
			rules, err := tx.KeywordRules(ctx)
			if err != nil {
				return err
			}
			r.Position, r.CreatedAt = 1, now
			if len(rules) > 0 {
				r.Position = rules[len(rules)-1].Position + 1
			}
		}
		r.UpdatedAt = now
		if err := tx.SaveKeywordRule(ctx, &r); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.auditEntry(actor, AuditRuleSaved, strings.Join(r.Keywords, ", "), r.Reply))
	})
	s.rules.invalidate()
	if err != nil {
		return KeywordRule{}, unavailable(err)
	}
	return r, nil
}

// DeleteKeywordRule removes a rule.
//
// Errors: EFORBIDDEN unless actor is an admin; ENOTFOUND; EUNAVAILABLE.
func (s *Service) DeleteKeywordRule(ctx context.Context, actor User, id int64) error {
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only admins can change keyword rules")
	}
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		rules, err := tx.KeywordRules(ctx)
		if err != nil {
			return err
		}
		var keywords string
		if i := slices.IndexFunc(rules, func(r KeywordRule) bool { return r.ID == id }); i >= 0 {
			keywords = strings.Join(rules[i].Keywords, ", ")
		}
		if err := tx.DeleteKeywordRule(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.auditEntry(actor, AuditRuleDeleted, keywords, ""))
	})
	s.rules.invalidate()
	return unavailableOrNil(err)
}

// MoveKeywordRule swaps a rule with its neighbour above (up) or below, so
// admins can order overlapping rules. Moving past either end changes
// nothing.
//
// Errors: EFORBIDDEN unless actor is an admin; ENOTFOUND; EUNAVAILABLE.
func (s *Service) MoveKeywordRule(ctx context.Context, actor User, id int64, up bool) error {
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only admins can change keyword rules")
	}
	now := s.now()
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		rules, err := tx.KeywordRules(ctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rules, func(r KeywordRule) bool { return r.ID == id })
		if i < 0 {
			return Errorf(ENOTFOUND, "keyword rule not found")
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(rules) {
			return nil
		}
		// Renumber densely so equal positions from old data cannot stall a move.
		for k := range rules {
			rules[k].Position = k + 1
		}
		rules[i].Position, rules[j].Position = rules[j].Position, rules[i].Position
		for k := range rules {
			rules[k].UpdatedAt = now
			if err := tx.SaveKeywordRule(ctx, &rules[k]); err != nil {
				return err
			}
		}
		direction := "down"
		if up {
			direction = "up"
		}
		return tx.AppendAudit(ctx, s.auditEntry(actor, AuditRuleMoved, strings.Join(rules[i].Keywords, ", "), direction))
	})
	s.rules.invalidate()
	return unavailableOrNil(err)
}

// PreviewReply says what Parley would answer a text, for the settings page.
//
// Errors: EUNAVAILABLE.
func (s *Service) PreviewReply(ctx context.Context, text string, optedOut bool) (Decision, error) {
	rules, err := s.KeywordRules(ctx)
	if err != nil {
		return Decision{}, err
	}
	return Decide(text, "", optedOut, rules), nil
}

func unavailableOrNil(err error) error {
	if err == nil {
		return nil
	}
	return unavailable(err)
}
