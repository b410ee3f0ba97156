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

func TestAuditLogRecordsWhoDidWhat(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		convs := storetest.SeedConversations(t, svc, clock, "hello")

		if _, _, err := svc.StartSession(ctx, admin); err != nil {
			t.Fatal(err)
		}
		ann, err := svc.InviteUser(ctx, admin, "ann@example.com", inbox.RoleAgent)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetUserRole(ctx, admin, ann.ID, inbox.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		rule, err := svc.SaveKeywordRule(ctx, admin, inbox.KeywordRule{Keywords: []string{"price"}, Reply: "See our website.", Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.MoveKeywordRule(ctx, admin, rule.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteKeywordRule(ctx, admin, rule.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetConsentByAgent(ctx, admin, convs[0].ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.OptInByHand(ctx, admin, convs[0].ID, "asked by phone"); err != nil {
			t.Fatal(err)
		}
		label, err := svc.SaveLabel(ctx, admin, inbox.Label{Name: "VIP", Color: "amber"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteLabel(ctx, admin, label.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.RemoveUser(ctx, admin, ann.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.RecordAudit(ctx, admin, inbox.AuditExport, "conversations.csv", "March"); err != nil {
			t.Fatal(err)
		}
		if err := svc.RecordAudit(ctx, admin, "", "x", ""); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Fatalf("empty action err=%v", err)
		}
		// Refusals record nothing.
		if _, err := svc.SaveKeywordRule(ctx, ann, inbox.KeywordRule{Keywords: []string{"x"}, Reply: "y"}); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("agent rule err=%v", err)
		}

		entries, next, err := svc.AuditLog(ctx, admin, 0)
		if err != nil || next != 0 {
			t.Fatalf("audit log next=%d err=%v", next, err)
		}
		var got []string
		for _, e := range entries {
			if e.ActorID != admin.ID || e.ActorEmail != "admin@example.com" || !e.At.Equal(clock.Now().UTC().Truncate(1000)) {
				t.Errorf("entry %+v: want the admin, now", e)
			}
			got = append(got, fmt.Sprintf("%s %s %s", e.Action, e.Subject, e.Detail))
		}
		want := []string{
			"export conversations.csv March",
			"user_removed ann@example.com admin",
			"label_deleted VIP ",
			"label_saved VIP amber",
			"opt_in_by_agent " + string(convs[0].ContactNumber) + " to " + channel + ": asked by phone",
			"opt_out_by_agent " + string(convs[0].ContactNumber) + " to " + channel,
			"keyword_rule_deleted PRICE ",
			"keyword_rule_moved PRICE up",
			"keyword_rule_saved PRICE See our website.",
			"role_changed ann@example.com agent → admin",
			"user_invited ann@example.com agent",
			"sign_in admin@example.com ",
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("audit log:\n got %q\nwant %q", got, want)
		}
		if _, _, err := svc.AuditLog(ctx, inbox.User{ID: 5, Role: inbox.RoleAgent}, 0); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("agent reads audit log err=%v", err)
		}
	})
}

func TestAuditLogPages(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		for range inbox.AuditPageSize + 3 {
			if _, _, err := svc.StartSession(ctx, admin); err != nil {
				t.Fatal(err)
			}
		}
		first, next, err := svc.AuditLog(ctx, admin, 0)
		if err != nil || len(first) != inbox.AuditPageSize || next == 0 {
			t.Fatalf("first page=%d next=%d err=%v", len(first), next, err)
		}
		second, next2, err := svc.AuditLog(ctx, admin, next)
		if err != nil || len(second) != 3 || next2 != 0 || second[0].ID >= first[len(first)-1].ID {
			t.Fatalf("second page=%d next=%d err=%v", len(second), next2, err)
		}
	})
}

// Canned replies, blocks and assignments are team work an admin may need to
// account for: each change is one entry, and a change to nothing is none.
func TestAuditLogRecordsTeamWork(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		conv := storetest.SeedConversations(t, svc, clock, "hello")[0]
		contact := string(conv.ContactNumber)

		reply, err := svc.SaveCannedReply(ctx, admin, inbox.CannedReply{Name: "thanks", Body: "Thanks!"})
		if err != nil {
			t.Fatal(err)
		}
		reply.Body = "Thanks {{first_name}}!"
		if _, err := svc.SaveCannedReply(ctx, admin, reply); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteCannedReply(ctx, admin, reply.ID); err != nil {
			t.Fatal(err)
		}
		for _, st := range []inbox.ConversationStatus{inbox.ConversationBlocked, inbox.ConversationBlocked, inbox.ConversationOpen, inbox.ConversationClosed} {
			if _, err := svc.SetConversationStatus(ctx, admin, conv.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		for _, to := range []int64{ann.ID, ann.ID, 0} {
			if _, err := svc.AssignConversation(ctx, admin, conv.ID, to); err != nil {
				t.Fatal(err)
			}
		}

		entries, _, err := svc.AuditLog(ctx, admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if e.ActorID != admin.ID {
				t.Errorf("entry %+v: want the admin as actor", e)
			}
			got = append(got, fmt.Sprintf("%s %s %s", e.Action, e.Subject, e.Detail))
		}
		want := []string{
			"conversation_assigned " + contact + " to nobody",
			"conversation_assigned " + contact + " to ann@example.com",
			"contact_unblocked " + contact + " on " + channel,
			"contact_blocked " + contact + " on " + channel,
			"canned_reply_deleted /thanks ",
			"canned_reply_edited /thanks Thanks {{first_name}}!",
			"canned_reply_created /thanks Thanks!",
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("audit log:\n got %q\nwant %q", got, want)
		}
	})
}
