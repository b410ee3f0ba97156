package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type keywordRuleRow struct {
	bun.BaseModel `bun:"table:keyword_rules"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Keywords  string    `bun:"keywords"`
	Reply     string    `bun:"reply"`
	Enabled   bool      `bun:"enabled"`
	Position  int       `bun:"position"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r keywordRuleRow) toDomain() inbox.KeywordRule {
	return inbox.KeywordRule{
		ID: r.ID, Keywords: inbox.ParseKeywords(r.Keywords), Reply: r.Reply, Enabled: r.Enabled,
		Position: r.Position, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// KeywordRules implements inbox.Tx.
func (t txStore) KeywordRules(ctx context.Context) ([]inbox.KeywordRule, error) {
	var rows []keywordRuleRow
	if err := t.db.NewSelect().Model(&rows).Order("position", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: keyword rules: %w", err)
	}
	rules := make([]inbox.KeywordRule, len(rows))
	for i, r := range rows {
		rules[i] = r.toDomain()
	}
	return rules, nil
}

// KeywordRules implements inbox.Store.
func (s *Store) KeywordRules(ctx context.Context) ([]inbox.KeywordRule, error) {
	return newTxStore(s.db).KeywordRules(ctx)
}

// SaveKeywordRule implements inbox.Tx.
func (t txStore) SaveKeywordRule(ctx context.Context, r *inbox.KeywordRule) error {
	row := &keywordRuleRow{
		ID: r.ID, Keywords: strings.Join(r.Keywords, ","), Reply: r.Reply, Enabled: r.Enabled,
		Position: r.Position, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ID == 0 {
		if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store: insert keyword rule: %w", err)
		}
		r.ID = row.ID
		return nil
	}
	res, err := t.db.NewUpdate().Model(row).WherePK().ExcludeColumn("id", "created_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: update keyword rule: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "keyword rule not found"}
	}
	return nil
}

// DeleteKeywordRule implements inbox.Tx.
func (t txStore) DeleteKeywordRule(ctx context.Context, id int64) error {
	res, err := t.db.NewDelete().Model((*keywordRuleRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: delete keyword rule: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "keyword rule not found"}
	}
	return nil
}
