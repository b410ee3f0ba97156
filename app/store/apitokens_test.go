package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestAPITokenRows(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		exp := storetest.T0.Add(48 * time.Hour)
		tok := inbox.APIToken{UserID: u.ID, Name: "CRM", Prefix: "parley_abcdef", Scopes: []inbox.Scope{inbox.ScopeRead, inbox.ScopeManage}, CreatedAt: storetest.T0, ExpiresAt: &exp}
		if err := s.InsertAPIToken(ctx, &tok, "hash-1"); err != nil || tok.ID == 0 {
			t.Fatalf("insert: id %d, %v", tok.ID, err)
		}
		got, owner, err := s.FindAPITokenByHash(ctx, "hash-1")
		if err != nil || owner.ID != u.ID || got.Name != "CRM" || len(got.Scopes) != 2 || got.Scopes[1] != inbox.ScopeManage || got.ExpiresAt == nil || !got.ExpiresAt.Equal(exp) {
			t.Fatalf("find: %+v owner %+v, %v", got, owner, err)
		}
		if _, _, err := s.FindAPITokenByHash(ctx, "hash-2"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("unknown hash: %v", err)
		}
		used := storetest.T0.Add(time.Minute)
		if err := s.TouchAPIToken(ctx, tok.ID, used); err != nil {
			t.Fatal(err)
		}
		if changed, err := s.RevokeAPIToken(ctx, tok.ID, used); err != nil || !changed {
			t.Fatalf("revoke: %v %v", changed, err)
		}
		if changed, _ := s.RevokeAPIToken(ctx, tok.ID, used.Add(time.Hour)); changed {
			t.Fatal("revoking twice changed it again")
		}
		got, _ = s.FindAPITokenByID(ctx, tok.ID)
		if got.RevokedAt == nil || !got.RevokedAt.Equal(used) || got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
			t.Fatalf("after touch and revoke: %+v", got)
		}
		if list, _ := s.ListAPITokens(ctx, u.ID+1); len(list) != 0 {
			t.Fatalf("another user's list: %+v", list)
		}
		// The token goes with its owner.
		if err := s.DeleteUser(ctx, u.ID, inbox.Removal{Email: u.Email, RemovedAt: used, RemovedBy: "boss@example.com"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindAPITokenByHash(ctx, "hash-1"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("a removed user's token: %v", err)
		}
	})
}

func TestIdempotencyKeys(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		tok := inbox.APIToken{UserID: u.ID, Name: "CRM", Prefix: "parley_abcdef", Scopes: []inbox.Scope{inbox.ScopeSend}, CreatedAt: storetest.T0}
		if err := s.InsertAPIToken(ctx, &tok, "hash-1"); err != nil {
			t.Fatal(err)
		}
		req := inbox.IdempotentRequest{TokenID: tok.ID, Key: "k", RequestHash: "h1", CreatedAt: storetest.T0}

		// Of 20 concurrent claims, one wins.
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 20 {
			wg.Go(func() {
				_, claimed, err := s.ClaimIdempotencyKey(ctx, req, inbox.IdempotencyTTL)
				if err != nil {
					t.Error(err)
				}
				if claimed {
					mu.Lock()
					won++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if won != 1 {
			t.Fatalf("%d claims won, want 1", won)
		}
		if err := s.FinishIdempotencyKey(ctx, tok.ID, "k", 202, []byte(`{"id":1}`)); err != nil {
			t.Fatal(err)
		}
		held, claimed, err := s.ClaimIdempotencyKey(ctx, req, inbox.IdempotencyTTL)
		if err != nil || claimed || !held.Done || held.Status != 202 || string(held.Body) != `{"id":1}` || held.RequestHash != "h1" {
			t.Fatalf("claim of a done key: %+v %v %v", held, claimed, err)
		}
		// A day later the key is free again.
		later := req
		later.CreatedAt = storetest.T0.Add(inbox.IdempotencyTTL + time.Second)
		if _, claimed, err := s.ClaimIdempotencyKey(ctx, later, inbox.IdempotencyTTL); err != nil || !claimed {
			t.Fatalf("claim after the TTL: %v %v", claimed, err)
		}
		// Released keys may be claimed again; trimmed keys are gone.
		if err := s.ReleaseIdempotencyKey(ctx, tok.ID, "k"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindIdempotencyKey(ctx, tok.ID, "k"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("released key: %v", err)
		}
		for _, k := range []string{"old", "new"} {
			r := req
			r.Key = k
			if k == "new" {
				r.CreatedAt = storetest.T0.Add(2 * time.Hour)
			}
			if _, _, err := s.ClaimIdempotencyKey(ctx, r, inbox.IdempotencyTTL); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteIdempotencyKeysBefore(ctx, storetest.T0.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("trim: %d %v, want 1", n, err)
		}
		if _, err := s.FindIdempotencyKey(ctx, tok.ID, "new"); err != nil {
			t.Fatalf("the newer key was trimmed: %v", err)
		}
	})
}
