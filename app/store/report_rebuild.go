package store

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/migrations"
)

// The part of the rollups' migration that computes them from the stored
// history lies between these two lines.
const (
	backfillStart = "-- Backfill from the history already stored."
	backfillEnd   = "-- The backfill's end."
)

// rollupTables hold the report rollups.
var rollupTables = []string{"report_counts", "report_errors", "report_texts", "report_replies", "report_waits"}

// rebuildReportRollups empties the report rollups and computes them again
// from the stored messages in db, by the migration's own backfill, so the
// rule is written once.
func (s *Store) rebuildReportRollups(ctx context.Context, db bun.IDB) error {
	fsys, err := migrations.FS(s.dialect)
	if err != nil {
		return err
	}
	b, err := fs.ReadFile(fsys, "0037_report_rollups.tx.up.sql")
	if err != nil {
		return fmt.Errorf("store: rebuild report rollups: %w", err)
	}
	text := string(b)
	i, j := strings.Index(text, backfillStart), strings.Index(text, backfillEnd)
	if i < 0 || j < i {
		return fmt.Errorf("store: rebuild report rollups: the migration's backfill markers are gone")
	}
	for _, table := range rollupTables {
		if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("store: rebuild report rollups: %w", err)
		}
	}
	if _, err := db.ExecContext(ctx, text[i:j]); err != nil {
		return fmt.Errorf("store: rebuild report rollups: %w", err)
	}
	return nil
}
