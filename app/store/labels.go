package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type labelRow struct {
	bun.BaseModel `bun:"table:labels,alias:l"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name"`
	Color     string    `bun:"color"`
	CreatedAt time.Time `bun:"created_at"`
}

type conversationLabelRow struct {
	bun.BaseModel `bun:"table:conversation_labels,alias:cl"`

	ConversationID int64 `bun:"conversation_id,pk"`
	LabelID        int64 `bun:"label_id,pk"`
}

// Labels implements inbox.Store.
func (s *Store) Labels(ctx context.Context) ([]inbox.Label, error) {
	var rows []labelRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("lower(l.name), l.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list labels: %w", err)
	}
	out := make([]inbox.Label, len(rows))
	for i, r := range rows {
		out[i] = inbox.Label{ID: r.ID, Name: r.Name, Color: r.Color, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// SaveLabel implements inbox.Tx. A name another label has in any case is
// ECONFLICT (the unique index decides, so two admins cannot race past it).
func (t txStore) SaveLabel(ctx context.Context, l *inbox.Label) error {
	row := &labelRow{ID: l.ID, Name: l.Name, Color: l.Color, CreatedAt: l.CreatedAt}
	if l.ID == 0 {
		if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return conflict(err, "there is already a label with that name", "store: insert label: %w")
		}
		l.ID = row.ID
		return nil
	}
	res, err := t.db.NewUpdate().Model(row).Column("name", "color").WherePK().Exec(ctx)
	if err != nil {
		return conflict(err, "there is already a label with that name", "store: update label: %w")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "label not found"}
	}
	return nil
}

// DeleteLabel implements inbox.Tx; the foreign key takes it off every
// conversation.
func (t txStore) DeleteLabel(ctx context.Context, id int64) error {
	res, err := t.db.NewDelete().Model((*labelRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: delete label: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "label not found"}
	}
	return nil
}

// SetConversationLabel implements inbox.Tx.
func (t txStore) SetConversationLabel(ctx context.Context, conversationID, labelID int64, on bool) (bool, error) {
	row := &conversationLabelRow{ConversationID: conversationID, LabelID: labelID}
	var (
		res sql.Result
		err error
	)
	if on {
		res, err = t.db.NewInsert().Model(row).On("CONFLICT DO NOTHING").Exec(ctx)
	} else {
		res, err = t.db.NewDelete().Model(row).WherePK().Exec(ctx)
	}
	if err != nil {
		return false, fmt.Errorf("store: set conversation label: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: set conversation label: %w", err)
	}
	return n > 0, nil
}

// withLabels fills in the LabelIDs of convs with one query.
func withLabels(ctx context.Context, db bun.IDB, convs []inbox.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	ids := make([]int64, len(convs))
	at := make(map[int64]int, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
		at[c.ID] = i
	}
	var rows []conversationLabelRow
	err := db.NewSelect().Model(&rows).Where("cl.conversation_id IN (?)", bun.List(ids)).
		OrderExpr("cl.conversation_id, cl.label_id").Scan(ctx)
	if err != nil {
		return fmt.Errorf("store: list conversation labels: %w", err)
	}
	for _, r := range rows {
		c := &convs[at[r.ConversationID]]
		c.LabelIDs = append(c.LabelIDs, r.LabelID)
	}
	return nil
}
