package inbox

import (
	"context"
	"errors"
	"time"
)

// Removal is the tombstone an admin leaves by removing someone: while it
// stands, the allowlist (AccessPolicy.AllowedDomains) no longer admits the
// address. Only an admin's invitation lifts it. ADMIN_EMAILS is not
// overruled: it is the operator's own configuration, so an address listed
// there cannot be removed in the app at all (RemoveUser says so), and
// removal always means what the dialog says.
type Removal struct {
	Email     string
	RemovedAt time.Time
	// RemovedBy is the admin's email, kept as text so the record outlives
	// them.
	RemovedBy string
}

// ErrAccessRemoved is the cause inside the ENOTINVITED error a removed
// person gets at sign-in, so the web layer can show them why.
var ErrAccessRemoved = errors.New("inbox: access removed")

// removedMessage is what a removed person reads when they try to sign in.
const removedMessage = "your access was removed; ask an admin to invite you again"

// refuseRemoved returns ENOTINVITED when email has a tombstone.
func (s *Service) refuseRemoved(ctx context.Context, email string) error {
	_, err := s.users.FindRemoval(ctx, email)
	switch {
	case err == nil:
		return &Error{Code: ENOTINVITED, Message: removedMessage, Err: ErrAccessRemoved}
	case errors.Is(err, ErrNotFound):
		return nil
	}
	return unavailable(err)
}

// endSessions tells every instance to end userID's live streams: those of
// sessionID only, or all of them when it is empty.
func (s *Service) endSessions(ctx context.Context, userID int64, sessionID string) {
	s.pub.Publish(ctx, Event{Kind: EventSessionsEnded, UserID: userID, SessionID: sessionID, CreatedAt: s.now()})
}
