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

// A removed person stays out: an allowed domain no longer admits them, and
// only an admin's invitation lets them in again.
func TestRemovedUserStaysOutUntilInvited(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newUserService(s, inboxtest.NewClock(t0))
		boss, err := svc.SignIn(ctx, identity("boss@example.com", true))
		if err != nil {
			t.Fatal(err)
		}
		ana, err := svc.SignIn(ctx, identity("ana@team.example.com", true))
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.RemoveUser(ctx, boss, ana.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.SignIn(ctx, identity("Ana@Team.example.com", true))
		if inbox.ErrorCode(err) != inbox.ENOTINVITED || !strings.Contains(inbox.ErrorMessage(err), "access was removed") {
			t.Fatalf("removed user signs in again: err=%v, want %s saying their access was removed", err, inbox.ENOTINVITED)
		}
		if _, err := svc.InviteUser(ctx, boss, "ana@team.example.com", inbox.RoleAgent); err != nil {
			t.Fatal(err)
		}
		u, err := svc.SignIn(ctx, identity("ana@team.example.com", true))
		if err != nil || u.Role != inbox.RoleAgent {
			t.Fatalf("invited again: SignIn=%+v, %v; want an agent", u, err)
		}
		// The invitation cleared the removal: removing and re-inviting
		// works again, and the tombstone is one row per address.
		if err := svc.RemoveUser(ctx, boss, u.ID); err != nil {
			t.Fatal(err)
		}
		r, err := s.FindRemoval(ctx, "ana@team.example.com")
		if err != nil || r.RemovedBy != "boss@example.com" || !r.RemovedAt.Equal(t0) {
			t.Fatalf("FindRemoval=%+v, %v; want removed by boss at %v", r, err, t0)
		}
	})
}

// ADMIN_EMAILS is the operator's word and admits its addresses whatever
// happens in the app, so removing one of them would not stick: it is
// refused, with words that say what to do instead.
func TestBootstrapAdminIsNotRemovable(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newUserService(s, inboxtest.NewClock(t0))
		boss, err := svc.SignIn(ctx, identity("boss@example.com", true))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.InviteUser(ctx, boss, "zoe@outside.org", inbox.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		zoe, err := svc.SignIn(ctx, identity("zoe@outside.org", true))
		if err != nil {
			t.Fatal(err)
		}
		err = svc.RemoveUser(ctx, zoe, boss.ID)
		if inbox.ErrorCode(err) != inbox.ECONFLICT || !strings.Contains(inbox.ErrorMessage(err), "ADMIN_EMAILS") {
			t.Fatalf("removing a bootstrap admin: err=%v, want %s naming ADMIN_EMAILS", err, inbox.ECONFLICT)
		}
		if _, err := s.FindUserByID(ctx, boss.ID); err != nil {
			t.Fatalf("bootstrap admin gone after a refused removal: %v", err)
		}
	})
}

// Removal, sign-out and a role change tell every instance to end the
// person's live streams; the event carries whose.
func TestSessionChangesPublishSessionsEnded(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{
			Store: s, Users: s, Clock: inboxtest.NewClock(t0), Publisher: pub,
			Access: inbox.AccessPolicy{AdminEmails: []string{"boss@example.com"}, AllowedDomains: []string{"team.example.com"}},
		})
		boss, _ := svc.SignIn(ctx, identity("boss@example.com", true))
		ana, err := svc.SignIn(ctx, identity("ana@team.example.com", true))
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := svc.StartSession(ctx, ana)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name    string
			do      func() error
			session string // the one session whose streams end; empty for all
		}{
			{"sign-out", func() error { return svc.EndSession(ctx, token) }, inbox.SessionID(token)},
			{"role change", func() error { _, err := svc.SetUserRole(ctx, boss, ana.ID, inbox.RoleAdmin); return err }, ""},
			{"removal", func() error { return svc.RemoveUser(ctx, boss, ana.ID) }, ""},
		}
		for _, st := range steps {
			before := len(pub.Events())
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			got := pub.Events()[before:]
			if len(got) != 1 || got[0].Kind != inbox.EventSessionsEnded || got[0].UserID != ana.ID || got[0].SessionID != st.session {
				t.Errorf("%s published %+v, want one %s for user %d, session %q", st.name, got, inbox.EventSessionsEnded, ana.ID, st.session)
			}
		}
	})
}
