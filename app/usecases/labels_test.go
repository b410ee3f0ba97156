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

func TestLabels(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)

		// Admins define labels; agents may not.
		refund, err := svc.SaveLabel(ctx, admin, inbox.Label{Name: "  Refund   due ", Color: "red"})
		if err != nil || refund.ID == 0 || refund.Name != "Refund due" {
			t.Fatalf("save=%+v err=%v, want a new label with its name tidied", refund, err)
		}
		vip, err := svc.SaveLabel(ctx, admin, inbox.Label{Name: "VIP", Color: "amber"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name  string
			actor inbox.User
			l     inbox.Label
			code  string
			field string
		}{
			{"agent", ann, inbox.Label{Name: "Mine", Color: "red"}, inbox.EFORBIDDEN, ""},
			{"no name", admin, inbox.Label{Name: "  ", Color: "red"}, inbox.EINVALID, "name"},
			{"long name", admin, inbox.Label{Name: "abcdefghijklmnopqrstuvwxyz0123456", Color: "red"}, inbox.EINVALID, "name"},
			{"unknown colour", admin, inbox.Label{Name: "Odd", Color: "#ff0000"}, inbox.EINVALID, "color"},
			{"taken name, other case", admin, inbox.Label{Name: "vip", Color: "red"}, inbox.ECONFLICT, "name"},
			{"rename onto another", admin, inbox.Label{ID: refund.ID, Name: "VIP", Color: "red"}, inbox.ECONFLICT, "name"},
			{"no such label", admin, inbox.Label{ID: 9999, Name: "Ghost", Color: "red"}, inbox.ENOTFOUND, ""},
		} {
			_, err := svc.SaveLabel(ctx, tt.actor, tt.l)
			if inbox.ErrorCode(err) != tt.code || inbox.ErrorField(err) != tt.field {
				t.Errorf("%s: err=%v, want %s on %q", tt.name, err, tt.code, tt.field)
			}
		}
		// A label may keep its own name in another case when recoloured.
		if vip, err = svc.SaveLabel(ctx, admin, inbox.Label{ID: vip.ID, Name: "vip", Color: "purple"}); err != nil {
			t.Fatal(err)
		}
		labels, _ := svc.Labels(ctx)
		if len(labels) != 2 || labels[0].Name != "Refund due" || labels[1].Color != "purple" {
			t.Fatalf("labels=%+v, want Refund due and a purple vip, by name", labels)
		}

		// Agents label conversations; the list filters by label.
		convs := storetest.SeedConversations(t, svc, clock, "one", "two", "three")
		published := len(pub.Events())
		for _, step := range []struct {
			conv  int
			label int64
		}{{0, refund.ID}, {2, refund.ID}, {2, vip.ID}} {
			if _, err := svc.SetConversationLabel(ctx, ann, convs[step.conv].ID, step.label, true); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(pub.Events()) - published; n != 3 {
			t.Fatalf("published %d events, want 3", n)
		}
		again, err := svc.SetConversationLabel(ctx, ann, convs[0].ID, refund.ID, true)
		if err != nil || fmt.Sprint(again.LabelIDs) != fmt.Sprint([]int64{refund.ID}) {
			t.Fatalf("labelling again=%v err=%v", again.LabelIDs, err)
		}
		if n := len(pub.Events()) - published; n != 3 {
			t.Fatal("labelling again published an event")
		}
		if got, want := listIDs(t, svc, inbox.ConversationQuery{Filter: inbox.FilterAll, LabelID: refund.ID}), fmt.Sprint([]int64{convs[2].ID, convs[0].ID}); got != want {
			t.Errorf("refund list=%s, want %s", got, want)
		}
		if got, want := listIDs(t, svc, inbox.ConversationQuery{Filter: inbox.FilterOpen, LabelID: vip.ID, Search: "three"}), fmt.Sprint([]int64{convs[2].ID}); got != want {
			t.Errorf("vip search=%s, want %s", got, want)
		}
		page, _ := svc.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll})
		if got := fmt.Sprint(page.Conversations[0].LabelIDs, page.Conversations[1].LabelIDs); got != fmt.Sprint([]int64{refund.ID, vip.ID}, []int64(nil)) {
			t.Errorf("rows' labels=%s", got)
		}
		if _, err := svc.SetConversationLabel(ctx, ann, convs[1].ID, 9999, true); inbox.ErrorField(err) != "label" {
			t.Errorf("unknown label err=%v, want field label", err)
		}
		if _, err := svc.SetConversationLabel(ctx, ann, 9999, vip.ID, true); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("unknown conversation err=%v, want not found", err)
		}
		off, err := svc.SetConversationLabel(ctx, ann, convs[2].ID, refund.ID, false)
		if err != nil || fmt.Sprint(off.LabelIDs) != fmt.Sprint([]int64{vip.ID}) {
			t.Fatalf("after taking refund off=%v err=%v", off.LabelIDs, err)
		}

		// Deleting a label takes it off everything.
		if err := svc.DeleteLabel(ctx, ann, vip.ID); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("agent delete err=%v", err)
		}
		if err := svc.DeleteLabel(ctx, admin, vip.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteLabel(ctx, admin, vip.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("second delete err=%v, want not found", err)
		}
		if c, _ := svc.FindConversation(ctx, convs[2].ID); len(c.LabelIDs) != 0 {
			t.Errorf("labels after delete=%v, want none", c.LabelIDs)
		}
	})
}
