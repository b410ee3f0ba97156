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

// A customer is found by the name the team gave them, by the team's notes
// (on the contact and on the conversation), and by their number however
// it is typed, in whatever tab the conversation is.
func TestSearchFindsPeopleNotesAndNumbers(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0), Numbers: []inbox.Number{channel}})
		agent := storetest.MustSaveUser(t, s, "ana@example.com", inbox.RoleAgent)
		whitfield := storetest.MustReceive(t, svc, inboxtest.Inbound("p-1", "+14155550142", channel, "is my order ready"))
		muller := storetest.MustReceive(t, svc, inboxtest.Inbound("p-2", "+4915112345678", channel, "Hallo"))
		noted := storetest.MustReceive(t, svc, inboxtest.Inbound("p-3", "+14155550199", channel, "hi"))
		if _, err := svc.SaveContact(ctx, agent, whitfield.Conversation.ID, inbox.Contact{Name: "Dana Whitfield"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveContact(ctx, agent, muller.Conversation.ID, inbox.Contact{Name: "Jürgen Müller", Notes: "Prefers Thursday deliveries"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddNote(ctx, agent, noted.Conversation.ID, "Escalated to warehouse"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetConversationStatus(ctx, agent, muller.Conversation.ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			search string
			want   []int64
		}{
			{"Whitfield", []int64{whitfield.Conversation.ID}},
			{"whitf", []int64{whitfield.Conversation.ID}},
			{"dana whitfield", []int64{whitfield.Conversation.ID}},
			{"Müller", []int64{muller.Conversation.ID}},
			{"müller", []int64{muller.Conversation.ID}},
			{"muller", []int64{muller.Conversation.ID}},
			{"MÜLLER", []int64{muller.Conversation.ID}},
			{"thursday", []int64{muller.Conversation.ID}},
			{"warehouse", []int64{noted.Conversation.ID}},
			{"555 0142", []int64{whitfield.Conversation.ID}},
			{"+1 (415) 555-0142", []int64{whitfield.Conversation.ID}},
			{"4155550142", []int64{whitfield.Conversation.ID}},
			{"151 1234", []int64{muller.Conversation.ID}},
			{"smith", nil},
		}
		for _, tt := range tests {
			got := searchIDs(t, svc, tt.search)
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("search %q found %v, want %v", tt.search, got, tt.want)
			}
		}
	})
}

// A search counts its matches in every tab, and picks for each match the
// text it matched, with the words marked.
func TestSearchCountsTabsAndExcerpts(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0), Numbers: []inbox.Number{channel}})
		agent := storetest.MustSaveUser(t, s, "ana@example.com", inbox.RoleAgent)
		var ids []int64
		for i, text := range []string{"My refund please", "Where is the refund?", "hello", "refund <b>now</b> & fast"} {
			r := storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("c-%d", i), fmt.Sprintf("+1415555020%d", i), channel, text))
			ids = append(ids, r.Conversation.ID)
		}
		if _, err := svc.AssignConversation(ctx, agent, ids[0], agent.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetConversationStatus(ctx, agent, ids[1], inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddNote(ctx, agent, ids[2], "Customer asked about a Refund by phone"); err != nil {
			t.Fatal(err)
		}
		got, err := svc.CountTabs(ctx, inbox.ConversationQuery{Search: "refund", Me: agent.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := inbox.TabCounts{Search: true, All: 4, Open: 3, Mine: 1, Unassigned: 2, Closed: 1}
		if got != want {
			t.Errorf("CountTabs(refund)=%+v, want %+v", got, want)
		}
		ex, err := svc.SearchExcerpts(ctx, "refund", ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			id     int64
			source inbox.ExcerptSource
			marked string
		}{
			{ids[0], inbox.ExcerptMessage, "refund"},
			{ids[1], inbox.ExcerptMessage, "refund"},
			{ids[2], inbox.ExcerptNote, "Refund"},
			{ids[3], inbox.ExcerptMessage, "refund"},
		} {
			e := ex[tt.id]
			if e.Source != tt.source || len(e.Marks) != 1 || e.Text[e.Marks[0].Start:e.Marks[0].End] != tt.marked {
				t.Errorf("excerpt of %d=%+v, want %s with %q marked", tt.id, e, tt.source, tt.marked)
			}
		}
		if _, err := svc.SaveContact(ctx, agent, ids[3], inbox.Contact{Name: "Zoë Refundo"}); err != nil {
			t.Fatal(err)
		}
		ex, err = svc.SearchExcerpts(ctx, "zoe", ids)
		if err != nil {
			t.Fatal(err)
		}
		if e := ex[ids[3]]; len(e.NameMarks) != 1 || e.NameMarks[0] != (inbox.Span{Start: 0, End: len("Zoë")}) {
			t.Errorf("name marks of a search for zoe=%+v, want Zoë marked", e.NameMarks)
		}
		// Without a search the tabs count unread conversations.
		got, err = svc.CountTabs(ctx, inbox.ConversationQuery{Me: agent.ID})
		if err != nil {
			t.Fatal(err)
		}
		if want := (inbox.TabCounts{Open: 3, Mine: 1, Unassigned: 2}); got != want {
			t.Errorf("CountTabs()=%+v, want %+v", got, want)
		}
	})
}
