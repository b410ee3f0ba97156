package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// BusinessHoursSettings returns the saved business hours, or
// DefaultBusinessHours when none were saved.
//
// Errors: EUNAVAILABLE.
func (s *Service) BusinessHoursSettings(ctx context.Context) (BusinessHours, error) {
	h, err := savedBusinessHours(s.store)(ctx)
	if err != nil {
		return BusinessHours{}, unavailable(err)
	}
	return h, nil
}

// SaveBusinessHours replaces the business hours settings.
//
// Errors: EFORBIDDEN unless actor is an admin; EINVALID (see
// BusinessHours.Validate); EUNAVAILABLE.
func (s *Service) SaveBusinessHours(ctx context.Context, actor User, h BusinessHours) (BusinessHours, error) {
	if !actor.IsAdmin() {
		return BusinessHours{}, Errorf(EFORBIDDEN, "only admins can change business hours")
	}
	if err := h.Validate(); err != nil {
		return BusinessHours{}, err
	}
	h.UpdatedAt = s.now()
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		if err := tx.SaveBusinessHours(ctx, h); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.auditEntry(actor, AuditHoursSaved, h.Location().String(), hoursSummary(h)))
	})
	s.hours.invalidate()
	if err != nil {
		return BusinessHours{}, unavailable(err)
	}
	return h, nil
}

// hoursSummary is what an audit entry says of the settings saved.
func hoursSummary(h BusinessHours) string {
	var days []string
	for d, o := range h.Week {
		if o.Open {
			days = append(days, fmt.Sprintf("%s %s–%s", time.Weekday(d).String()[:3], FormatClock(o.From), FormatClock(o.To)))
		}
	}
	onOff := func(m AutoMessage) string {
		if m.Enabled {
			return "on"
		}
		return "off"
	}
	return fmt.Sprintf("%s; %d holidays; welcome %s, after hours %s",
		strings.Join(days, ", "), len(h.Holidays), onOff(h.Welcome), onOff(h.AfterHours))
}

// savedBusinessHours reads the settings through r, with the defaults when
// none were saved.
func savedBusinessHours(r BusinessHoursReader) func(context.Context) (BusinessHours, error) {
	return func(ctx context.Context) (BusinessHours, error) {
		h, found, err := r.BusinessHours(ctx)
		if err != nil || !found {
			return DefaultBusinessHours(), err
		}
		return h, nil
	}
}
