package store

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/app/inbox"
)

// OutboxDepth counts the messages queued for the outbox (sent through the
// API and not yet claimed), for metrics.
func (s *Store) OutboxDepth(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Model((*messageRow)(nil)).
		Where("status = ?", string(inbox.StatusQueued)).
		Where("via = ?", inbox.ViaAPI).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: outbox depth: %w", err)
	}
	return int(n), nil
}
