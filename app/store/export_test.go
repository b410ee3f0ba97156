package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// An export walks every selected message once, grouped by conversation,
// across page boundaries, with labels and delivery reports, and honours
// the date, number and label filters.
func TestExportMessages(t *testing.T) {
	defer store.SetExportPage(3)()
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		admin := inbox.User{ID: 1, Role: inbox.RoleAdmin}
		const other = "+14155550188"
		// Three contacts on our main number, one on another; two texts each,
		// an hour apart. "HELLO" also gets an automatic reply.
		contacts := []struct{ from, to string }{
			{"+14155550101", channel}, {"+14155550102", channel}, {"+14155550103", other}, {"+14155550104", channel},
		}
		var replyID int64
		for round := range 2 {
			for i, c := range contacts {
				text := fmt.Sprintf("text %d from %d", round, i)
				if i == 0 && round == 0 {
					text = "HELLO"
				}
				r := storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("x-%d-%d", round, i), c.from, c.to, text))
				if r.Reply != nil {
					replyID = r.Reply.ID
				}
			}
			clock.Advance(time.Hour)
		}
		ob := inbox.NewOutbox(inbox.OutboxOptions{Store: s, Clock: clock, Log: slog.New(slog.DiscardHandler)})
		for seq, st := range []inbox.Status{inbox.StatusSent, inbox.StatusDelivered} {
			if _, err := ob.RecordDelivery(ctx, inbox.DeliveryReport{MessageID: replyID, MessageUUID: "carrier-1", Status: st, Sequence: seq + 1}); err != nil {
				t.Fatal(err)
			}
		}
		vip, err := svc.SaveLabel(ctx, admin, inbox.Label{Name: "VIP", Color: "red"})
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll}.Normalise())
		if err != nil {
			t.Fatal(err)
		}
		var labelled int64
		for _, c := range page.Conversations {
			if c.ContactNumber == "+14155550102" {
				labelled = c.ID
			}
		}
		if _, err := svc.SetConversationLabel(ctx, admin, labelled, vip.ID, true); err != nil {
			t.Fatal(err)
		}

		collect := func(q inbox.ExportQuery) []inbox.ExportRecord {
			t.Helper()
			var got []inbox.ExportRecord
			n, err := svc.Export(ctx, admin, q, func(r inbox.ExportRecord) error {
				got = append(got, r)
				return nil
			})
			if err != nil || n != len(got) {
				t.Fatalf("Export(%+v)=%d, %v; got %d records", q, n, err, len(got))
			}
			return got
		}
		all := collect(inbox.ExportQuery{})
		if len(all) != 9 { // eight texts and one automatic reply
			t.Fatalf("export of everything: %d records, want 9", len(all))
		}
		seen := map[int64]bool{}
		for i, r := range all {
			if seen[r.Message.ID] {
				t.Fatalf("message %d exported twice", r.Message.ID)
			}
			seen[r.Message.ID] = true
			if r.Conversation.ID != r.Message.ConversationID || r.Conversation.ContactNumber == "" {
				t.Fatalf("record %d: conversation %+v does not match message %d", i, r.Conversation, r.Message.ID)
			}
			if i > 0 {
				p := all[i-1]
				if r.Conversation.ID < p.Conversation.ID || (r.Conversation.ID == p.Conversation.ID && r.Message.ID < p.Message.ID) {
					t.Fatalf("record %d out of order: conversation %d message %d after %d/%d", i, r.Conversation.ID, r.Message.ID, p.Conversation.ID, p.Message.ID)
				}
			}
			if want := map[bool]int{true: 2}[r.Message.ID == replyID]; len(r.Events) != want {
				t.Fatalf("message %d exported with %d delivery reports, want %d", r.Message.ID, len(r.Events), want)
			}
			if r.Conversation.ID == labelled && (len(r.Conversation.LabelIDs) != 1 || r.Conversation.LabelIDs[0] != vip.ID) {
				t.Fatalf("labelled conversation exported with labels %v", r.Conversation.LabelIDs)
			}
		}

		tests := []struct {
			name string
			q    inbox.ExportQuery
			want int
		}{
			{"first hour", inbox.ExportQuery{To: t0.Add(time.Hour)}, 5},
			{"second hour", inbox.ExportQuery{From: t0.Add(time.Hour)}, 4},
			{"other number", inbox.ExportQuery{Channel: other}, 2},
			{"label", inbox.ExportQuery{LabelID: vip.ID}, 2},
			{"label and second hour", inbox.ExportQuery{LabelID: vip.ID, From: t0.Add(time.Hour)}, 1},
			{"nothing", inbox.ExportQuery{Channel: "+19995550000"}, 0},
		}
		for _, tt := range tests {
			if got := collect(tt.q); len(got) != tt.want {
				t.Errorf("%s: %d records, want %d", tt.name, len(got), tt.want)
			}
		}

		// Every export is in the audit log, with what it selected.
		entries, _, err := svc.AuditLog(ctx, admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		var exports []string
		for _, e := range entries {
			if e.Action == inbox.AuditExport {
				exports = append(exports, e.Detail)
			}
		}
		if len(exports) != 1+len(tests) || exports[len(exports)-1] != "all dates; 9 messages" {
			t.Fatalf("audit log holds exports %q, want one per export, the first of all 9 messages", exports)
		}
		if want := "all dates; label VIP; 2 messages"; !slices.Contains(exports, want) {
			t.Fatalf("audit log exports %q lack %q", exports, want)
		}

		// Agents cannot export; a backwards range is refused; the writer's
		// error stops the export and comes back.
		if _, err := svc.Export(ctx, inbox.User{ID: 2, Role: inbox.RoleAgent}, inbox.ExportQuery{}, func(inbox.ExportRecord) error { return nil }); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("agent export: %v, want EFORBIDDEN", err)
		}
		if _, err := svc.Export(ctx, admin, inbox.ExportQuery{From: t0, To: t0}, func(inbox.ExportRecord) error { return nil }); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Errorf("empty range: %v, want EINVALID", err)
		}
		stop := errors.New("client went away")
		n, err := svc.Export(ctx, admin, inbox.ExportQuery{}, func(inbox.ExportRecord) error { return stop })
		if !errors.Is(err, stop) || n != 0 {
			t.Errorf("writer failing: %d, %v; want 0 and its error", n, err)
		}
	})
}
