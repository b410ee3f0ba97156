package usecases_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func listIDs(t *testing.T, svc *inbox.Service, q inbox.ConversationQuery) string {
	t.Helper()
	p, err := svc.ListConversations(context.Background(), q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	var ids []int64
	for _, c := range p.Conversations {
		ids = append(ids, c.ID)
	}
	return fmt.Sprint(ids)
}

func TestAssignmentAndItsFilters(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		bob := storetest.MustSaveUser(t, s, "bob@example.com", inbox.RoleAgent)
		convs := storetest.SeedConversations(t, svc, clock, "one", "two", "three", "four")
		published := len(pub.Events())

		// Ann takes one, Bob takes two; one stays unassigned; one is closed.
		for _, step := range []struct {
			actor inbox.User
			conv  int
			to    int64
		}{{ann, 0, ann.ID}, {bob, 1, bob.ID}, {bob, 3, bob.ID}} {
			got, err := svc.AssignConversation(ctx, step.actor, convs[step.conv].ID, step.to)
			if err != nil || got.AssigneeID != step.to {
				t.Fatalf("assign %d to %d: assignee=%d err=%v", step.conv, step.to, got.AssigneeID, err)
			}
		}
		if _, err := svc.SetConversationStatus(ctx, bob, convs[3].ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		events := pub.Events()[published:]
		if len(events) != 4 || events[0].Kind != inbox.EventConversationAssigned || events[0].ConversationID != convs[0].ID {
			t.Fatalf("published %+v, want three assignments and a status change", events)
		}
		logged, err := s.EventsAfter(ctx, events[0].ID-1, 10)
		if err != nil || len(logged) == 0 || logged[0].Kind != inbox.EventConversationAssigned {
			t.Fatalf("event log=%+v err=%v, want the assignment logged", logged, err)
		}

		tests := []struct {
			name string
			q    inbox.ConversationQuery
			want []int64
		}{
			{"ann's", inbox.ConversationQuery{Filter: inbox.FilterMine, Me: ann.ID}, []int64{convs[0].ID}},
			{"bob's leave out the closed one", inbox.ConversationQuery{Filter: inbox.FilterMine, Me: bob.ID}, []int64{convs[1].ID}},
			{"admin has none", inbox.ConversationQuery{Filter: inbox.FilterMine, Me: admin.ID}, nil},
			{"unassigned", inbox.ConversationQuery{Filter: inbox.FilterUnassigned}, []int64{convs[2].ID}},
			{"mine with search", inbox.ConversationQuery{Filter: inbox.FilterMine, Me: bob.ID, Search: "two"}, []int64{convs[1].ID}},
			{"mine with a search that misses", inbox.ConversationQuery{Filter: inbox.FilterMine, Me: bob.ID, Search: "one"}, nil},
		}
		for _, tt := range tests {
			if got := listIDs(t, svc, tt.q); got != fmt.Sprint(tt.want) {
				t.Errorf("%s: ids=%s, want %v", tt.name, got, tt.want)
			}
		}

		// Permission checks change nothing when they refuse.
		refusals := []struct {
			name  string
			actor inbox.User
			conv  int64
			to    int64
			code  string
		}{
			{"agent takes another's", ann, convs[1].ID, ann.ID, inbox.EFORBIDDEN},
			{"agent unassigns another's", ann, convs[1].ID, 0, inbox.EFORBIDDEN},
			{"unknown assignee", admin, convs[2].ID, 9999, inbox.EINVALID},
			{"negative assignee", admin, convs[2].ID, -1, inbox.EINVALID},
			{"unknown conversation", admin, 9999, ann.ID, inbox.ENOTFOUND},
		}
		for _, tt := range refusals {
			before := len(pub.Events())
			if _, err := svc.AssignConversation(ctx, tt.actor, tt.conv, tt.to); inbox.ErrorCode(err) != tt.code {
				t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
			}
			if len(pub.Events()) != before {
				t.Errorf("%s: a refusal published an event", tt.name)
			}
		}
		if c, _ := svc.FindConversation(ctx, convs[1].ID); c.AssigneeID != bob.ID {
			t.Fatalf("after refusals conversation assignee=%d, want bob %d", c.AssigneeID, bob.ID)
		}

		// Assigning again is idempotent: nothing published.
		before := len(pub.Events())
		if _, err := svc.AssignConversation(ctx, bob, convs[1].ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		if len(pub.Events()) != before {
			t.Fatal("assigning the current assignee again published an event")
		}

		// An admin reassigns; the owner unassigns; the list follows.
		if _, err := svc.AssignConversation(ctx, admin, convs[1].ID, ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AssignConversation(ctx, ann, convs[0].ID, 0); err != nil {
			t.Fatal(err)
		}
		if got, want := listIDs(t, svc, inbox.ConversationQuery{Filter: inbox.FilterMine, Me: ann.ID}), fmt.Sprint([]int64{convs[1].ID}); got != want {
			t.Errorf("ann's after changes=%s, want %s", got, want)
		}
		if got, want := listIDs(t, svc, inbox.ConversationQuery{Filter: inbox.FilterUnassigned}), fmt.Sprint([]int64{convs[2].ID, convs[0].ID}); got != want {
			t.Errorf("unassigned after changes=%s, want %s", got, want)
		}

		// Removing a person leaves their conversations unassigned.
		if err := svc.RemoveUser(ctx, admin, ann.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := svc.FindConversation(ctx, convs[1].ID); c.AssigneeID != 0 {
			t.Fatalf("removed user's conversation assignee=%d, want 0", c.AssigneeID)
		}
	})
}
