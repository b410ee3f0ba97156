package usecases_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestContacts(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		convs := storetest.SeedConversations(t, svc, clock, "hi", "hello")
		number := convs[0].ContactNumber

		if c, err := svc.FindContact(ctx, number); err != nil || c.Number != number || c.Name != "" {
			t.Fatalf("unknown contact=%+v err=%v, want just the number", c, err)
		}
		published := len(pub.Events())
		saved, err := svc.SaveContact(ctx, ann, convs[0].ID, inbox.Contact{
			Number: "+19999999999", // ignored: the conversation decides
			Name:   " Maria Lopez ", Notes: "Prefers mornings",
			Fields: []inbox.ContactField{{Key: "Order", Value: "A-1234"}, {Key: "Plan", Value: "Gold"}},
		})
		if err != nil || saved.Number != number || saved.Name != "Maria Lopez" {
			t.Fatalf("saved=%+v err=%v", saved, err)
		}
		got, err := svc.FindContact(ctx, number)
		if err != nil || got.Name != "Maria Lopez" || got.Notes != "Prefers mornings" || len(got.Fields) != 2 || got.Fields[1] != (inbox.ContactField{Key: "Plan", Value: "Gold"}) || got.UpdatedBy != ann.ID {
			t.Fatalf("found=%+v err=%v", got, err)
		}
		events := pub.Events()[published:]
		if len(events) != 1 || events[0].Kind != inbox.EventContactUpdated || events[0].ConversationID != convs[0].ID {
			t.Fatalf("events=%+v, want one contact.updated", events)
		}

		// Saving the same again changes nothing.
		if _, err := svc.SaveContact(ctx, ann, convs[0].ID, got); err != nil {
			t.Fatal(err)
		}
		if n := len(pub.Events()) - published; n != 1 {
			t.Fatalf("saving the same contact again published %d more", n-1)
		}
		// Changing it replaces the fields.
		if _, err := svc.SaveContact(ctx, ann, convs[0].ID, inbox.Contact{Name: "Maria L.", Fields: []inbox.ContactField{{Key: "Plan", Value: "Silver"}}}); err != nil {
			t.Fatal(err)
		}
		if got, _ = svc.FindContact(ctx, number); got.Name != "Maria L." || len(got.Fields) != 1 || got.Notes != "" {
			t.Fatalf("after change=%+v", got)
		}

		names, err := svc.ContactNames(ctx, []inbox.Number{convs[0].ContactNumber, convs[1].ContactNumber})
		if err != nil || len(names) != 1 || names[number] != "Maria L." {
			t.Fatalf("names=%v err=%v", names, err)
		}
		if _, err := svc.SaveContact(ctx, ann, convs[1].ID, inbox.Contact{Fields: []inbox.ContactField{{Value: "x"}}}); inbox.ErrorField(err) != "fields" {
			t.Errorf("bad fields err=%v", err)
		}
		if _, err := svc.SaveContact(ctx, ann, 9999, inbox.Contact{Name: "x"}); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("no conversation err=%v", err)
		}
		if names, _ := svc.ContactNames(ctx, []inbox.Number{convs[1].ContactNumber}); len(names) != 0 {
			t.Errorf("refused saves stored %v", names)
		}
	})
}
