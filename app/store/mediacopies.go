package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.MediaCopyStore = (*Store)(nil)

type mediaCopyRow struct {
	bun.BaseModel `bun:"table:media_copies"`

	ID            int64     `bun:"id,pk,autoincrement"`
	MessageID     int64     `bun:"message_id"`
	Position      int       `bun:"position"`
	URL           string    `bun:"url"`
	Attempts      int       `bun:"attempts"`
	NextAttemptAt time.Time `bun:"next_attempt_at"`
	CreatedAt     time.Time `bun:"created_at"`
}

// queueMediaCopies puts each attachment of a newly stored inbound message
// that is not yet in Parley's media store on the copy queue, in the same
// transaction as the message: a text acknowledged to Plivo never loses
// its pictures to a crash.
func (t txStore) queueMediaCopies(ctx context.Context, m *inbox.Message) error {
	if m.Direction != inbox.DirectionInbound {
		return nil
	}
	var rows []mediaCopyRow
	for i, f := range m.Media {
		if !f.Kept() && f.URL != "" {
			rows = append(rows, mediaCopyRow{MessageID: m.ID, Position: i, URL: f.URL, NextAttemptAt: m.CreatedAt, CreatedAt: m.CreatedAt})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := t.db.NewInsert().Model(&rows).ExcludeColumn("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: queue media copies: %w", err)
	}
	return nil
}

// ClaimMediaCopies implements inbox.MediaCopyStore. The lease is the
// next_attempt_at moved on; the UPDATE's guard on the value read keeps two
// claimers from taking one row.
func (s *Store) ClaimMediaCopies(ctx context.Context, n int, now time.Time, lease time.Duration) ([]inbox.MediaCopy, error) {
	var out []inbox.MediaCopy
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var due []mediaCopyRow
		q := tx.NewSelect().Model(&due).Where("next_attempt_at <= ?", now).OrderExpr("next_attempt_at, id").Limit(int64(n))
		if s.db.Dialect().Name().String() == "pg" {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("store: find due media copies: %w", err)
		}
		for _, r := range due {
			res, err := tx.NewUpdate().Model((*mediaCopyRow)(nil)).
				Set("next_attempt_at = ?", now.Add(lease)).Set("attempts = attempts + 1").
				Where("id = ?", r.ID).Where("attempts = ?", r.Attempts).Exec(ctx)
			if err != nil {
				return fmt.Errorf("store: claim media copy: %w", err)
			}
			if claimed, _ := res.RowsAffected(); claimed == 1 {
				out = append(out, inbox.MediaCopy{ID: r.ID, MessageID: r.MessageID, Position: r.Position, URL: r.URL, Attempts: r.Attempts + 1})
			}
		}
		return nil
	})
	return out, err
}

// KeepMediaCopy implements inbox.MediaCopyStore.
func (s *Store) KeepMediaCopy(ctx context.Context, c inbox.MediaCopy, f inbox.MediaFile, contentType string, now time.Time) (inbox.Event, error) {
	return s.finishMediaCopy(ctx, c, nil, now, func(m *inbox.Media) {
		url := m.URL
		*m = inbox.Media{URL: url, ContentType: contentType, MediaFile: f}
	})
}

// FailMediaCopy implements inbox.MediaCopyStore.
func (s *Store) FailMediaCopy(ctx context.Context, c inbox.MediaCopy, reason string, next *time.Time, now time.Time) (inbox.Event, error) {
	return s.finishMediaCopy(ctx, c, next, now, func(m *inbox.Media) {
		m.CopyError, m.CopyFailed = reason, next == nil
	})
}

// finishMediaCopy rewrites the attachment on its message and drops the
// copy from the queue, or, with next set, makes it due again then. The
// message's change is logged as a status event (its bubble is drawn
// again).
func (s *Store) finishMediaCopy(ctx context.Context, c inbox.MediaCopy, next *time.Time, now time.Time, change func(*inbox.Media)) (inbox.Event, error) {
	var ev inbox.Event
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row messageRow
		if err := tx.NewSelect().Model(&row).Column("id", "conversation_id", "media").Where("id = ?", c.MessageID).Scan(ctx); err != nil {
			return fmt.Errorf("store: read message %d media: %w", c.MessageID, err)
		}
		if c.Position < len(row.Media) {
			change(&row.Media[c.Position])
			if _, err := tx.NewUpdate().Model(&row).Column("media").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("store: update message %d media: %w", c.MessageID, err)
			}
		}
		var err error
		if next == nil {
			_, err = tx.NewDelete().Model((*mediaCopyRow)(nil)).Where("id = ?", c.ID).Exec(ctx)
		} else {
			_, err = tx.NewUpdate().Model((*mediaCopyRow)(nil)).Set("next_attempt_at = ?", *next).Where("id = ?", c.ID).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("store: finish media copy %d: %w", c.ID, err)
		}
		events := []inbox.Event{{Kind: inbox.EventMessageStatus, ConversationID: row.ConversationID, MessageID: row.ID, CreatedAt: now}}
		if err := newTxStore(tx).AppendEvents(ctx, events); err != nil {
			return err
		}
		ev = events[0]
		return nil
	})
	return ev, err
}
