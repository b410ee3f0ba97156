package usecases_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func noteBodies(notes []inbox.Note) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.Body)
	}
	return out
}

func TestNotesAndMentions(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		bob := storetest.MustSaveUser(t, s, "bob@example.com", inbox.RoleAgent)
		// Ten texts, a note, fifty more texts, another note: the newest
		// page of the thread holds the last fifty texts and the second
		// note; the page before it the first ten and the first note.
		text := func(i int) {
			storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("n-%d", i), contact, channel, fmt.Sprintf("text %d", i)))
			clock.Advance(time.Minute)
		}
		for i := range 10 {
			text(i)
		}
		conv, err := s.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Limit: 1})
		if err != nil || len(conv.Conversations) != 1 {
			t.Fatalf("conversations=%v err=%v", conv.Conversations, err)
		}
		id := conv.Conversations[0].ID
		first, err := svc.AddNote(ctx, ann, id, "  @bob this one paid twice; @ann noted  ")
		if err != nil {
			t.Fatal(err)
		}
		if first.Body != "@bob this one paid twice; @ann noted" || fmt.Sprint(first.Mentions) != fmt.Sprint([]int64{bob.ID}) || first.ID == 0 {
			t.Fatalf("note=%+v, want the trimmed body mentioning bob only (not its author)", first)
		}
		clock.Advance(time.Minute)
		for i := 10; i < 60; i++ {
			text(i)
		}
		if _, err := svc.AddNote(ctx, bob, id, "refunded"); err != nil {
			t.Fatal(err)
		}

		th, err := svc.OpenThread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := noteBodies(th.Messages.Notes); fmt.Sprint(got) != "[refunded]" || th.Messages.Before == 0 {
			t.Fatalf("newest page notes=%q before=%d, want only the second note and an older page", got, th.Messages.Before)
		}
		older, err := svc.OlderMessages(ctx, id, th.Messages.Before)
		if err != nil {
			t.Fatal(err)
		}
		if got := noteBodies(older.Notes); len(got) != 1 || got[0] != first.Body || len(older.Messages) == 0 {
			t.Fatalf("older page notes=%q with %d messages, want the first note", got, len(older.Messages))
		}
		if got := older.Notes[0].Mentions; fmt.Sprint(got) != fmt.Sprint([]int64{bob.ID}) {
			t.Errorf("listed note mentions=%v, want bob", got)
		}

		// The note is logged, its ID in the event's subject.
		var last inbox.Event
		for _, e := range pub.Events() {
			if e.Kind == inbox.EventNoteAdded {
				last = e
			}
		}
		if last.ConversationID != id {
			t.Fatalf("last note event=%+v, want one on the conversation", last)
		}
		if n, err := svc.FindNote(ctx, last.MessageID); err != nil || n.Body != "refunded" {
			t.Fatalf("note of the event=%+v err=%v", n, err)
		}

		// Bob's mention: unread until he opens the conversation.
		if n, _ := svc.CountUnreadMentions(ctx, bob); n != 1 {
			t.Fatalf("bob unread mentions=%d, want 1", n)
		}
		if n, _ := svc.CountUnreadMentions(ctx, ann); n != 0 {
			t.Fatalf("ann unread mentions=%d, want 0", n)
		}
		ms, err := svc.Mentions(ctx, bob, true)
		if err != nil || len(ms) != 1 || ms[0].Note.Body != first.Body || ms[0].Note.ConversationID != id || ms[0].Note.AuthorID != ann.ID {
			t.Fatalf("bob mentions=%+v err=%v, want ann's note", ms, err)
		}
		for i, want := range []int{1, 0} {
			if n, err := svc.MarkMentionsRead(ctx, bob, id); err != nil || n != want {
				t.Fatalf("mark read #%d: marked=%d err=%v, want %d", i+1, n, err, want)
			}
		}
		if n, _ := svc.CountUnreadMentions(ctx, bob); n != 0 {
			t.Fatalf("bob unread after reading=%d, want 0", n)
		}
		if ms, _ := svc.Mentions(ctx, bob, false); len(ms) != 1 || ms[0].ReadAt == nil {
			t.Fatalf("bob all mentions=%+v, want the one, read", ms)
		}

		// Refusals store nothing and publish nothing.
		published := len(pub.Events())
		for _, tt := range []struct {
			name, body string
			conv       int64
			code       string
		}{
			{"blank", "  \n ", id, inbox.EINVALID},
			{"too long", strings.Repeat("é", inbox.MaxNoteLength+1), id, inbox.EINVALID},
			{"no such conversation", "hello", 9999, inbox.ENOTFOUND},
		} {
			if _, err := svc.AddNote(ctx, ann, tt.conv, tt.body); inbox.ErrorCode(err) != tt.code {
				t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
			}
		}
		if n := len(pub.Events()); n != published {
			t.Errorf("refused notes published %d events", n-published)
		}
		if notes, _ := s.ListNotes(ctx, id, time.Time{}, time.Time{}); len(notes) != 2 {
			t.Errorf("notes stored=%d, want 2", len(notes))
		}
	})
}
