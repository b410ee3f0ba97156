package inbox

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
)

// Identity is who a sign-in provider says a person is.
type Identity struct {
	Provider string
	// ProviderLabel names the provider to people ("GitHub"); Provider
	// stands in when it is empty.
	ProviderLabel  string
	ProviderUserID string
	Email          string
	EmailVerified  bool
	Name           string
	AvatarURL      string
}

// AccessPolicy says who may sign in without an invitation.
type AccessPolicy struct {
	// AdminEmails are bootstrap admins: they may always enter, as admins.
	AdminEmails []string
	// AllowedDomains admit anyone with a verified address at one of these
	// domains, as an agent.
	AllowedDomains []string
}

func (p AccessPolicy) isAdmin(email string) bool {
	return slices.ContainsFunc(p.AdminEmails, func(a string) bool { return NormaliseEmail(a) == email })
}

func (p AccessPolicy) domainAllowed(email string) bool {
	_, domain, ok := strings.Cut(email, "@")
	return ok && slices.ContainsFunc(p.AllowedDomains, func(d string) bool {
		return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@")) == domain
	})
}

// Session is a signed-in browser. Its ID is the SHA-256 of the secret token
// the browser holds, so the table alone cannot be used to sign in.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 30 * 24 * time.Hour

// seenResolution limits how often a request writes last-seen times.
const seenResolution = 5 * time.Minute

// SignIn admits a person whose identity a provider vouched for, creating or
// refreshing their user row. Bootstrap admins are always admins; a user an
// admin invited keeps their role; anyone else needs an allowed domain and
// no tombstone (see Removal).
//
// Errors: EFORBIDDEN for an identity without a verified email (saying how
// to fix it); ENOTINVITED for a removed person and everyone else who may
// not enter;
// EUNAVAILABLE when the store fails.
func (s *Service) SignIn(ctx context.Context, id Identity) (User, error) {
	email := NormaliseEmail(id.Email)
	if email == "" || !strings.Contains(email, "@") || !id.EmailVerified {
		label := cmp.Or(id.ProviderLabel, id.Provider)
		return User{}, Errorf(EFORBIDDEN, "Your %s account has no verified primary email address. Verify your primary address with %s, then sign in again.", label, label)
	}
	now := s.now()
	u, err := s.users.FindUserByEmail(ctx, email)
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound):
		switch {
		case s.access.isAdmin(email):
			u = User{Email: email, Role: RoleAdmin, CreatedAt: now}
		case s.access.domainAllowed(email):
			if err := s.refuseRemoved(ctx, email); err != nil {
				return User{}, err
			}
			u = User{Email: email, Role: RoleAgent, CreatedAt: now}
		default:
			return User{}, &Error{Code: ENOTINVITED, Message: email + " is not invited"}
		}
	default:
		return User{}, unavailable(err)
	}
	if s.access.isAdmin(email) {
		u.Role = RoleAdmin
	}
	if id.Name != "" {
		u.Name = id.Name
	}
	u.AvatarURL, u.Provider, u.ProviderUserID, u.LastSeenAt = id.AvatarURL, id.Provider, id.ProviderUserID, &now
	if u.ID == 0 {
		err = s.users.SaveUser(ctx, &u)
	} else {
		// Only the profile is written back: a role an admin changed while
		// this person was at the provider must not be undone by the role
		// read before.
		err = s.users.RecordSignIn(ctx, &u, s.access.isAdmin(email))
	}
	if err != nil {
		return User{}, unavailable(err)
	}
	return u, nil
}

// StartSession opens a new session for u and returns the secret token for
// the browser's cookie.
//
// Errors: EUNAVAILABLE when the store fails.
func (s *Service) StartSession(ctx context.Context, u User) (string, Session, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", Session{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now()
	sess := Session{ID: SessionID(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime), LastSeenAt: now}
	if err := s.users.CreateSession(ctx, sess); err != nil {
		return "", Session{}, unavailable(err)
	}
	if err := s.audit(ctx, u, AuditSignIn, u.Email, u.Provider); err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// Authenticate returns the user behind a session token with their current
// role, so a demotion or removal takes effect on the next request.
//
// Errors: EUNAUTHORIZED for an unknown, ended or expired session, or a
// removed user; EUNAVAILABLE when the store fails.
func (s *Service) Authenticate(ctx context.Context, token string) (User, Session, error) {
	if token == "" {
		return User{}, Session{}, Errorf(EUNAUTHORIZED, "sign in first")
	}
	sess, u, err := s.users.FindSession(ctx, SessionID(token))
	if errors.Is(err, ErrNotFound) {
		return User{}, Session{}, Errorf(EUNAUTHORIZED, "your session has ended; sign in again")
	}
	if err != nil {
		return User{}, Session{}, unavailable(err)
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return User{}, Session{}, Errorf(EUNAUTHORIZED, "your session has expired; sign in again")
	}
	if now.Sub(sess.LastSeenAt) > seenResolution {
		if err := s.users.TouchSession(ctx, sess.ID, u.ID, now); err != nil {
			return User{}, Session{}, unavailable(err)
		}
	}
	return u, sess, nil
}

// EndSession signs a browser out and ends that session's live streams.
// Ending an unknown session is not an error, so it is idempotent.
//
// Errors: EUNAVAILABLE when the store fails.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	sess, _, err := s.users.FindSession(ctx, SessionID(token))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	if err := s.users.DeleteSession(ctx, sess.ID); err != nil {
		return unavailable(err)
	}
	s.endSessions(ctx, sess.UserID, sess.ID)
	return nil
}

// SessionID is the stored form of a session token.
func SessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func unavailable(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EUNAVAILABLE, Message: "the database is unavailable; try again", Err: err}
}

// DevelopmentAdminEmail is the local admin of development mode.
const DevelopmentAdminEmail = "admin@localhost"

// SignInDevelopmentAdmin creates (or refreshes) the local admin and returns
// it. Only development mode offers it; the web layer does not register the
// route in production.
//
// Errors: EUNAVAILABLE when the store fails.
func (s *Service) SignInDevelopmentAdmin(ctx context.Context) (User, error) {
	now := s.now()
	u, err := s.users.FindUserByEmail(ctx, DevelopmentAdminEmail)
	if errors.Is(err, ErrNotFound) {
		u, err = User{Email: DevelopmentAdminEmail, Name: "Local admin", CreatedAt: now}, nil
	}
	if err != nil {
		return User{}, unavailable(err)
	}
	u.Role, u.Provider, u.LastSeenAt = RoleAdmin, "development", &now
	if err := s.users.SaveUser(ctx, &u); err != nil {
		return User{}, unavailable(err)
	}
	return u, nil
}
