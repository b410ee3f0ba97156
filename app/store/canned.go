package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type cannedReplyRow struct {
	bun.BaseModel `bun:"table:canned_replies,alias:cr"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name"`
	Body      string    `bun:"body"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// CannedReplies implements inbox.Store.
func (s *Store) CannedReplies(ctx context.Context) ([]inbox.CannedReply, error) {
	var rows []cannedReplyRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("cr.name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list canned replies: %w", err)
	}
	out := make([]inbox.CannedReply, len(rows))
	for i, r := range rows {
		out[i] = inbox.CannedReply{ID: r.ID, Name: r.Name, Body: r.Body, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, nil
}

// SaveCannedReply implements inbox.Tx.
func (t txStore) SaveCannedReply(ctx context.Context, r *inbox.CannedReply) error {
	row := &cannedReplyRow{ID: r.ID, Name: r.Name, Body: r.Body, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.ID == 0 {
		if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return conflict(err, "/"+r.Name+" is taken", "store: insert canned reply: %w")
		}
		r.ID = row.ID
		return nil
	}
	res, err := t.db.NewUpdate().Model(row).Column("name", "body", "updated_at").WherePK().Exec(ctx)
	if err != nil {
		return conflict(err, "/"+r.Name+" is taken", "store: update canned reply: %w")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "canned reply not found"}
	}
	return nil
}

// DeleteCannedReply implements inbox.Tx.
func (t txStore) DeleteCannedReply(ctx context.Context, id int64) error {
	res, err := t.db.NewDelete().Model((*cannedReplyRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: delete canned reply: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "canned reply not found"}
	}
	return nil
}
