package inbox

import (
	"context"
	"time"
)

// BusinessHoursReader reads the business hours settings.
type BusinessHoursReader interface {
	// BusinessHours returns the saved settings; found is false when none
	// were ever saved.
	BusinessHours(ctx context.Context) (h BusinessHours, found bool, err error)
}

// BusinessHoursTx is the part of a transaction that keeps the business
// hours settings and the after-hours replies.
type BusinessHoursTx interface {
	BusinessHoursReader
	// SaveBusinessHours replaces the settings.
	SaveBusinessHours(ctx context.Context, h BusinessHours) error
	// MarkAfterHoursReply records that a conversation got the after-hours
	// reply at at.
	MarkAfterHoursReply(ctx context.Context, conversationID int64, at time.Time) error
}
