package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type webhookEndpointRow struct {
	bun.BaseModel `bun:"table:webhook_endpoints,alias:we"`

	ID                  int64      `bun:"id,pk,autoincrement"`
	URL                 string     `bun:"url"`
	Kind                string     `bun:"kind"`
	Events              string     `bun:"events"`
	Secret              string     `bun:"secret"`
	PreviousSecret      string     `bun:"previous_secret"`
	PreviousSecretUntil *time.Time `bun:"previous_secret_until"`
	PausedAt            *time.Time `bun:"paused_at"`
	PauseReason         string     `bun:"pause_reason"`
	FailingSince        *time.Time `bun:"failing_since"`
	ConsecutiveFailures int        `bun:"consecutive_failures"`
	CreatedAt           time.Time  `bun:"created_at"`
	UpdatedAt           time.Time  `bun:"updated_at"`
}

func (r webhookEndpointRow) toDomain() inbox.WebhookEndpoint {
	return inbox.WebhookEndpoint{
		ID: r.ID, URL: r.URL, Kind: inbox.WebhookKind(r.Kind), Events: splitTypes(r.Events), Secret: r.Secret,
		PreviousSecret: r.PreviousSecret, PreviousSecretUntil: utcPtr(r.PreviousSecretUntil),
		PausedAt: utcPtr(r.PausedAt), PauseReason: r.PauseReason, FailingSince: utcPtr(r.FailingSince),
		ConsecutiveFailures: r.ConsecutiveFailures, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// splitTypes reads the events column: the types, space-separated.
func splitTypes(s string) []inbox.WebhookEventType {
	var out []inbox.WebhookEventType
	for _, f := range strings.Fields(s) {
		out = append(out, inbox.WebhookEventType(f))
	}
	return out
}

func joinTypes(ts []inbox.WebhookEventType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, " ")
}

type webhookDeliveryRow struct {
	bun.BaseModel `bun:"table:webhook_deliveries,alias:wd"`

	ID             int64      `bun:"id,pk,autoincrement"`
	EndpointID     int64      `bun:"endpoint_id"`
	EventID        int64      `bun:"event_id"`
	Type           string     `bun:"type"`
	ConversationID int64      `bun:"conversation_id"`
	MessageID      int64      `bun:"message_id"`
	ActivityID     int64      `bun:"activity_id"`
	MessageStatus  string     `bun:"message_status"`
	OccurredAt     time.Time  `bun:"occurred_at"`
	Payload        string     `bun:"payload"`
	State          string     `bun:"state"`
	Attempts       int        `bun:"attempts"`
	NextAttemptAt  time.Time  `bun:"next_attempt_at"`
	FirstAttemptAt *time.Time `bun:"first_attempt_at"`
	ClaimedUntil   *time.Time `bun:"claimed_until"`
	LastAttemptAt  *time.Time `bun:"last_attempt_at"`
	LastStatus     int        `bun:"last_status"`
	LastLatencyMS  int64      `bun:"last_latency_ms"`
	LastResponse   string     `bun:"last_response"`
	LastError      string     `bun:"last_error"`
	CreatedAt      time.Time  `bun:"created_at"`
}

func newDeliveryRow(d inbox.WebhookDelivery) webhookDeliveryRow {
	return webhookDeliveryRow{
		EndpointID: d.EndpointID, EventID: d.EventID, Type: string(d.Type), ConversationID: d.ConversationID,
		MessageID: d.MessageID, ActivityID: d.ActivityID, MessageStatus: string(d.MessageStatus), OccurredAt: d.OccurredAt.UTC(),
		Payload: string(d.Payload), State: string(d.State), Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt.UTC(),
		CreatedAt: d.CreatedAt.UTC(),
	}
}

func (r webhookDeliveryRow) toDomain() inbox.WebhookDelivery {
	d := inbox.WebhookDelivery{
		ID: r.ID, EndpointID: r.EndpointID, EventID: r.EventID, Type: inbox.WebhookEventType(r.Type), ConversationID: r.ConversationID,
		MessageID: r.MessageID, ActivityID: r.ActivityID, MessageStatus: inbox.Status(r.MessageStatus), OccurredAt: r.OccurredAt.UTC(),
		State: inbox.WebhookDeliveryState(r.State), Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt.UTC(),
		FirstAttemptAt: utcPtr(r.FirstAttemptAt), LastAttemptAt: utcPtr(r.LastAttemptAt), LastStatus: r.LastStatus,
		LastLatency: time.Duration(r.LastLatencyMS) * time.Millisecond, LastResponse: r.LastResponse, LastError: r.LastError,
		CreatedAt: r.CreatedAt.UTC(),
	}
	if r.Payload != "" {
		d.Payload = []byte(r.Payload)
	}
	return d
}

// WebhookSubscriptions implements inbox.Tx.
func (t txStore) WebhookSubscriptions(ctx context.Context) ([]inbox.WebhookSubscription, error) {
	var rows []webhookEndpointRow
	if err := t.db.NewSelect().Model(&rows).Column("id", "events", "paused_at", "consecutive_failures").OrderExpr("we.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: webhook subscriptions: %w", err)
	}
	out := make([]inbox.WebhookSubscription, len(rows))
	for i, r := range rows {
		out[i] = inbox.WebhookSubscription{EndpointID: r.ID, Events: splitTypes(r.Events), PausedByFailure: r.PausedAt != nil && r.ConsecutiveFailures > 0}
	}
	return out, nil
}

// WebhookSubscriptions implements inbox.WebhookStore.
func (s *Store) WebhookSubscriptions(ctx context.Context) ([]inbox.WebhookSubscription, error) {
	return newTxStore(s.db).WebhookSubscriptions(ctx)
}

// EnqueueWebhookDeliveries implements inbox.Tx.
func (t txStore) EnqueueWebhookDeliveries(ctx context.Context, ds []inbox.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	rows := make([]webhookDeliveryRow, len(ds))
	for i, d := range ds {
		rows[i] = newDeliveryRow(d)
	}
	if _, err := t.db.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: enqueue webhook deliveries: %w", err)
	}
	for i := range ds {
		ds[i].ID = rows[i].ID
	}
	return nil
}

// WebhookEndpoints implements inbox.WebhookStore.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]inbox.WebhookEndpoint, error) {
	var rows []webhookEndpointRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("we.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: webhook endpoints: %w", err)
	}
	out := make([]inbox.WebhookEndpoint, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// FindWebhookEndpoint implements inbox.WebhookStore.
func (s *Store) FindWebhookEndpoint(ctx context.Context, id int64) (inbox.WebhookEndpoint, error) {
	return findWebhookEndpoint(ctx, s.db, id)
}

func findWebhookEndpoint(ctx context.Context, db bun.IDB, id int64) (inbox.WebhookEndpoint, error) {
	var row webhookEndpointRow
	if err := db.NewSelect().Model(&row).Where("we.id = ?", id).Scan(ctx); err != nil {
		return inbox.WebhookEndpoint{}, notFound(err, "webhook endpoint")
	}
	return row.toDomain(), nil
}

// SaveWebhookEndpoint implements inbox.WebhookStore.
func (s *Store) SaveWebhookEndpoint(ctx context.Context, e *inbox.WebhookEndpoint, audit *inbox.AuditEntry) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row := &webhookEndpointRow{
			ID: e.ID, URL: e.URL, Kind: string(e.Kind), Events: joinTypes(e.Events), Secret: e.Secret,
			PreviousSecret: e.PreviousSecret, PreviousSecretUntil: utcPtr(e.PreviousSecretUntil),
			CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
		}
		if e.ID == 0 {
			if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("store: insert webhook endpoint: %w", err)
			}
			e.ID = row.ID
		} else {
			res, err := tx.NewUpdate().Model(row).Column("url", "kind", "events", "secret", "previous_secret", "previous_secret_until", "updated_at").WherePK().Exec(ctx)
			if err != nil {
				return fmt.Errorf("store: update webhook endpoint: %w", err)
			}
			if err := oneRow(res, "webhook endpoint"); err != nil {
				return err
			}
		}
		return newTxStore(tx).AppendAudit(ctx, audit)
	})
}

// oneRow is ENOTFOUND unless res changed a row.
func oneRow(res interface{ RowsAffected() (int64, error) }, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return inbox.Errorf(inbox.ENOTFOUND, "%s not found", what)
	}
	return nil
}

// DeleteWebhookEndpoint implements inbox.WebhookStore. Its deliveries go
// with it.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id int64, audit *inbox.AuditEntry) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*webhookDeliveryRow)(nil)).Where("endpoint_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("store: delete webhook deliveries: %w", err)
		}
		res, err := tx.NewDelete().Model((*webhookEndpointRow)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: delete webhook endpoint: %w", err)
		}
		if err := oneRow(res, "webhook endpoint"); err != nil {
			return err
		}
		return newTxStore(tx).AppendAudit(ctx, audit)
	})
}

// PauseWebhookEndpoint implements inbox.WebhookStore.
func (s *Store) PauseWebhookEndpoint(ctx context.Context, id int64, at time.Time, reason string, audit *inbox.AuditEntry) (bool, error) {
	paused := false
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := findWebhookEndpoint(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*webhookEndpointRow)(nil)).
			Set("paused_at = ?", at.UTC()).Set("pause_reason = ?", reason).Set("updated_at = ?", at.UTC()).
			Where("id = ?", id).Where("paused_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: pause webhook endpoint: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		paused = true
		return newTxStore(tx).AppendAudit(ctx, audit)
	})
	return paused, err
}

// ResumeWebhookEndpoint implements inbox.WebhookStore.
func (s *Store) ResumeWebhookEndpoint(ctx context.Context, id int64, at time.Time, audit *inbox.AuditEntry) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*webhookEndpointRow)(nil)).
			Set("paused_at = NULL").Set("pause_reason = ''").Set("failing_since = NULL").Set("consecutive_failures = 0").
			Set("updated_at = ?", at.UTC()).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: resume webhook endpoint: %w", err)
		}
		if err := oneRow(res, "webhook endpoint"); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*webhookDeliveryRow)(nil)).
			Set("next_attempt_at = ?", at.UTC()).Set("first_attempt_at = NULL").
			Where("endpoint_id = ?", id).Where("state = ?", string(inbox.WebhookPending)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: resume webhook deliveries: %w", err)
		}
		return newTxStore(tx).AppendAudit(ctx, audit)
	})
}

// WebhookDeliveries implements inbox.WebhookStore.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID int64, limit int) ([]inbox.WebhookDelivery, error) {
	var rows []webhookDeliveryRow
	err := s.db.NewSelect().Model(&rows).Where("wd.endpoint_id = ?", endpointID).OrderExpr("wd.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: webhook deliveries: %w", err)
	}
	out := make([]inbox.WebhookDelivery, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// FindWebhookDelivery implements inbox.WebhookStore.
func (s *Store) FindWebhookDelivery(ctx context.Context, id int64) (inbox.WebhookDelivery, error) {
	var row webhookDeliveryRow
	if err := s.db.NewSelect().Model(&row).Where("wd.id = ?", id).Scan(ctx); err != nil {
		return inbox.WebhookDelivery{}, notFound(err, "webhook delivery")
	}
	return row.toDomain(), nil
}

// ResendWebhookDelivery implements inbox.WebhookStore.
func (s *Store) ResendWebhookDelivery(ctx context.Context, id int64, at time.Time, audit *inbox.AuditEntry) (inbox.WebhookDelivery, error) {
	var out inbox.WebhookDelivery
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var old webhookDeliveryRow
		if err := tx.NewSelect().Model(&old).Where("wd.id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "webhook delivery")
		}
		d := old.toDomain()
		d.State, d.Attempts, d.NextAttemptAt, d.CreatedAt = inbox.WebhookPending, 0, at, at
		row := newDeliveryRow(d)
		if _, err := tx.NewInsert().Model(&row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store: resend webhook delivery: %w", err)
		}
		out = row.toDomain()
		return newTxStore(tx).AppendAudit(ctx, audit)
	})
	return out, err
}

// ClaimWebhookDeliveries implements inbox.WebhookStore. PostgreSQL picks
// due rows with FOR UPDATE SKIP LOCKED so claimers do not wait on each
// other; SQLite has one writer at a time, and there the UPDATE's guard on
// the claim is what keeps a row from being claimed twice. A row whose
// earlier sibling (same endpoint and conversation) is still pending, due
// or not, claimed or not, waits: that is what keeps the order.
//
// The workers of every instance poll, so an idle poll is one read outside
// any transaction: on SQLite a transaction would take the one write lock
// that stored texts wait for.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]inbox.WebhookDelivery, error) {
	now, leaseUntil = now.UTC(), leaseUntil.UTC()
	var due []int64
	if err := dueWebhookDeliveries(s.db, now, limit).Scan(ctx, &due); err != nil {
		return nil, fmt.Errorf("store: find due webhook deliveries: %w", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	var claimed []inbox.WebhookDelivery
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		claimed = nil
		var ids []int64
		q := dueWebhookDeliveries(tx, now, limit)
		if s.dialect == "postgres" {
			q = q.For("UPDATE OF wd SKIP LOCKED")
		}
		if err := q.Scan(ctx, &ids); err != nil {
			return fmt.Errorf("store: find due webhook deliveries: %w", err)
		}
		for _, id := range ids {
			var rows []webhookDeliveryRow
			err := tx.NewRaw(`UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ? AND state = ?
				AND (claimed_until IS NULL OR claimed_until <= ?) RETURNING *`,
				leaseUntil, id, string(inbox.WebhookPending), now).Scan(ctx, &rows)
			if err != nil {
				return fmt.Errorf("store: claim webhook delivery %d: %w", id, err)
			}
			for _, r := range rows {
				claimed = append(claimed, r.toDomain())
			}
		}
		return nil
	})
	return claimed, err
}

// dueWebhookDeliveries selects the IDs of up to limit deliveries a claim
// at now may take.
func dueWebhookDeliveries(db bun.IDB, now time.Time, limit int) *bun.SelectQuery {
	return db.NewSelect().Model((*webhookDeliveryRow)(nil)).Column("wd.id").
		Where("wd.state = ?", string(inbox.WebhookPending)).
		Where("wd.next_attempt_at <= ?", now).
		Where("(wd.claimed_until IS NULL OR wd.claimed_until <= ?)", now).
		Where("wd.endpoint_id IN (SELECT id FROM webhook_endpoints WHERE paused_at IS NULL)").
		Where(`NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = wd.endpoint_id
			AND e.conversation_id = wd.conversation_id AND e.state = ? AND e.id < wd.id)`, string(inbox.WebhookPending)).
		OrderExpr("wd.next_attempt_at, wd.id").Limit(int64(limit))
}

// RecordWebhookAttempt implements inbox.WebhookStore.
func (s *Store) RecordWebhookAttempt(ctx context.Context, d inbox.WebhookDelivery, ok bool) (inbox.WebhookEndpoint, error) {
	var ep inbox.WebhookEndpoint
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*webhookDeliveryRow)(nil)).
			Set("payload = ?", string(d.Payload)).
			Set("state = ?", string(d.State)).
			Set("attempts = ?", d.Attempts).
			Set("next_attempt_at = ?", d.NextAttemptAt.UTC()).
			Set("first_attempt_at = ?", utcPtr(d.FirstAttemptAt)).
			Set("last_attempt_at = ?", utcPtr(d.LastAttemptAt)).
			Set("claimed_until = NULL").
			Set("last_status = ?", d.LastStatus).
			Set("last_latency_ms = ?", d.LastLatency.Milliseconds()).
			Set("last_response = ?", d.LastResponse).
			Set("last_error = ?", d.LastError).
			Where("id = ?", d.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: record webhook attempt: %w", err)
		}
		q := tx.NewUpdate().Model((*webhookEndpointRow)(nil)).Where("id = ?", d.EndpointID)
		if ok {
			q = q.Set("failing_since = NULL").Set("consecutive_failures = 0")
		} else {
			q = q.Set("failing_since = COALESCE(failing_since, ?)", utcPtr(d.LastAttemptAt)).Set("consecutive_failures = consecutive_failures + 1")
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("store: record webhook endpoint health: %w", err)
		}
		ep, err = findWebhookEndpoint(ctx, tx, d.EndpointID)
		return err
	})
	return ep, err
}

// DeleteWebhookDeliveriesBefore removes the delivered and failed
// deliveries queued before t, in batches, and returns how many it
// removed. Pending ones stay however old they are: they are not done.
func (s *Store) DeleteWebhookDeliveriesBefore(ctx context.Context, t time.Time) (int64, error) {
	var total int64
	for {
		ids := s.db.NewSelect().Table("webhook_deliveries").Column("id").
			Where("state <> ?", string(inbox.WebhookPending)).Where("created_at < ?", t.UTC()).Order("id").Limit(trimBatch)
		res, err := s.db.NewDelete().Table("webhook_deliveries").Where("id IN (?)", ids).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("store: delete webhook deliveries: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("store: delete webhook deliveries: %w", err)
		}
		total += n
		if n < trimBatch {
			return total, nil
		}
	}
}
