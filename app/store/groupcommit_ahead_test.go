package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/app/testenv"
)

// openAnother opens a second, empty database of s's kind.
func openAnother(t *testing.T, s *store.Store) *store.Store {
	t.Helper()
	if s.Dialect() == "postgres" {
		return storetest.MustOpenPostgres(t, testenv.URL(t, testenv.Postgres))
	}
	return storetest.MustOpenSQLite(t)
}

// A batch whose texts are written ahead, several to a statement, leaves
// the database as the same texts received one at a time do: conversations
// (counts, last message, status, search words), messages and the event
// log. The batch mixes texts written ahead with those left to their own
// statements: a second text of one conversation, a second delivery of one
// MessageUUID, a text stored before, one with an attachment, a reopening
// of a closed conversation, keywords.
func TestGroupCommitWritesAheadWhatEachTextWouldWrite(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, batched *store.Store) {
		single := openAnother(t, batched)
		g := store.NewGroupCommit(batched, store.GroupCommitOptions{Transactions: 1})
		viaGroup, _ := newGroupService(batched, g)
		alone, _ := newGroupService(single, nil)

		withPhoto := inboxtest.Inbound("photo", "+15550000105", channel, "see this")
		withPhoto.Media = []inbox.Media{{URL: "https://media.example/1.jpg", ContentType: "image/jpeg"}}
		history := []inbox.Inbound{
			inboxtest.Inbound("h-1", "+15550000101", channel, "first words"),
			inboxtest.Inbound("h-2", "+15550000102", channel, "closing soon"),
		}
		batch := []inbox.Inbound{
			inboxtest.Inbound("b-1", "+15550000101", channel, "second words arrive"),
			inboxtest.Inbound("b-2", "+15550000102", channel, "back again"),
			inboxtest.Inbound("b-3", "+15550000103", channel, "hello"),
			inboxtest.Inbound("b-4", "+15550000103", channel, "are you there"),
			inboxtest.Inbound("b-5", "+15550000104", channel, "where is parcel 7731"),
			inboxtest.Inbound("b-5", "+15550000104", channel, "where is parcel 7731"),
			inboxtest.Inbound("h-1", "+15550000101", channel, "first words"),
			withPhoto,
			inboxtest.Inbound("b-6", "+15550000106", channel, "HOURS"),
			inboxtest.Inbound("b-7", "+15550000107", channel, "a plain question"),
		}
		for _, s := range []struct {
			store *store.Store
			svc   *inbox.Service
		}{{batched, viaGroup}, {single, alone}} {
			for _, in := range history {
				storetest.MustReceive(t, s.svc, in)
			}
			mustExec(t, s.store, "UPDATE conversations SET status = 'closed' WHERE contact_number = '+15550000102'")
		}

		before := g.WrittenAhead()
		out, tries := receiveInOneBatch(t, g, viaGroup, batch...)
		if tries != 1 {
			t.Fatalf("transactions=%d, want 1", tries)
		}
		if n := g.WrittenAhead() - before; n != 6 {
			t.Fatalf("texts written ahead=%d, want 6 (b-1, b-2, b-3, b-5, b-6, b-7)", n)
		}
		// One at a time, in the order the batch ran them: by conversation.
		for i := range batch {
			if out[i].err != nil {
				t.Fatalf("batched text %d: %v", i, out[i].err)
			}
		}
		for _, i := range []int{0, 6, 1, 2, 3, 4, 5, 7, 8, 9} {
			r, err := alone.Receive(context.Background(), batch[i])
			if err != nil {
				t.Fatalf("text %d alone: %v", i, err)
			}
			if r.Duplicate != out[i].r.Duplicate || replyBody(r) != replyBody(out[i].r) {
				t.Fatalf("text %d: alone duplicate=%v reply=%q, batched duplicate=%v reply=%q",
					i, r.Duplicate, replyBody(r), out[i].r.Duplicate, replyBody(out[i].r))
			}
		}
		for _, q := range []string{
			`SELECT contact_number, status, message_count, unread_count, last_message_preview, last_message_direction,
			        last_message_media, search_terms FROM conversations ORDER BY contact_number`,
			`SELECT c.contact_number, m.provider_uuid, m.direction, m.body, m.status, m.segments, m.via
			   FROM messages m JOIN conversations c ON c.id = m.conversation_id ORDER BY c.contact_number, m.provider_uuid, m.body`,
			`SELECT e.kind, c.contact_number, count(*) FROM events e JOIN conversations c ON c.id = e.conversation_id
			  GROUP BY e.kind, c.contact_number ORDER BY c.contact_number, e.kind`,
		} {
			got, want := rowsOf(t, batched, q), rowsOf(t, single, q)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s\nbatched:\n%s\none at a time:\n%s", q, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	})
}

// A statement written for several texts that fails (here a trigger that
// refuses one text's body) blames no one text: the batch runs again with
// each text's own statements, and only the refused text fails.
func TestGroupCommitFailingStatementForManyFindsTheText(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if s.Dialect() == "postgres" {
			mustExec(t, s, `CREATE FUNCTION refuse_explode() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.body = 'explode' THEN RAISE EXCEPTION 'refused body'; END IF; RETURN NEW; END $$`)
			mustExec(t, s, `CREATE TRIGGER refuse_explode BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_explode()`)
		} else {
			mustExec(t, s, `CREATE TRIGGER refuse_explode BEFORE INSERT ON messages WHEN NEW.body = 'explode'
				BEGIN SELECT RAISE(ABORT, 'refused body'); END`)
		}
		g := store.NewGroupCommit(s, store.GroupCommitOptions{Transactions: 1})
		svc, pub := newGroupService(s, g)
		out, tries := receiveInOneBatch(t, g, svc,
			inboxtest.Inbound("ok-1", "+15550000201", channel, "hello"),
			inboxtest.Inbound("bad", "+15550000202", channel, "explode"),
			inboxtest.Inbound("ok-2", "+15550000203", channel, "help"),
		)
		// Shared statements, then each text's own (the bad one fails),
		// then the rest again.
		if tries != 3 {
			t.Fatalf("transactions=%d, want 3", tries)
		}
		if code := inbox.ErrorCode(out[1].err); code != inbox.EUNAVAILABLE {
			t.Fatalf("refused text: err=%v, want EUNAVAILABLE", out[1].err)
		}
		for _, i := range []int{0, 2} {
			if out[i].err != nil || out[i].r.Duplicate {
				t.Fatalf("good text %d: err=%v receipt=%+v, want stored", i, out[i].err, out[i].r)
			}
		}
		for uuid, want := range map[string]int{"ok-1": 1, "ok-2": 1, "bad": 0} {
			if n, err := s.CountMessagesByProviderUUID(ctx, uuid); err != nil || n != want {
				t.Fatalf("messages with UUID %s=%d err=%v, want %d", uuid, n, err, want)
			}
		}
		mustLogWhatWasPublished(t, s, pub, 0)
	})
}

func mustExec(t *testing.T, s *store.Store, query string) {
	t.Helper()
	if _, err := s.DB().ExecContext(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// rowsOf returns query's rows, each as one line of its columns.
func rowsOf(t *testing.T, s *store.Store, query string) []string {
	t.Helper()
	var out []string
	for _, row := range queryRows(t, s, query) {
		out = append(out, strings.Join(row, " | "))
	}
	return out
}

// The nonces of each text's request are claimed in the shared
// transaction, all units' in one statement: a request played again (its
// nonce claimed before, or twice in the same batch) changes nothing and
// says so, and a text whose transaction does not commit leaves its nonces
// free for the retry.
func TestGroupCommitClaimsEachRequestsNoncesWithItsText(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		g := store.NewGroupCommit(s, store.GroupCommitOptions{Transactions: 1})
		svc, _ := newGroupService(s, faulty{GroupCommitter: g, fail: "bad", panics: "no text"})
		signed := func(uuid, contact, body string, nonces ...string) inbox.Inbound {
			in := inboxtest.Inbound(uuid, contact, channel, body)
			in.Nonces = nonces
			return in
		}
		storetest.MustReceive(t, svc, signed("n-0", "+15550000301", "hello", "v3:old"))
		before := g.WrittenAhead()
		out, _ := receiveInOneBatch(t, g, svc,
			signed("n-1", "+15550000302", "hello", "v2:a", "v3:a"),
			signed("n-1", "+15550000302", "hello", "v2:a", "v3:a"),
			signed("n-2", "+15550000303", "hello", "v3:old"),
			signed("n-3", "+15550000304", "hello", "v3:c", "v3:b"),
			signed("bad", "+15550000305", "hello", "v3:d"),
			signed("n-4", "+15550000306", "hello"),
		)
		if n := g.WrittenAhead() - before; n < 2 {
			t.Fatalf("texts written ahead=%d, want the batch's texts written together", n)
		}
		for i, want := range []string{"", inbox.ECONFLICT, inbox.ECONFLICT, "", inbox.EUNAVAILABLE, ""} {
			if got := inbox.ErrorCode(out[i].err); (want == "") != (out[i].err == nil) || (want != "" && got != want) {
				t.Fatalf("text %d: err=%v, want code %q", i, out[i].err, want)
			}
			if want == inbox.ECONFLICT && !errors.Is(out[i].err, inbox.ErrNonceReused) {
				t.Fatalf("text %d: err=%v, want ErrNonceReused", i, out[i].err)
			}
		}
		for uuid, want := range map[string]int{"n-1": 1, "n-2": 0, "n-3": 1, "bad": 0, "n-4": 1} {
			if n, err := s.CountMessagesByProviderUUID(ctx, uuid); err != nil || n != want {
				t.Fatalf("messages with UUID %s=%d err=%v, want %d", uuid, n, err, want)
			}
		}
		var claimed []string
		if err := s.DB().NewRaw("SELECT nonce FROM webhook_nonces ORDER BY nonce").Scan(ctx, &claimed); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(claimed, " "); got != "v2:a v3:a v3:b v3:c v3:old" {
			t.Fatalf("claimed nonces=%q, want the stored texts' only (the failed text's v3:d free again)", got)
		}
		// The failed text comes again with the same nonce, and is stored.
		clean, _ := newGroupService(s, g)
		if _, err := clean.Receive(ctx, signed("bad", "+15550000305", "hello", "v3:d")); err != nil {
			t.Fatalf("the failed text again: %v", err)
		}
	})
}
