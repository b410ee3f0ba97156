package inbox

import "context"

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
		return tx.SaveBusinessHours(ctx, h)
	})
	s.hours.invalidate()
	if err != nil {
		return BusinessHours{}, unavailable(err)
	}
	return h, nil
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
