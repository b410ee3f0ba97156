package usecases_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func newUserService(s *store.Store, clock *inboxtest.Clock) *inbox.Service {
	return inbox.NewService(inbox.Options{
		Store: s, Users: s, Clock: clock,
		Access: inbox.AccessPolicy{AdminEmails: []string{"Boss@Example.com"}, AllowedDomains: []string{"team.example.com"}},
	})
}

func identity(email string, verified bool) inbox.Identity {
	return inbox.Identity{Provider: "github", ProviderUserID: "42", Email: email, EmailVerified: verified, Name: "Someone"}
}

func TestSignInWhoMayEnter(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newUserService(s, inboxtest.NewClock(t0))
		tests := []struct {
			email    string
			verified bool
			wantCode string
			wantRole inbox.Role
		}{
			{"boss@example.com", true, "", inbox.RoleAdmin},
			{"BOSS@example.com", true, "", inbox.RoleAdmin},
			{"ana@team.example.com", true, "", inbox.RoleAgent},
			{"ana@team.example.com", false, inbox.EFORBIDDEN, ""},
			{"eve@elsewhere.com", true, inbox.ENOTINVITED, ""},
			{"eve@sub.team.example.com", true, inbox.ENOTINVITED, ""},
			{"", true, inbox.EFORBIDDEN, ""},
		}
		for _, tt := range tests {
			u, err := svc.SignIn(ctx, identity(tt.email, tt.verified))
			if inbox.ErrorCode(err) != tt.wantCode || u.Role != tt.wantRole {
				t.Errorf("SignIn(%q verified=%v)=%s, %v; want role %q code %q", tt.email, tt.verified, u.Role, err, tt.wantRole, tt.wantCode)
			}
		}
		users, err := svc.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 2 || users[0].Email != "boss@example.com" || users[0].LastSeenAt == nil {
			t.Fatalf("users=%+v, want boss and ana, boss first with last seen set", users)
		}
	})
}

func TestInvitedUserSignsInWithTheirRole(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newUserService(s, inboxtest.NewClock(t0))
		boss, err := svc.SignIn(ctx, identity("boss@example.com", true))
		if err != nil {
			t.Fatal(err)
		}
		agent := inbox.User{ID: 999, Role: inbox.RoleAgent}
		if _, err := svc.InviteUser(ctx, agent, "x@y.com", inbox.RoleAgent); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("agent invites: err=%v, want forbidden", err)
		}
		if _, err := svc.InviteUser(ctx, boss, "not an address", inbox.RoleAgent); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Fatalf("bad address: err=%v, want invalid", err)
		}
		if _, err := svc.InviteUser(ctx, boss, "Zoe@Outside.org", inbox.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		u, err := svc.SignIn(ctx, identity("zoe@outside.org", true))
		if err != nil || u.Role != inbox.RoleAdmin || u.Name != "Someone" {
			t.Fatalf("invited sign-in=%+v, %v; want admin with the provider's name", u, err)
		}
	})
}

func TestSessionsAreRevocable(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := newUserService(s, clock)
		boss, _ := svc.SignIn(ctx, identity("boss@example.com", true))
		ana, err := svc.SignIn(ctx, identity("ana@team.example.com", true))
		if err != nil {
			t.Fatal(err)
		}
		ana.Role = inbox.RoleAgent
		if _, err := svc.SetUserRole(ctx, boss, ana.ID, inbox.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		token, _, err := svc.StartSession(ctx, ana)
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := svc.Authenticate(ctx, token)
		if err != nil || u.ID != ana.ID || u.Role != inbox.RoleAdmin {
			t.Fatalf("Authenticate=%+v, %v; want ana as admin", u, err)
		}
		// Demotion takes effect on the next request.
		if _, err := svc.SetUserRole(ctx, boss, ana.ID, inbox.RoleAgent); err != nil {
			t.Fatal(err)
		}
		if u, _, _ := svc.Authenticate(ctx, token); u.Role != inbox.RoleAgent {
			t.Fatalf("after demotion role=%s, want agent", u.Role)
		}
		// Signing out ends the session; doing it twice is fine.
		if err := svc.EndSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := svc.EndSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Fatalf("after sign-out err=%v, want unauthorized", err)
		}
		// Removing a user ends every session of theirs.
		token, _, _ = svc.StartSession(ctx, ana)
		if err := svc.RemoveUser(ctx, boss, ana.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Fatalf("after removal err=%v, want unauthorized", err)
		}
		// Sessions expire.
		token, _, _ = svc.StartSession(ctx, boss)
		clock.Advance(inbox.SessionLifetime + time.Second)
		if _, _, err := svc.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Fatalf("after expiry err=%v, want unauthorized", err)
		}
	})
}

func TestLastAdminIsKept(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newUserService(s, inboxtest.NewClock(t0))
		boss, _ := svc.SignIn(ctx, identity("boss@example.com", true))
		if _, err := svc.SetUserRole(ctx, boss, boss.ID, inbox.RoleAgent); inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("demoting the last admin: err=%v, want conflict", err)
		}
		if err := svc.RemoveUser(ctx, boss, boss.ID); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("removing oneself: err=%v, want forbidden", err)
		}
		if err := svc.RemoveUser(ctx, boss, 12345); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("removing nobody: err=%v, want not found", err)
		}
	})
}
