package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type businessHoursRow struct {
	bun.BaseModel `bun:"table:business_hours"`

	ID        int64     `bun:"id,pk"`
	Settings  string    `bun:"settings"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// businessHoursJSON is how the settings are stored: field names of their
// own, so renaming a Go field does not lose an admin's settings.
type businessHoursJSON struct {
	TimeZone   string          `json:"time_zone"`
	Week       [7]openingJSON  `json:"week"` // by time.Weekday, Sunday first
	Holidays   []holidayJSON   `json:"holidays"`
	Welcome    autoMessageJSON `json:"welcome"`
	AfterHours autoMessageJSON `json:"after_hours"`
}

type openingJSON struct {
	Open bool `json:"open"`
	From int  `json:"from"` // minutes after midnight
	To   int  `json:"to"`
}

type holidayJSON struct {
	Date string `json:"date"`
	Name string `json:"name,omitempty"`
}

type autoMessageJSON struct {
	Enabled bool   `json:"enabled"`
	Body    string `json:"body"`
}

func encodeBusinessHours(h inbox.BusinessHours) (string, error) {
	v := businessHoursJSON{
		TimeZone: h.TimeZone,
		Welcome:  autoMessageJSON(h.Welcome), AfterHours: autoMessageJSON(h.AfterHours),
		Holidays: make([]holidayJSON, len(h.Holidays)),
	}
	for d, o := range h.Week {
		v.Week[d] = openingJSON(o)
	}
	for i, hd := range h.Holidays {
		v.Holidays[i] = holidayJSON(hd)
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func decodeBusinessHours(s string, updated time.Time) (inbox.BusinessHours, error) {
	var v businessHoursJSON
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return inbox.BusinessHours{}, err
	}
	h := inbox.BusinessHours{
		TimeZone: v.TimeZone, UpdatedAt: updated.UTC(),
		Welcome: inbox.AutoMessage(v.Welcome), AfterHours: inbox.AutoMessage(v.AfterHours),
	}
	for d, o := range v.Week {
		h.Week[d] = inbox.OpeningHours(o)
	}
	for _, hd := range v.Holidays {
		h.Holidays = append(h.Holidays, inbox.Holiday(hd))
	}
	return h, nil
}

// BusinessHours implements inbox.Store.
func (s *Store) BusinessHours(ctx context.Context) (inbox.BusinessHours, bool, error) {
	return newTxStore(s.db).BusinessHours(ctx)
}

// BusinessHours implements inbox.Tx.
func (t txStore) BusinessHours(ctx context.Context) (inbox.BusinessHours, bool, error) {
	var row businessHoursRow
	err := t.db.NewSelect().Model(&row).Where("id = 1").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return inbox.BusinessHours{}, false, nil
	}
	if err != nil {
		return inbox.BusinessHours{}, false, fmt.Errorf("store: business hours: %w", err)
	}
	h, err := decodeBusinessHours(row.Settings, row.UpdatedAt)
	if err != nil {
		return inbox.BusinessHours{}, false, fmt.Errorf("store: business hours: %w", err)
	}
	return h, true, nil
}

// SaveBusinessHours implements inbox.Tx.
func (t txStore) SaveBusinessHours(ctx context.Context, h inbox.BusinessHours) error {
	settings, err := encodeBusinessHours(h)
	if err != nil {
		return fmt.Errorf("store: save business hours: %w", err)
	}
	row := &businessHoursRow{ID: 1, Settings: settings, UpdatedAt: h.UpdatedAt}
	_, err = t.db.NewInsert().Model(row).
		On("CONFLICT (id) DO UPDATE").
		Set("settings = EXCLUDED.settings").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: save business hours: %w", err)
	}
	return nil
}

// MarkAfterHoursReply implements inbox.Tx.
func (t txStore) MarkAfterHoursReply(ctx context.Context, conversationID int64, at time.Time) error {
	_, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("after_hours_replied_at = ?", at).
		Where("id = ?", conversationID).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: mark after-hours reply: %w", err)
	}
	return nil
}
