package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// countChunk bounds the ids in one IN list, well under SQLite's and
// PostgreSQL's limits on bound parameters.
const countChunk = 500

// CountMessagesByProviderUUIDs returns how many stored messages carry each
// of uuids (Plivo's MessageUUIDs); a uuid no message carries is absent
// from the map. The load tools use it to check that every acknowledged
// text is stored exactly once. It only reads.
func (s *Store) CountMessagesByProviderUUIDs(ctx context.Context, uuids []string) (map[string]int, error) {
	out := make(map[string]int, len(uuids))
	for i := 0; i < len(uuids); i += countChunk {
		var rows []struct {
			ProviderUUID string `bun:"provider_uuid"`
			N            int    `bun:"n"`
		}
		err := s.db.NewSelect().Model((*messageRow)(nil)).ColumnExpr("provider_uuid, count(*) AS n").
			Where("provider_uuid IN (?)", bun.List(uuids[i:min(i+countChunk, len(uuids))])).
			Group("provider_uuid").Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("store: count messages by MessageUUID: %w", err)
		}
		for _, r := range rows {
			out[r.ProviderUUID] = r.N
		}
	}
	return out, nil
}
