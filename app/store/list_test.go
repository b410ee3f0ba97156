package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestListConversationsPagesNewestFirst(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		texts := make([]string, 7)
		for i := range texts {
			texts[i] = fmt.Sprintf("question number %d", i)
		}
		convs := storetest.SeedConversations(t, svc, clock, texts...)
		var seen []int64
		q := inbox.ConversationQuery{Filter: inbox.FilterOpen, Limit: 3}
		for page := 0; ; page++ {
			p, err := svc.ListConversations(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Conversations {
				seen = append(seen, c.ID)
			}
			if p.Next.IsZero() {
				break
			}
			// The cursor survives a round trip through a URL.
			if q.After, err = inbox.ParseCursor(p.Next.String()); err != nil {
				t.Fatal(err)
			}
			if page > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if len(seen) != 7 {
			t.Fatalf("paged through %d conversations, want 7", len(seen))
		}
		for i, id := range seen {
			if want := convs[6-i].ID; id != want {
				t.Fatalf("position %d id=%d, want %d (newest first)", i, id, want)
			}
		}
	})
}

func TestListConversationsFiltersAndSearch(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		admin := inbox.User{ID: 1, Role: inbox.RoleAdmin}
		convs := storetest.SeedConversations(t, svc, clock,
			"Where is my parcel?", "Refund please", "STOP", "The parcel arrived damaged", "Hello")
		if _, err := svc.SetConversationStatus(ctx, admin, convs[1].ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		ids := func(q inbox.ConversationQuery) []int64 {
			t.Helper()
			p, err := svc.ListConversations(ctx, q)
			if err != nil {
				t.Fatalf("list %+v: %v", q, err)
			}
			var out []int64
			for _, c := range p.Conversations {
				out = append(out, c.ID)
			}
			return out
		}
		tests := []struct {
			name string
			q    inbox.ConversationQuery
			want []int64
		}{
			{"open", inbox.ConversationQuery{Filter: inbox.FilterOpen}, []int64{convs[4].ID, convs[3].ID, convs[2].ID, convs[0].ID}},
			{"closed", inbox.ConversationQuery{Filter: inbox.FilterClosed}, []int64{convs[1].ID}},
			{"all", inbox.ConversationQuery{Filter: inbox.FilterAll}, []int64{convs[4].ID, convs[3].ID, convs[2].ID, convs[1].ID, convs[0].ID}},
			{"opted out", inbox.ConversationQuery{Filter: inbox.FilterOptedOut}, []int64{convs[2].ID}},
			{"word", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "parcel"}, []int64{convs[3].ID, convs[0].ID}},
			{"word prefix, any case", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "PARC"}, []int64{convs[3].ID, convs[0].ID}},
			{"two words", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "parcel damaged"}, []int64{convs[3].ID}},
			{"number digits", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "(415) 555-1001"}, []int64{convs[1].ID}},
			{"search within filter", inbox.ConversationQuery{Filter: inbox.FilterClosed, Search: "parcel"}, nil},
			{"no match", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "zebra"}, nil},
			{"sql and fts syntax are just text", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: `'; DROP TABLE messages; -- " OR * NEAR(`}, nil},
			{"only punctuation", inbox.ConversationQuery{Filter: inbox.FilterAll, Search: `"*()`}, nil},
		}
		for _, tt := range tests {
			got := ids(tt.q)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s: ids=%v, want %v", tt.name, got, tt.want)
			}
		}
		if n, _ := s.CountMessagesByProviderUUID(ctx, "seed-0"); n != 1 {
			t.Fatal("messages table damaged by a search")
		}
	})
}

func TestThreadPagesAndMarksRead(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		var convID int64
		for i := range inbox.ThreadPageSize + 5 {
			r := storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("th-%d", i), contact, channel, fmt.Sprintf("message %d", i)))
			convID = r.Conversation.ID
		}
		th, err := svc.OpenThread(ctx, convID)
		if err != nil {
			t.Fatal(err)
		}
		msgs := th.Messages.Messages
		if len(msgs) != inbox.ThreadPageSize || msgs[len(msgs)-1].Body != fmt.Sprintf("message %d", inbox.ThreadPageSize+4) || th.Messages.Before == 0 {
			t.Fatalf("first page: %d messages, last %q, before %d", len(msgs), msgs[len(msgs)-1].Body, th.Messages.Before)
		}
		older, err := svc.OlderMessages(ctx, convID, th.Messages.Before)
		if err != nil {
			t.Fatal(err)
		}
		if len(older.Messages) != 5 || older.Messages[0].Body != "message 0" || older.Before != 0 {
			t.Fatalf("older page: %d messages, first %q, before %d; want 5 from message 0 and no more", len(older.Messages), older.Messages[0].Body, older.Before)
		}
		conv, _ := s.FindConversationByID(ctx, convID)
		if conv.UnreadCount != 0 {
			t.Fatalf("unread after opening=%d, want 0", conv.UnreadCount)
		}
		if _, err := svc.OpenThread(ctx, 999999); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("OpenThread(missing) err=%v, want not found", err)
		}
	})
}

func TestSendReplyHonoursConsentAndBlocks(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub, Numbers: []inbox.Number{channel}})
		agent := inbox.User{ID: 0, Role: inbox.RoleAgent}
		r := storetest.MustReceive(t, svc, inboxtest.Inbound("s-1", contact, channel, "my order?"))
		id := r.Conversation.ID

		m, err := svc.SendReply(ctx, agent, id, "On its way!")
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := s.FindMessageByID(ctx, m.ID)
		if stored.Status != inbox.StatusQueued || stored.Via != inbox.ViaAPI || stored.To != contact || stored.NextAttemptAt == nil {
			t.Fatalf("queued reply=%+v, want queued via api to the contact", stored)
		}

		tests := []struct {
			name  string
			setup func()
			text  string
			code  string
		}{
			{"blank", func() {}, "  ", inbox.EINVALID},
			{"too long", func() {}, string(make([]byte, 1601)), inbox.EINVALID},
			{"blocked", func() { svc.SetConversationStatus(ctx, agent, id, inbox.ConversationBlocked) }, "hi", inbox.EBLOCKED},
			{"opted out", func() {
				svc.SetConversationStatus(ctx, agent, id, inbox.ConversationOpen)
				svc.SetConsentByAgent(ctx, agent, id, true)
			}, "hi", inbox.EOPTEDOUT},
		}
		for _, tt := range tests {
			tt.setup()
			before := countAll(t, s)
			if _, err := svc.SendReply(ctx, agent, id, tt.text); inbox.ErrorCode(err) != tt.code {
				t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
			}
			if countAll(t, s) != before {
				t.Errorf("%s: a refused send stored a message", tt.name)
			}
		}
		history, _ := s.ConsentHistory(ctx, contact, channel)
		if len(history) != 1 || history[0].Source != "agent" || history[0].Kind != inbox.ConsentOptOut {
			t.Fatalf("consent history=%+v, want one opt-out by an agent", history)
		}

		// New conversations: validated number, our number.
		if _, err := svc.StartConversation(ctx, agent, "+1 415 555 0123", "", "Hello from the team"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.StartConversation(ctx, agent, "415 555", "", "x"); inbox.ErrorField(err) != "to" {
			t.Fatalf("bad number err=%v, want field to", err)
		}
		if _, err := svc.StartConversation(ctx, agent, contact, "", "x"); inbox.ErrorCode(err) != inbox.EOPTEDOUT {
			t.Fatalf("new conversation to an opted-out contact err=%v, want opted out", err)
		}
		if _, err := svc.StartConversation(ctx, agent, "+14155550123", "+14155550000", "x"); inbox.ErrorField(err) != "from" {
			t.Fatalf("unknown sending number err=%v, want field from", err)
		}
	})
}

func countAll(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB().NewRaw("SELECT count(*) FROM messages").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestKeywordRuleAdministration(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s})
		admin := inbox.User{ID: 1, Role: inbox.RoleAdmin}
		agent := inbox.User{ID: 2, Role: inbox.RoleAgent}
		if _, err := svc.SaveKeywordRule(ctx, agent, inbox.KeywordRule{Keywords: []string{"X"}, Reply: "y"}); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("agent edits rules: %v", err)
		}
		if _, err := svc.SaveKeywordRule(ctx, admin, inbox.KeywordRule{Keywords: []string{"stop"}, Reply: "y"}); inbox.ErrorField(err) != "keywords" {
			t.Fatalf("rule for STOP: %v, want refused", err)
		}
		r, err := svc.SaveKeywordRule(ctx, admin, inbox.KeywordRule{Keywords: []string{"price", " Prices "}, Reply: "See our website.", Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		rules, _ := svc.KeywordRules(ctx)
		if len(rules) != 5 || rules[4].ID != r.ID || fmt.Sprint(rules[4].Keywords) != "[PRICE PRICES]" {
			t.Fatalf("rules=%+v, want the new rule last", rules)
		}
		if err := svc.MoveKeywordRule(ctx, admin, r.ID, true); err != nil {
			t.Fatal(err)
		}
		rules, _ = svc.KeywordRules(ctx)
		if rules[3].ID != r.ID {
			t.Fatalf("after moving up the rule is at %d, want 3", indexOf(rules, r.ID))
		}
		d, err := svc.PreviewReply(ctx, "prices", false)
		if err != nil || d.Reply != "See our website." {
			t.Fatalf("preview=%+v, %v", d, err)
		}
		if err := svc.DeleteKeywordRule(ctx, admin, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteKeywordRule(ctx, admin, r.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("deleting twice: %v, want not found", err)
		}
	})
}

func indexOf(rules []inbox.KeywordRule, id int64) int {
	for i, r := range rules {
		if r.ID == id {
			return i
		}
	}
	return -1
}
