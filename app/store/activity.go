package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type activityRow struct {
	bun.BaseModel `bun:"table:conversation_activity,alias:ca"`

	ID             int64      `bun:"id,pk,autoincrement"`
	ConversationID int64      `bun:"conversation_id"`
	ActorID        int64      `bun:"actor_id"`
	Kind           string     `bun:"kind"`
	SubjectID      int64      `bun:"subject_id"`
	Detail         string     `bun:"detail"`
	Source         string     `bun:"source"`
	Until          *time.Time `bun:"until"`
	At             time.Time  `bun:"at"`
}

func (r activityRow) toDomain() inbox.Activity {
	a := inbox.Activity{
		ID: r.ID, ConversationID: r.ConversationID, ActorID: r.ActorID, Kind: inbox.ActivityKind(r.Kind),
		SubjectID: r.SubjectID, Detail: r.Detail, Source: r.Source, At: r.At.UTC(),
	}
	if r.Until != nil {
		u := r.Until.UTC()
		a.Until = &u
	}
	return a
}

// AppendActivity implements inbox.Tx.
func (t txStore) AppendActivity(ctx context.Context, a *inbox.Activity) error {
	row := &activityRow{
		ConversationID: a.ConversationID, ActorID: a.ActorID, Kind: string(a.Kind), SubjectID: a.SubjectID,
		Detail: a.Detail, Source: a.Source, At: a.At.UTC(),
	}
	if a.Until != nil {
		u := a.Until.UTC()
		row.Until = &u
	}
	if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: append activity: %w", err)
	}
	a.ID = row.ID
	return nil
}

// FindActivityByID implements inbox.Store.
func (s *Store) FindActivityByID(ctx context.Context, id int64) (inbox.Activity, error) {
	var row activityRow
	if err := s.db.NewSelect().Model(&row).Where("ca.id = ?", id).Scan(ctx); err != nil {
		return inbox.Activity{}, notFound(err, "activity")
	}
	return row.toDomain(), nil
}

// ListActivity implements inbox.Store.
func (s *Store) ListActivity(ctx context.Context, conversationID int64, from, to time.Time) ([]inbox.Activity, error) {
	var rows []activityRow
	q := s.db.NewSelect().Model(&rows).Where("ca.conversation_id = ?", conversationID).OrderExpr("ca.at, ca.id")
	if !from.IsZero() {
		q = q.Where("ca.at >= ?", from.UTC())
	}
	if !to.IsZero() {
		q = q.Where("ca.at < ?", to.UTC())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list activity: %w", err)
	}
	out := make([]inbox.Activity, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
