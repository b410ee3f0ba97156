package inbox

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Scope is one kind of thing an API token may do.
type Scope string

// The scopes. read covers every GET; send, posting messages; manage,
// changing conversations (close, reopen, assign, label, snooze) and
// contacts.
const (
	ScopeRead   Scope = "read"
	ScopeSend   Scope = "send"
	ScopeManage Scope = "manage"
)

// Scopes are every scope, in the order screens list them.
var Scopes = []Scope{ScopeRead, ScopeSend, ScopeManage}

// Scopes returns what a role may grant its tokens. Both roles read, send
// and change conversations in the inbox, so both may grant every scope;
// what a token may do is still decided per call by its owner's current
// role (an agent's token cannot reassign a colleague's conversation, as
// the agent cannot), so a token never does more than its owner could.
func (r Role) Scopes() []Scope {
	switch r {
	case RoleAdmin, RoleAgent:
		return Scopes
	}
	return nil
}

// APITokenPrefix starts every token's secret, so a leaked one is easy to
// recognise (and for secret scanners to find).
const APITokenPrefix = "parley_"

// Limits of a token's name and life.
const (
	MaxAPITokenName = 80
	MaxAPITokenLife = 366 * 24 * time.Hour
)

// apiTokenUseResolution limits how often a token's use writes LastUsedAt:
// at most once a minute per token, not once per call.
const apiTokenUseResolution = time.Minute

// APIToken is a key to the API, acting as its owner.
type APIToken struct {
	ID     int64
	UserID int64
	Name   string
	// Prefix is the start of the secret, shown to tell tokens apart.
	Prefix     string
	Scopes     []Scope
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Has reports whether t was granted scope.
func (t APIToken) Has(scope Scope) bool { return slices.Contains(t.Scopes, scope) }

// Expired reports whether t's expiry has passed at now.
func (t APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// NewAPIToken is what a person asks for when creating a token.
type NewAPIToken struct {
	Name   string
	Scopes []Scope
	// ExpiresAt is when the token stops working; nil never.
	ExpiresAt *time.Time
}

// APITokens keeps API tokens and the answers to idempotent requests.
// Missing rows are ENOTFOUND.
type APITokens interface {
	// InsertAPIToken stores t with the hash of its secret and sets its ID.
	InsertAPIToken(ctx context.Context, t *APIToken, hash string) error
	// FindAPITokenByHash returns the token with that secret's hash and its
	// owner as they are now.
	FindAPITokenByHash(ctx context.Context, hash string) (APIToken, User, error)
	FindAPITokenByID(ctx context.Context, id int64) (APIToken, error)
	// ListAPITokens returns a user's tokens, or everyone's for userID 0,
	// newest first.
	ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeAPIToken marks a token revoked at at, unless it already is,
	// and reports whether it changed.
	RevokeAPIToken(ctx context.Context, id int64, at time.Time) (bool, error)
	// TouchAPIToken records a use.
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	IdempotencyStore
}

// The audit actions of tokens.
const (
	AuditAPITokenCreated AuditAction = "api_token_created"
	AuditAPITokenRevoked AuditAction = "api_token_revoked"
	AuditAPITokenDenied  AuditAction = "api_token_denied"
)

// CreateAPIToken makes a token for actor, acting as actor, and returns it
// with its secret: the only time the secret is seen, since only its hash
// is kept.
//
// Errors: EINVALID for a blank or long name (field "name"), no scopes, an
// unknown scope or one actor's role may not grant (field "scopes"), an
// expiry in the past or over a year away (field "expires_at");
// EUNAVAILABLE.
func (s *Service) CreateAPIToken(ctx context.Context, actor User, n NewAPIToken) (APIToken, string, error) {
	if s.tokens == nil {
		return APIToken{}, "", Errorf(EUNAVAILABLE, "API tokens are not available")
	}
	name := strings.Join(strings.Fields(n.Name), " ")
	switch {
	case name == "":
		return APIToken{}, "", FieldError("name", "give the token a name that says what uses it")
	case utf8.RuneCountInString(name) > MaxAPITokenName:
		return APIToken{}, "", FieldError("name", "a name has at most %d characters", MaxAPITokenName)
	}
	scopes, err := grantable(actor.Role, n.Scopes)
	if err != nil {
		return APIToken{}, "", err
	}
	now := s.now()
	if n.ExpiresAt != nil {
		at := n.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !at.After(now) {
			return APIToken{}, "", FieldError("expires_at", "the expiry must be in the future")
		}
		if at.Sub(now) > MaxAPITokenLife {
			return APIToken{}, "", FieldError("expires_at", "a token lives at most a year")
		}
		n.ExpiresAt = &at
	}
	secret, err := newAPITokenSecret()
	if err != nil {
		return APIToken{}, "", err
	}
	t := APIToken{
		UserID: actor.ID, Name: name, Prefix: secret[:len(APITokenPrefix)+6], Scopes: scopes,
		CreatedAt: now, ExpiresAt: n.ExpiresAt,
	}
	if err := s.tokens.InsertAPIToken(ctx, &t, APITokenHash(secret)); err != nil {
		return APIToken{}, "", unavailable(err)
	}
	if err := s.audit(ctx, actor, AuditAPITokenCreated, t.Name, t.Prefix+"… "+scopeList(t.Scopes)); err != nil {
		return APIToken{}, "", err
	}
	return t, secret, nil
}

// grantable checks that role may grant each of scopes and returns them in
// the canonical order, without repeats.
func grantable(role Role, scopes []Scope) ([]Scope, error) {
	if len(scopes) == 0 {
		return nil, FieldError("scopes", "choose at least one scope")
	}
	var out []Scope
	for _, want := range Scopes {
		if slices.Contains(scopes, want) {
			if !slices.Contains(role.Scopes(), want) {
				return nil, FieldError("scopes", "your role cannot grant %q", want)
			}
			out = append(out, want)
		}
	}
	for _, sc := range scopes {
		if !slices.Contains(Scopes, sc) {
			return nil, FieldError("scopes", "%q is not a scope (read, send, manage)", sc)
		}
	}
	return out, nil
}

func scopeList(scopes []Scope) string {
	names := make([]string, len(scopes))
	for i, sc := range scopes {
		names[i] = string(sc)
	}
	return strings.Join(names, ", ")
}

// newAPITokenSecret is the prefix and 32 random bytes.
func newAPITokenSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return APITokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// APITokenHash is the stored form of a token's secret.
func APITokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// APITokensOf lists the tokens actor may see: an admin, the team's; an
// agent, their own. Newest first.
//
// Errors: EUNAVAILABLE.
func (s *Service) APITokensOf(ctx context.Context, actor User) ([]APIToken, error) {
	if s.tokens == nil {
		return nil, nil
	}
	owner := actor.ID
	if actor.IsAdmin() {
		owner = 0
	}
	ts, err := s.tokens.ListAPITokens(ctx, owner)
	if err != nil {
		return nil, unavailable(err)
	}
	return ts, nil
}

// RevokeAPIToken ends a token at once: its next request is refused. An
// admin may revoke anyone's; an agent their own. Revoking a revoked token
// changes nothing.
//
// Errors: ENOTFOUND (also for an agent asking about someone else's
// token, so tokens cannot be probed); EUNAVAILABLE.
func (s *Service) RevokeAPIToken(ctx context.Context, actor User, id int64) (APIToken, error) {
	if s.tokens == nil {
		return APIToken{}, Errorf(ENOTFOUND, "no such token")
	}
	t, err := s.tokens.FindAPITokenByID(ctx, id)
	if err != nil {
		return APIToken{}, unavailable(err)
	}
	if t.UserID != actor.ID && !actor.IsAdmin() {
		return APIToken{}, Errorf(ENOTFOUND, "no such token")
	}
	now := s.now()
	changed, err := s.tokens.RevokeAPIToken(ctx, id, now)
	if err != nil {
		return APIToken{}, unavailable(err)
	}
	if !changed {
		return t, nil
	}
	t.RevokedAt = &now
	if err := s.audit(ctx, actor, AuditAPITokenRevoked, t.Name, t.Prefix+"…"); err != nil {
		return APIToken{}, err
	}
	return t, nil
}

// AuthenticateAPIToken returns the token behind a secret and its owner
// with their current role, read afresh on every call: a revoked or
// expired token, or one whose owner was removed, stops working on its
// next request. Use is recorded at most once a minute.
//
// Errors: EUNAUTHORIZED; EUNAVAILABLE.
func (s *Service) AuthenticateAPIToken(ctx context.Context, secret string) (User, APIToken, error) {
	if s.tokens == nil || !strings.HasPrefix(secret, APITokenPrefix) {
		return User{}, APIToken{}, Errorf(EUNAUTHORIZED, "send an API token in Authorization: Bearer parley_…")
	}
	t, u, err := s.tokens.FindAPITokenByHash(ctx, APITokenHash(secret))
	if errors.Is(err, ErrNotFound) {
		return User{}, APIToken{}, Errorf(EUNAUTHORIZED, "this API token is not valid")
	}
	if err != nil {
		return User{}, APIToken{}, unavailable(err)
	}
	now := s.now()
	var why string
	var deadSince time.Time
	switch {
	case t.RevokedAt != nil:
		why, deadSince = "revoked", *t.RevokedAt
	case t.Expired(now):
		why, deadSince = "expired", *t.ExpiresAt
	}
	if why != "" {
		// The first refused use is audited, then at most one a minute
		// (the attempt counts as the token's last use), so a program
		// still calling with a dead token cannot flood the audit log: the
		// rate limit comes only after authentication.
		if t.LastUsedAt == nil || t.LastUsedAt.Before(deadSince) || now.Sub(*t.LastUsedAt) >= apiTokenUseResolution {
			if err := s.tokens.TouchAPIToken(ctx, t.ID, now); err != nil {
				return User{}, APIToken{}, unavailable(err)
			}
			if err := s.audit(ctx, u, AuditAPITokenDenied, t.Name, t.Prefix+"… "+why); err != nil {
				return User{}, APIToken{}, err
			}
		}
		return User{}, APIToken{}, Errorf(EUNAUTHORIZED, "this API token was %s", why)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= apiTokenUseResolution {
		if err := s.tokens.TouchAPIToken(ctx, t.ID, now); err != nil {
			return User{}, APIToken{}, unavailable(err)
		}
		t.LastUsedAt = &now
	}
	return u, t, nil
}

// AuthorizeAPIToken checks that t, acting for u, may use scope: it must
// be granted to the token and grantable by u's current role, so a
// demotion narrows the token at once. A refusal is audited.
//
// Errors: EFORBIDDEN; EUNAVAILABLE.
func (s *Service) AuthorizeAPIToken(ctx context.Context, u User, t APIToken, scope Scope) error {
	if t.Has(scope) && slices.Contains(u.Role.Scopes(), scope) {
		return nil
	}
	if err := s.audit(ctx, u, AuditAPITokenDenied, t.Name, t.Prefix+"… lacks "+string(scope)); err != nil {
		return err
	}
	return Errorf(EFORBIDDEN, "this token does not have the %s scope", scope)
}
