package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type contactRow struct {
	bun.BaseModel `bun:"table:contacts,alias:ct"`

	Number    string               `bun:"number,pk"`
	Name      string               `bun:"name"`
	Notes     string               `bun:"notes"`
	Fields    []inbox.ContactField `bun:"fields,type:jsonb"`
	UpdatedAt time.Time            `bun:"updated_at"`
	UpdatedBy int64                `bun:"updated_by,nullzero"`
	// SearchTerms are the normalised words of the name and notes.
	SearchTerms string `bun:"search_terms"`
}

func (r contactRow) toDomain() inbox.Contact {
	return inbox.Contact{
		Number: inbox.Number(r.Number), Name: r.Name, Notes: r.Notes, Fields: r.Fields,
		UpdatedAt: r.UpdatedAt.UTC(), UpdatedBy: r.UpdatedBy,
	}
}

// FindContact implements inbox.Store.
func (s *Store) FindContact(ctx context.Context, number inbox.Number) (inbox.Contact, error) {
	return findContact(ctx, s.db, number)
}

func findContact(ctx context.Context, db bun.IDB, number inbox.Number) (inbox.Contact, error) {
	var row contactRow
	if err := db.NewSelect().Model(&row).Where("ct.number = ?", string(number)).Scan(ctx); err != nil {
		return inbox.Contact{}, notFound(err, "contact")
	}
	return row.toDomain(), nil
}

// ContactNames implements inbox.Store.
func (s *Store) ContactNames(ctx context.Context, numbers []inbox.Number) (map[inbox.Number]string, error) {
	names := map[inbox.Number]string{}
	if len(numbers) == 0 {
		return names, nil
	}
	keys := make([]string, len(numbers))
	for i, n := range numbers {
		keys[i] = string(n)
	}
	var rows []contactRow
	err := s.db.NewSelect().Model(&rows).Column("number", "name").
		Where("ct.number IN (?) AND ct.name <> ''", bun.List(keys)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: contact names: %w", err)
	}
	for _, r := range rows {
		names[inbox.Number(r.Number)] = r.Name
	}
	return names, nil
}

// SaveContact implements inbox.Tx.
func (t txStore) SaveContact(ctx context.Context, c inbox.Contact) (bool, error) {
	old, err := findContact(ctx, t.db, c.Number)
	switch {
	case err == nil:
		if old.Name == c.Name && old.Notes == c.Notes && slices.Equal(old.Fields, c.Fields) {
			return false, nil
		}
	case inbox.ErrorCode(err) != inbox.ENOTFOUND:
		return false, err
	}
	fields := c.Fields
	if fields == nil {
		fields = []inbox.ContactField{}
	}
	row := &contactRow{Number: string(c.Number), Name: c.Name, Notes: c.Notes, Fields: fields, UpdatedAt: c.UpdatedAt, UpdatedBy: c.UpdatedBy,
		SearchTerms: contactTerms(c.Name, c.Notes)}
	_, err = t.db.NewInsert().Model(row).
		On("CONFLICT (number) DO UPDATE").
		Set("name = EXCLUDED.name, notes = EXCLUDED.notes, fields = EXCLUDED.fields, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, search_terms = EXCLUDED.search_terms").
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: save contact: %w", err)
	}
	return true, nil
}
