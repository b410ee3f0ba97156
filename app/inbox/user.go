package inbox

import (
	"strings"
	"time"
)

// Role is what a user may do. Agents read and reply; admins also manage
// keyword rules, users and settings.
type Role string

const (
	RoleAdmin Role = "admin"
	RoleAgent Role = "agent"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleAgent }

// User is a person who may sign in.
type User struct {
	ID             int64
	Email          string
	Name           string
	AvatarURL      string
	Role           Role
	Provider       string
	ProviderUserID string
	CreatedAt      time.Time
	LastSeenAt     *time.Time
	// Available puts the user in the round-robin that assigns new
	// conversations.
	Available bool
}

// IsAdmin reports whether u is an admin.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// DisplayName is the name to show for u: the name, else the email.
func (u User) DisplayName() string {
	if strings.TrimSpace(u.Name) != "" {
		return u.Name
	}
	return u.Email
}

// NormaliseEmail lower-cases and trims an email address.
func NormaliseEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
