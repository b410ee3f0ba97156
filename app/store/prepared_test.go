package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// openSQLite opens and migrates a SQLite store of the test's own.
func openSQLite(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "parley.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// withBunTx runs fn on bun's statements only, as PostgreSQL does.
func withBunTx(ctx context.Context, s *Store, fn func(context.Context, inbox.Tx) error) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, newTxStore(tx))
	})
}

// withPreparedTx runs fn on the prepared statements, failing the test if
// the store would have fallen back to bun's.
func withPreparedTx(t *testing.T, s *Store) func(context.Context, func(context.Context, inbox.Tx) error) error {
	return func(ctx context.Context, fn func(context.Context, inbox.Tx) error) error {
		return s.Atomically(ctx, func(ctx context.Context, tx inbox.Tx) error {
			if tx.(txStore).prepared == nil {
				t.Fatal("the SQLite transaction has no prepared statements")
			}
			return fn(ctx, tx)
		})
	}
}

// ingestSteps writes texts the way the inbox's use cases do, covering every
// column kind the prepared statements bind: NULL and set pointers, nullzero
// columns, JSON (nil, empty and full), times with and without fractions,
// new and known search words, a reopened conversation and a duplicate.
func ingestSteps(ctx context.Context, run func(context.Context, func(context.Context, inbox.Tx) error) error) []string {
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 891234567, time.FixedZone("X", 3600))
	var log []string
	text := func(uuid, body string, at time.Time, media []inbox.Media, raw map[string]string) {
		err := run(ctx, func(ctx context.Context, tx inbox.Tx) error {
			conv, counted, err := tx.UpsertInboundConversation(ctx, uuid, "+15550001", "+15559999", body, 0, at)
			if err != nil {
				return err
			}
			if !counted {
				log = append(log, "duplicate "+uuid)
				return nil
			}
			m := &inbox.Message{
				ConversationID: conv.ID, ProviderUUID: uuid, Direction: inbox.DirectionInbound,
				From: "+15550001", To: "+15559999", Body: body, Media: media, Encoding: inbox.Encoding("GSM"),
				Segments: 1, Status: inbox.StatusReceived, Raw: raw, CreatedAt: at, UpdatedAt: at,
			}
			ok, err := tx.InsertMessage(ctx, m)
			if err != nil || !ok {
				log = append(log, "duplicate "+uuid)
				return err
			}
			reply := &inbox.Message{
				ConversationID: conv.ID, Direction: inbox.DirectionOutbound, From: "+15559999", To: "+15550001",
				Body: "auto", Status: inbox.StatusQueued, Via: inbox.ViaAPI, NextAttemptAt: &at,
				CreatedAt: at, UpdatedAt: at,
			}
			if _, err := tx.InsertMessage(ctx, reply); err != nil {
				return err
			}
			events := []inbox.Event{
				{Kind: inbox.EventMessageReceived, ConversationID: conv.ID, MessageID: m.ID, CreatedAt: at},
				{Kind: inbox.EventConversationUpdated, ConversationID: conv.ID, CreatedAt: at},
			}
			if err := tx.AppendEvents(ctx, events); err != nil {
				return err
			}
			log = append(log, fmt.Sprint(uuid, " ", conv.Status, " ", conv.MessageCount, " ", m.ID, " ", reply.ID))
			for _, e := range events {
				log = append(log, fmt.Sprint("event ", e.ID))
			}
			return nil
		})
		if err != nil {
			log = append(log, "error "+err.Error())
		}
	}
	text("u1", "Hello there", t0, nil, nil)
	text("u2", "hello again, it's me", t0.Add(time.Second), []inbox.Media{{URL: "https://m/1", ContentType: "image/png"}}, map[string]string{"Text": "hello <again>"})
	text("u2", "hello again, it's me", t0.Add(2*time.Second), nil, map[string]string{})
	if err := run(ctx, func(ctx context.Context, tx inbox.Tx) error {
		return tx.RecordConsent(ctx, 1, &inbox.ConsentEvent{ContactNumber: "+15550001", ChannelNumber: "+15559999",
			Kind: inbox.ConsentOptOut, Keyword: "STOP", Source: "test", OccurredAt: t0})
	}); err != nil {
		log = append(log, "error "+err.Error())
	}
	text("u3", "again", t0.Add(3*time.Second).Truncate(time.Second), nil, map[string]string{"a": "b"})
	// The automatic reply of the first text (message 2) is sent, then
	// reported on twice, the second time a repeat; then retried as message 1.
	outbox := func(fn func(inbox.OutboxTx) error) {
		if err := run(ctx, func(ctx context.Context, tx inbox.Tx) error { return fn(tx.(inbox.OutboxTx)) }); err != nil {
			log = append(log, "error "+err.Error())
		}
	}
	outbox(func(tx inbox.OutboxTx) error {
		m, err := tx.LockMessage(ctx, 2)
		if err != nil {
			return err
		}
		m.ProviderUUID, m.Status, m.Attempts, m.NextAttemptAt, m.UpdatedAt = "out-1", inbox.StatusSent, 1, nil, t0.Add(time.Minute)
		return tx.SaveOutboundState(ctx, m)
	})
	for range 2 {
		outbox(func(tx inbox.OutboxTx) error {
			m, err := tx.LockMessageByProviderUUID(ctx, "out-1")
			if err != nil {
				return err
			}
			log = append(log, fmt.Sprintf("found %+v", m))
			e := &inbox.MessageEvent{MessageID: m.ID, Status: inbox.StatusDelivered, ErrorCode: "000", Sequence: 2,
				OccurredAt: t0.Add(2 * time.Minute), Raw: map[string]string{"Status": "delivered"}}
			inserted, err := tx.InsertMessageEvent(ctx, e)
			log = append(log, fmt.Sprint("report inserted ", inserted, " id ", e.ID))
			if err != nil || !inserted {
				return err
			}
			next := t0.Add(time.Hour)
			m.Status, m.ErrorCode, m.ErrorMessage, m.NextAttemptAt, m.RetriedAs, m.UpdatedAt = inbox.StatusFailed, "30", "it's gone", &next, 1, t0.Add(3*time.Minute)
			return tx.SaveOutboundState(ctx, m)
		})
	}
	outbox(func(tx inbox.OutboxTx) error {
		_, err := tx.LockMessageByProviderUUID(ctx, "unknown")
		log = append(log, fmt.Sprint("unknown UUID not found: ", errors.Is(err, inbox.ErrNotFound)))
		err = tx.SaveOutboundState(ctx, inbox.Message{ID: 999, Status: inbox.StatusSent, UpdatedAt: t0})
		log = append(log, fmt.Sprint("unknown message not found: ", errors.Is(err, inbox.ErrNotFound)))
		return nil
	})
	return log
}

// dump is every row of the ingest's tables as SQLite's quote() prints it,
// so a time or JSON text written differently shows, not only its parse.
func dump(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	for _, table := range []string{"conversations", "messages", "events", "consent_events", "conversations_fts", "message_events"} {
		var cols []string
		if err := s.db.NewRaw("SELECT name FROM pragma_table_info(?)", table).Scan(ctx, &cols); err != nil {
			t.Fatal(err)
		}
		if len(cols) == 0 {
			t.Fatalf("table %s has no columns", table)
		}
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = "quote(" + c + ")"
		}
		var rows []string
		q := "SELECT " + strings.Join(quoted, " || ',' || ") + " FROM " + table + " ORDER BY rowid"
		if err := s.db.NewRaw(q).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		out[table] = rows
	}
	return out
}

func TestPreparedStatementsWriteWhatBunWrites(t *testing.T) {
	ctx := context.Background()
	viaBun, prepared := openSQLite(t), openSQLite(t)
	bunLog := ingestSteps(ctx, func(ctx context.Context, fn func(context.Context, inbox.Tx) error) error {
		return withBunTx(ctx, viaBun, fn)
	})
	preparedLog := ingestSteps(ctx, withPreparedTx(t, prepared))
	if !reflect.DeepEqual(bunLog, preparedLog) {
		t.Fatalf("what the transactions returned differs:\nbun:      %q\nprepared: %q", bunLog, preparedLog)
	}
	for _, want := range []string{"duplicate u2", "report inserted false", "unknown UUID not found: true", "unknown message not found: true"} {
		if !strings.Contains(strings.Join(preparedLog, "\n"), want) {
			t.Fatalf("log %q: no %q", preparedLog, want)
		}
	}
	want, got := dump(t, viaBun), dump(t, prepared)
	for table, rows := range want {
		if len(rows) == 0 {
			t.Fatalf("bun's path wrote no %s: the comparison would prove nothing", table)
		}
		if !reflect.DeepEqual(rows, got[table]) {
			t.Errorf("%s differ:\nbun:      %q\nprepared: %q", table, rows, got[table])
		}
	}
}

func TestPreparedUpsertReadsWhatBunReads(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	at := time.Date(2026, 1, 2, 3, 4, 5, 600000000, time.UTC)
	var fromPrepared inbox.Conversation
	if err := withPreparedTx(t, s)(ctx, func(ctx context.Context, tx inbox.Tx) error {
		var err error
		fromPrepared, _, err = tx.UpsertInboundConversation(ctx, "u", "+15550001", "+15559999", "hi", 0, at)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var row conversationRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", fromPrepared.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if want := row.toDomain(); !reflect.DeepEqual(fromPrepared, want) {
		t.Fatalf("prepared upsert returned\n%+v\nbun reads\n%+v", fromPrepared, want)
	}
}

func TestPreparedDuplicateMessageUUIDInsertsNothing(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var results []bool
	for range 2 {
		if err := withPreparedTx(t, s)(ctx, func(ctx context.Context, tx inbox.Tx) error {
			// No UUID for the upsert to look for: the insert's own guard
			// is what this tests.
			conv, _, err := tx.UpsertInboundConversation(ctx, "", "+15550001", "+15559999", "hi", 0, at)
			if err != nil {
				return err
			}
			m := &inbox.Message{ConversationID: conv.ID, ProviderUUID: "same", Direction: inbox.DirectionInbound,
				From: "+15550001", To: "+15559999", Body: "hi", Status: inbox.StatusReceived, CreatedAt: at, UpdatedAt: at}
			ok, err := tx.InsertMessage(ctx, m)
			results = append(results, ok)
			if ok && m.ID == 0 {
				t.Fatal("inserted message has no ID")
			}
			if !ok && m.ID != 0 {
				t.Fatalf("duplicate got ID %d", m.ID)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(results, []bool{true, false}) {
		t.Fatalf("inserted=%v, want the first only", results)
	}
	n, err := s.db.NewSelect().Table("messages").Where("provider_uuid = ?", "same").Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("messages with the UUID=%d err=%v, want 1", n, err)
	}
}

func TestPreparedRolledBackTransactionLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	before := dump(t, s)
	boom := errors.New("boom")
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	write := func(fail bool) error {
		return withPreparedTx(t, s)(ctx, func(ctx context.Context, tx inbox.Tx) error {
			conv, _, err := tx.UpsertInboundConversation(ctx, "u", "+15550001", "+15559999", "words here", 0, at)
			if err != nil {
				return err
			}
			m := &inbox.Message{ConversationID: conv.ID, ProviderUUID: "u", Direction: inbox.DirectionInbound,
				From: "+15550001", To: "+15559999", Body: "words here", Status: inbox.StatusReceived, CreatedAt: at, UpdatedAt: at}
			if _, err := tx.InsertMessage(ctx, m); err != nil {
				return err
			}
			if err := tx.AppendEvents(ctx, []inbox.Event{{Kind: inbox.EventMessageReceived, ConversationID: conv.ID, MessageID: m.ID, CreatedAt: at}}); err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		})
	}
	if err := write(true); !errors.Is(err, boom) {
		t.Fatalf("err=%v, want boom", err)
	}
	if after := dump(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a rolled-back transaction left\n%q\nwas\n%q", after, before)
	}
	// The statements still work after a rollback, and the UUID is free.
	if err := write(false); err != nil {
		t.Fatal(err)
	}
	n, err := s.db.NewSelect().Table("messages").Where("provider_uuid = ?", "u").Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("messages=%d err=%v after the retry, want 1", n, err)
	}
}

func TestPostgresHasNoPreparedStatements(t *testing.T) {
	s := &Store{dialect: "postgres"}
	if s.sqliteStatements(context.Background()) != nil {
		t.Fatal("PostgreSQL got prepared statements; it keeps bun's over the simple protocol")
	}
}

func TestPreparingBeforeMigrationFallsBackToBun(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "parley.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.sqliteStatements(ctx) != nil {
		t.Fatal("statements prepared on tables that do not exist yet")
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if s.sqliteStatements(ctx) == nil {
		t.Fatal("no statements once migrated")
	}
}
