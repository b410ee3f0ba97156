package usecases_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// Opting a contact back in by hand overrides their STOP: only an admin
// may, only with a reason, and the reason is kept in the consent history
// and the audit log. A refusal changes nothing.
func TestOptInByHandIsAdminOnlyWithAReason(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		agent := storetest.MustSaveUser(t, s, "agent@example.com", inbox.RoleAgent)
		conv := storetest.SeedConversations(t, svc, clock, "hello")[0]
		if _, err := svc.SetConsentByAgent(ctx, agent, conv.ID, true); err != nil {
			t.Fatal(err)
		}
		const reason = "Called on 3 May and asked to hear from us again"
		tests := []struct {
			name   string
			actor  inbox.User
			reason string
			code   string
			field  string
		}{
			{"agent", agent, reason, inbox.EFORBIDDEN, ""},
			{"admin without a reason", admin, "  \n ", inbox.EINVALID, "reason"},
			{"through SetConsentByAgent", admin, "", inbox.EINVALID, "reason"},
		}
		for _, tt := range tests {
			var err error
			if tt.name == "through SetConsentByAgent" {
				_, err = svc.SetConsentByAgent(ctx, tt.actor, conv.ID, false)
			} else {
				_, err = svc.OptInByHand(ctx, tt.actor, conv.ID, tt.reason)
			}
			if inbox.ErrorCode(err) != tt.code || inbox.ErrorField(err) != tt.field {
				t.Errorf("%s: err=%v, want %s on field %q", tt.name, err, tt.code, tt.field)
			}
			if got, _ := svc.FindConversation(ctx, conv.ID); !got.OptedOut() {
				t.Fatalf("%s: contact opted back in by a refused request", tt.name)
			}
		}

		got, err := svc.OptInByHand(ctx, admin, conv.ID, "  "+reason+" ")
		if err != nil || got.OptedOut() {
			t.Fatalf("admin OptInByHand=%+v, %v; want opted in", got, err)
		}
		history, err := s.ConsentHistory(ctx, conv.ContactNumber, conv.ChannelNumber)
		if err != nil {
			t.Fatal(err)
		}
		e := history[0]
		if e.Kind != inbox.ConsentOptIn || e.Source != "manual" || e.ActorID != admin.ID || e.Reason != reason {
			t.Errorf("consent event=%+v, want opt_in, source manual, by the admin, with the reason", e)
		}
		entries, _, err := svc.AuditLog(ctx, admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		if a := entries[0]; a.Action != inbox.AuditOptInByAgent || a.ActorID != admin.ID || !strings.Contains(a.Detail, reason) {
			t.Errorf("audit entry=%+v, want the admin's opt-in with the reason", a)
		}
	})
}
