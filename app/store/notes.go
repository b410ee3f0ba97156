package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type noteRow struct {
	bun.BaseModel `bun:"table:notes,alias:n"`

	ID             int64     `bun:"id,pk,autoincrement"`
	ConversationID int64     `bun:"conversation_id"`
	AuthorID       int64     `bun:"author_id,nullzero"`
	Body           string    `bun:"body"`
	CreatedAt      time.Time `bun:"created_at"`
}

func (r noteRow) toDomain() inbox.Note {
	return inbox.Note{ID: r.ID, ConversationID: r.ConversationID, AuthorID: r.AuthorID, Body: r.Body, CreatedAt: r.CreatedAt.UTC()}
}

type mentionRow struct {
	bun.BaseModel `bun:"table:mentions,alias:m"`

	ID             int64      `bun:"id,pk,autoincrement"`
	NoteID         int64      `bun:"note_id"`
	ConversationID int64      `bun:"conversation_id"`
	UserID         int64      `bun:"user_id"`
	CreatedAt      time.Time  `bun:"created_at"`
	ReadAt         *time.Time `bun:"read_at"`
}

// InsertNote implements inbox.Tx.
func (t txStore) InsertNote(ctx context.Context, n *inbox.Note) error {
	row := &noteRow{ConversationID: n.ConversationID, AuthorID: n.AuthorID, Body: n.Body, CreatedAt: n.CreatedAt}
	if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: insert note: %w", err)
	}
	n.ID = row.ID
	if err := t.addTerms(ctx, n.ConversationID, searchTerms(n.Body)); err != nil {
		return err
	}
	if len(n.Mentions) == 0 {
		return nil
	}
	rows := make([]mentionRow, len(n.Mentions))
	for i, u := range n.Mentions {
		rows[i] = mentionRow{NoteID: n.ID, ConversationID: n.ConversationID, UserID: u, CreatedAt: n.CreatedAt}
	}
	if _, err := t.db.NewInsert().Model(&rows).ExcludeColumn("id", "read_at").Exec(ctx); err != nil {
		return fmt.Errorf("store: insert mentions: %w", err)
	}
	return nil
}

// FindNoteByID implements inbox.Store.
func (s *Store) FindNoteByID(ctx context.Context, id int64) (inbox.Note, error) {
	var row noteRow
	if err := s.db.NewSelect().Model(&row).Where("n.id = ?", id).Scan(ctx); err != nil {
		return inbox.Note{}, notFound(err, "note")
	}
	notes, err := s.withMentions(ctx, []noteRow{row})
	if err != nil {
		return inbox.Note{}, err
	}
	return notes[0], nil
}

// ListNotes implements inbox.Store.
func (s *Store) ListNotes(ctx context.Context, conversationID int64, from, to time.Time) ([]inbox.Note, error) {
	var rows []noteRow
	q := s.db.NewSelect().Model(&rows).Where("n.conversation_id = ?", conversationID).OrderExpr("n.created_at, n.id")
	if !from.IsZero() {
		q = q.Where("n.created_at >= ?", from.UTC())
	}
	if !to.IsZero() {
		q = q.Where("n.created_at < ?", to.UTC())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list notes: %w", err)
	}
	return s.withMentions(ctx, rows)
}

// withMentions converts rows to notes with the users each one mentions.
func (s *Store) withMentions(ctx context.Context, rows []noteRow) ([]inbox.Note, error) {
	notes := make([]inbox.Note, len(rows))
	if len(rows) == 0 {
		return notes, nil
	}
	byID := make(map[int64]*inbox.Note, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		notes[i] = r.toDomain()
		byID[r.ID] = &notes[i]
		ids[i] = r.ID
	}
	var ms []mentionRow
	if err := s.db.NewSelect().Model(&ms).Where("m.note_id IN (?)", bun.List(ids)).OrderExpr("m.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list mentions of notes: %w", err)
	}
	for _, m := range ms {
		n := byID[m.NoteID]
		n.Mentions = append(n.Mentions, m.UserID)
	}
	return notes, nil
}

// Mentions implements inbox.Store.
func (s *Store) Mentions(ctx context.Context, userID int64, unread bool, limit int) ([]inbox.Mention, error) {
	var ms []mentionRow
	q := s.db.NewSelect().Model(&ms).Where("m.user_id = ?", userID).OrderExpr("m.id DESC").Limit(int64(limit))
	if unread {
		q = q.Where("m.read_at IS NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list mentions: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	noteIDs := make([]int64, len(ms))
	for i, m := range ms {
		noteIDs[i] = m.NoteID
	}
	var rows []noteRow
	if err := s.db.NewSelect().Model(&rows).Where("n.id IN (?)", bun.List(noteIDs)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list mentioned notes: %w", err)
	}
	notes := make(map[int64]inbox.Note, len(rows))
	for _, r := range rows {
		notes[r.ID] = r.toDomain()
	}
	out := make([]inbox.Mention, len(ms))
	for i, m := range ms {
		out[i] = inbox.Mention{ID: m.ID, UserID: m.UserID, Note: notes[m.NoteID], ReadAt: utcPtr(m.ReadAt)}
	}
	return out, nil
}

// CountUnreadMentions implements inbox.Store.
func (s *Store) CountUnreadMentions(ctx context.Context, userID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*mentionRow)(nil)).Where("m.user_id = ? AND m.read_at IS NULL", userID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: count mentions: %w", err)
	}
	return int(n), nil
}

// MarkMentionsRead implements inbox.Store.
func (s *Store) MarkMentionsRead(ctx context.Context, userID, conversationID int64, at time.Time) (int, error) {
	res, err := s.db.NewUpdate().Model((*mentionRow)(nil)).Set("read_at = ?", at).
		Where("user_id = ? AND conversation_id = ? AND read_at IS NULL", userID, conversationID).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: mark mentions read: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: mark mentions read: %w", err)
	}
	return int(n), nil
}
