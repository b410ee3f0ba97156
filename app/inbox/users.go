package inbox

import (
	"context"
	"errors"
	"net/mail"
)

// InviteUser lets email sign in with role, lifting the tombstone of an
// earlier removal. Inviting an existing user changes nothing and returns
// them, so it is idempotent.
//
// Errors: EFORBIDDEN unless actor is an admin; EINVALID for a bad address or
// role; EUNAVAILABLE when the store fails.
func (s *Service) InviteUser(ctx context.Context, actor User, email string, role Role) (User, error) {
	if !actor.IsAdmin() {
		return User{}, Errorf(EFORBIDDEN, "only admins can invite people")
	}
	email = NormaliseEmail(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return User{}, FieldError("email", "%q is not an email address", email)
	}
	if !role.Valid() {
		return User{}, FieldError("role", "role must be admin or agent")
	}
	u, err := s.users.FindUserByEmail(ctx, email)
	if err == nil {
		return u, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return User{}, unavailable(err)
	}
	u = User{Email: email, Role: role, CreatedAt: s.now()}
	if err := s.users.SaveUser(ctx, &u); err != nil {
		return User{}, unavailable(err)
	}
	// An invitation is the one thing that lifts a removal; the user row
	// written above already admits them, so a failure here costs only a
	// stale tombstone, which a row for the address outranks.
	if err := s.users.ClearRemoval(ctx, email); err != nil {
		return User{}, unavailable(err)
	}
	return u, s.audit(ctx, actor, AuditUserInvited, email, string(role))
}

// SetUserRole changes a user's role; it takes effect on their next request,
// and their live streams end at once (the browser reconnects with the new
// role).
//
// Errors: EFORBIDDEN unless actor is an admin; ECONFLICT when it would leave
// no admin; EINVALID for an unknown role; ENOTFOUND; EUNAVAILABLE.
func (s *Service) SetUserRole(ctx context.Context, actor User, id int64, role Role) (User, error) {
	if !actor.IsAdmin() {
		return User{}, Errorf(EFORBIDDEN, "only admins can change roles")
	}
	if !role.Valid() {
		return User{}, FieldError("role", "role must be admin or agent")
	}
	u, err := s.users.FindUserByID(ctx, id)
	if err != nil {
		return User{}, unavailable(err)
	}
	if u.Role == RoleAdmin && role != RoleAdmin {
		if err := s.keepAnAdmin(ctx); err != nil {
			return User{}, err
		}
	}
	old := u.Role
	u.Role = role
	if err := s.users.SaveUser(ctx, &u); err != nil {
		return User{}, unavailable(err)
	}
	if old == role {
		return u, nil
	}
	// Open streams render with the role they started with.
	s.endSessions(ctx, u.ID, "")
	return u, s.audit(ctx, actor, AuditRoleChanged, u.Email, string(old)+" → "+string(role))
}

// RemoveUser deletes a user, ends all their sessions and live streams at
// once, and leaves a tombstone (Removal) so the allowlist does not let
// them in again; only an invitation does.
//
// Errors: EFORBIDDEN unless actor is an admin, or for removing oneself;
// ECONFLICT when it would leave no admin, or for an address in
// ADMIN_EMAILS (the configuration would let them straight back in);
// ENOTFOUND; EUNAVAILABLE.
func (s *Service) RemoveUser(ctx context.Context, actor User, id int64) error {
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only admins can remove people")
	}
	if actor.ID == id {
		return Errorf(EFORBIDDEN, "you cannot remove yourself")
	}
	u, err := s.users.FindUserByID(ctx, id)
	if err != nil {
		return unavailable(err)
	}
	if s.access.isAdmin(u.Email) {
		return Errorf(ECONFLICT, "%s is in ADMIN_EMAILS, the server's configuration, which lets them in whatever happens here; take them out of it and restart Parley first", u.Email)
	}
	if u.Role == RoleAdmin {
		if err := s.keepAnAdmin(ctx); err != nil {
			return err
		}
	}
	if err := s.users.DeleteUser(ctx, id, Removal{Email: u.Email, RemovedAt: s.now(), RemovedBy: actor.Email}); err != nil {
		return unavailable(err)
	}
	s.endSessions(ctx, id, "")
	return s.audit(ctx, actor, AuditUserRemoved, u.Email, string(u.Role))
}

// ListUsers returns every user, admins first.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	users, err := s.users.ListUsers(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	return users, nil
}

func (s *Service) keepAnAdmin(ctx context.Context) error {
	users, err := s.users.ListUsers(ctx)
	if err != nil {
		return unavailable(err)
	}
	admins := 0
	for _, u := range users {
		if u.IsAdmin() {
			admins++
		}
	}
	if admins <= 1 {
		return Errorf(ECONFLICT, "Parley needs at least one admin")
	}
	return nil
}
