package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.CarrierStore = (*Store)(nil)

// reportWindow is how many of a number's latest outbound texts its last
// delivery report is looked for in: enough to find one on any number in
// use, and an index range, never a scan of the number's history.
const reportWindow = 50

type inboxNumberRow struct {
	bun.BaseModel `bun:"table:inbox_numbers"`

	Number  string    `bun:"number,pk"`
	Name    string    `bun:"name"`
	AddedAt time.Time `bun:"added_at"`
}

// InboxNumbers implements inbox.CarrierStore: oldest first.
func (s *Store) InboxNumbers(ctx context.Context) ([]inbox.InboxNumber, error) {
	var rows []inboxNumberRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("added_at, number").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list inbox numbers: %w", err)
	}
	out := make([]inbox.InboxNumber, len(rows))
	for i, r := range rows {
		out[i] = inbox.InboxNumber{Number: inbox.Number(r.Number), Name: r.Name, AddedAt: r.AddedAt.UTC()}
	}
	return out, nil
}

// SaveInboxNumber implements inbox.CarrierStore. It is idempotent.
func (s *Store) SaveInboxNumber(ctx context.Context, n inbox.InboxNumber) error {
	row := &inboxNumberRow{Number: string(n.Number), Name: n.Name, AddedAt: n.AddedAt.UTC()}
	if _, err := s.db.NewInsert().Model(row).On("CONFLICT (number) DO UPDATE").Set("name = EXCLUDED.name").Exec(ctx); err != nil {
		return fmt.Errorf("store: save inbox number: %w", err)
	}
	return nil
}

type carrierApplicationRow struct {
	bun.BaseModel `bun:"table:carrier_application"`

	ID        int       `bun:"id,pk"`
	AppID     string    `bun:"app_id"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// CarrierAppID implements inbox.CarrierStore: "" before any connect.
func (s *Store) CarrierAppID(ctx context.Context) (string, error) {
	var row carrierApplicationRow
	err := s.db.NewSelect().Model(&row).Where("id = 1").Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("store: read carrier application: %w", err)
	}
	return row.AppID, nil
}

// SaveCarrierAppID implements inbox.CarrierStore. It is idempotent.
func (s *Store) SaveCarrierAppID(ctx context.Context, appID string, at time.Time) error {
	row := &carrierApplicationRow{ID: 1, AppID: appID, UpdatedAt: at.UTC()}
	if _, err := s.db.NewInsert().Model(row).On("CONFLICT (id) DO UPDATE").
		Set("app_id = EXCLUDED.app_id").Set("updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
		return fmt.Errorf("store: save carrier application: %w", err)
	}
	return nil
}

// NumberHealth implements inbox.CarrierStore: two index-backed reads per
// number (messages_inbound_to, and messages_outbound_from with
// message_events_message over the latest 50 outbound texts).
func (s *Store) NumberHealth(ctx context.Context, numbers []inbox.Number) (map[inbox.Number]inbox.NumberHealth, error) {
	out := make(map[inbox.Number]inbox.NumberHealth, len(numbers))
	for _, n := range numbers {
		var h inbox.NumberHealth
		var last []struct {
			CreatedAt storedTime `bun:"created_at"`
		}
		err := s.db.NewSelect().Table("messages").Column("created_at").
			Where("direction = 'inbound' AND to_number = ?", string(n)).
			OrderExpr("id DESC").Limit(1).Scan(ctx, &last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: last inbound of %s: %w", n, err)
		}
		if len(last) == 1 {
			h.LastInboundAt = last[0].CreatedAt.UTC()
		}
		recent := s.db.NewSelect().Table("messages").Column("id").
			Where("direction = 'outbound' AND from_number = ?", string(n)).
			OrderExpr("id DESC").Limit(reportWindow)
		var report []struct {
			Status     string     `bun:"status"`
			OccurredAt storedTime `bun:"occurred_at"`
		}
		err = s.db.NewSelect().Table("message_events").Column("status", "occurred_at").
			Where("message_id IN (?)", recent).
			OrderExpr("occurred_at DESC, id DESC").Limit(1).Scan(ctx, &report)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: last delivery report of %s: %w", n, err)
		}
		if len(report) == 1 {
			h.LastReportStatus, h.LastReportAt = inbox.Status(report[0].Status), report[0].OccurredAt.UTC()
		}
		out[n] = h
	}
	return out, nil
}

type webhookRefusalRow struct {
	bun.BaseModel `bun:"table:webhook_refusals,alias:wr"`

	Hour   time.Time `bun:"hour,pk"`
	Reason string    `bun:"reason,pk"`
	Count  int64     `bun:"count"`
}

// AddWebhookRefusals adds counts (by reason) to the hour that holds at.
// It is not idempotent: each call adds.
func (s *Store) AddWebhookRefusals(ctx context.Context, at time.Time, counts map[string]int64) error {
	hour := at.UTC().Truncate(time.Hour)
	rows := make([]webhookRefusalRow, 0, len(counts))
	for reason, n := range counts {
		if n > 0 {
			rows = append(rows, webhookRefusalRow{Hour: hour, Reason: reason, Count: n})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := s.db.NewInsert().Model(&rows).On("CONFLICT (hour, reason) DO UPDATE").
		Set("count = wr.count + EXCLUDED.count").Exec(ctx); err != nil {
		return fmt.Errorf("store: add webhook refusals: %w", err)
	}
	return nil
}

// WebhookRefusals implements inbox.CarrierStore: the counts of the hours
// from the one holding since on, by reason.
func (s *Store) WebhookRefusals(ctx context.Context, since time.Time) (map[string]int64, error) {
	var rows []struct {
		Reason string `bun:"reason"`
		Total  int64  `bun:"total"`
	}
	err := s.db.NewSelect().Table("webhook_refusals").ColumnExpr("reason, SUM(count) AS total").
		Where("hour >= ?", since.UTC().Truncate(time.Hour)).Group("reason").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("store: webhook refusals: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Reason] = r.Total
	}
	return out, nil
}
