package store_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/migrations"
)

// TestConversationRemembersWhoSpokeLast checks that the list's preview
// carries its speaker and attachments through the database: an automatic
// answer to HELP, a picture from the contact, an agent's reply.
func TestConversationRemembersWhoSpokeLast(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		check := func(step string, dir inbox.Direction, sentBy int64, media int, preview string) {
			t.Helper()
			page, err := s.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Conversations) != 1 {
				t.Fatalf("%s: %d conversations, want 1", step, len(page.Conversations))
			}
			c := page.Conversations[0]
			if c.LastMessageDirection != dir || c.LastMessageSentBy != sentBy || c.LastMessageMedia != media || c.LastMessagePreview != preview {
				t.Errorf("%s: last message=(%s, sent by %d, %d media, %q), want (%s, %d, %d, %q)", step,
					c.LastMessageDirection, c.LastMessageSentBy, c.LastMessageMedia, c.LastMessagePreview, dir, sentBy, media, preview)
			}
		}
		help := storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-help", contact, channel, "HELP"))
		if help.Reply == nil {
			t.Fatal("HELP got no automatic reply")
		}
		check("auto-reply to HELP", inbox.DirectionOutbound, 0, 0, inbox.Preview(help.Reply.Body, inbox.PreviewLength))

		photo := inboxtest.Inbound("in-photo", contact, channel, "")
		photo.Media = []inbox.Media{{URL: "https://media.example.com/a.jpg", ContentType: "image/jpeg"}}
		storetest.MustReceive(t, r.svc, photo)
		check("inbound photo", inbox.DirectionInbound, 0, 1, "")

		if _, err := r.svc.SendReply(ctx, r.agent, r.convID, "On its way"); err != nil {
			t.Fatalf("SendReply: %v", err)
		}
		check("agent's reply", inbox.DirectionOutbound, r.agent.ID, 0, "On its way")
	})
}

// TestLastMessageBackfill checks migration 0024's backfill: conversations
// stored before it take their speaker and attachments from their latest
// message, and a picture's old "2 attachments" preview gives way.
func TestLastMessageBackfill(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		urls := []string{"https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"}
		if _, err := r.svc.SendTo(ctx, r.agent, inbox.Outgoing{To: contact, MediaURLs: urls}); err != nil {
			t.Fatalf("SendTo: %v", err)
		}
		// As the conversation read before the migration.
		if _, err := s.DB().ExecContext(ctx, `UPDATE conversations SET last_message_direction = 'inbound',
			last_message_sent_by = NULL, last_message_media = 0, last_message_preview = '2 attachments'`); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range backfillStatements(t, s.Dialect()) {
			if _, err := s.DB().ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		c, err := s.FindConversationByID(ctx, r.convID)
		if err != nil {
			t.Fatal(err)
		}
		if c.LastMessageDirection != inbox.DirectionOutbound || c.LastMessageSentBy != r.agent.ID || c.LastMessageMedia != 2 || c.LastMessagePreview != "" {
			t.Errorf("backfilled=(%s, sent by %d, %d media, %q), want (outbound, %d, 2, \"\")",
				c.LastMessageDirection, c.LastMessageSentBy, c.LastMessageMedia, c.LastMessagePreview, r.agent.ID)
		}
	})
}

// backfillStatements are the UPDATE statements of migration 0024.
func backfillStatements(t *testing.T, dialect string) []string {
	t.Helper()
	fsys, err := migrations.FS(dialect)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(fsys, "0024_last_message_speaker.tx.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, stmt := range strings.Split(string(b), ";") {
		var code []string
		for _, line := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "--") {
				code = append(code, line)
			}
		}
		if sql := strings.TrimSpace(strings.Join(code, "\n")); strings.HasPrefix(sql, "UPDATE") {
			out = append(out, sql)
		}
	}
	if len(out) != 2 {
		t.Fatalf("found %d UPDATE statements in migration 0024, want 2", len(out))
	}
	return out
}
