package store

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.SendQueueStore = (*Store)(nil)

// SendQueues implements inbox.SendQueueStore: one grouped count over the
// outbox's partial index (messages queued for the API), and the few pace
// rows.
func (s *Store) SendQueues(ctx context.Context) ([]inbox.NumberQueue, *time.Time, error) {
	var counts []struct {
		FromNumber string     `bun:"from_number"`
		Queued     int        `bun:"queued"`
		Oldest     storedTime `bun:"oldest"`
	}
	err := s.db.NewSelect().Model((*messageRow)(nil)).
		Column("from_number").
		ColumnExpr("COUNT(*) AS queued").
		ColumnExpr("MIN(created_at) AS oldest").
		Where("status = ?", string(inbox.StatusQueued)).
		Where("via = ?", inbox.ViaAPI).
		Group("from_number").
		Scan(ctx, &counts)
	if err != nil {
		return nil, nil, fmt.Errorf("store: send queues: %w", err)
	}
	var paces []sendPaceRow
	if err := s.db.NewSelect().Model(&paces).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("store: send pace: %w", err)
	}
	byNumber := map[string]*inbox.NumberQueue{}
	var out []*inbox.NumberQueue
	queue := func(n string) *inbox.NumberQueue {
		if q, ok := byNumber[n]; ok {
			return q
		}
		q := &inbox.NumberQueue{Number: inbox.Number(n)}
		byNumber[n] = q
		out = append(out, q)
		return q
	}
	for _, c := range counts {
		q := queue(c.FromNumber)
		oldest := c.Oldest.UTC()
		q.Queued, q.OldestQueuedAt = c.Queued, &oldest
	}
	var paused *time.Time
	for _, p := range paces {
		if p.Number == accountPace {
			paused = utcPtr(p.PausedUntil)
			continue
		}
		next := p.NextSendAt.UTC()
		queue(p.Number).NextSendAt = &next
	}
	result := make([]inbox.NumberQueue, len(out))
	for i, q := range out {
		result[i] = *q
	}
	return result, paused, nil
}
