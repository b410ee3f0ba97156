package store

import (
	"context"
	"fmt"
	"time"
)

// trimBatch is how many events one DELETE removes, so trimming a large
// backlog never holds SQLite's write lock for long.
const trimBatch = 5000

// LatestEventID implements inbox.Store: the highest event ID in the log,
// or 0 when the log is empty.
func (s *Store) LatestEventID(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.NewSelect().Table("events").ColumnExpr("COALESCE(MAX(id), 0)").Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("store: latest event id: %w", err)
	}
	return id, nil
}

// DeleteEventsBefore removes the events logged before t, in batches, and
// returns how many it removed. Clients that reconnect with an older
// Last-Event-ID then replay only what is left. It is idempotent.
func (s *Store) DeleteEventsBefore(ctx context.Context, t time.Time) (int64, error) {
	var total int64
	for {
		ids := s.db.NewSelect().Table("events").Column("id").
			Where("created_at < ?", t.UTC()).Order("id").Limit(trimBatch)
		res, err := s.db.NewDelete().Table("events").Where("id IN (?)", ids).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("store: delete events before %s: %w", t.Format(time.RFC3339), err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("store: delete events: %w", err)
		}
		total += n
		if n < trimBatch {
			return total, nil
		}
	}
}
