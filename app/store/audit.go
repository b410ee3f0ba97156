package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type auditRow struct {
	bun.BaseModel `bun:"table:audit_log,alias:a"`

	ID         int64     `bun:"id,pk,autoincrement"`
	ActorID    int64     `bun:"actor_id"`
	ActorEmail string    `bun:"actor_email"`
	Action     string    `bun:"action"`
	Subject    string    `bun:"subject"`
	Detail     string    `bun:"detail"`
	At         time.Time `bun:"at"`
}

// AppendAudit implements inbox.Tx.
func (t txStore) AppendAudit(ctx context.Context, e *inbox.AuditEntry) error {
	row := &auditRow{ActorID: e.ActorID, ActorEmail: e.ActorEmail, Action: string(e.Action), Subject: e.Subject, Detail: e.Detail, At: e.At}
	if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: append audit: %w", err)
	}
	e.ID = row.ID
	return nil
}

// AppendAudit implements inbox.Store.
func (s *Store) AppendAudit(ctx context.Context, e *inbox.AuditEntry) error {
	return newTxStore(s.db).AppendAudit(ctx, e)
}

// AuditLog implements inbox.Store.
func (s *Store) AuditLog(ctx context.Context, before int64, limit int) ([]inbox.AuditEntry, error) {
	var rows []auditRow
	q := s.db.NewSelect().Model(&rows).OrderExpr("a.id DESC").Limit(int64(limit))
	if before > 0 {
		q = q.Where("a.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	out := make([]inbox.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = inbox.AuditEntry{ID: r.ID, ActorID: r.ActorID, ActorEmail: r.ActorEmail, Action: inbox.AuditAction(r.Action), Subject: r.Subject, Detail: r.Detail, At: r.At.UTC()}
	}
	return out, nil
}
