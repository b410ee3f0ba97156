package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestClaimNonces(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		claim := func(nonces ...string) bool {
			t.Helper()
			ok, err := s.ClaimNonces(ctx, nonces, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim("v2:a", "v3:a") {
			t.Fatal("first claim of v2:a, v3:a=false, want true")
		}
		if claim("v2:a") {
			t.Fatal("second claim of v2:a=true, want false")
		}
		// All or none: v3:b is not kept by a claim that failed on v3:a.
		if claim("v3:a", "v3:b") {
			t.Fatal("claim of v3:a, v3:b=true, want false (v3:a is taken)")
		}
		if !claim("v3:b") {
			t.Fatal("claim of v3:b=false, want true: the failed claim kept it")
		}
	})
}

// Thirty claims of one nonce at once: exactly one wins, on either database.
func TestClaimNoncesAtOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		const n = 30
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			won  int
			errs []error
		)
		for range n {
			wg.Go(func() {
				ok, err := s.ClaimNonces(context.Background(), []string{"v2:same", "v3:same"}, time.Now())
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				if ok {
					won++
				}
			})
		}
		wg.Wait()
		if len(errs) > 0 || won != 1 {
			t.Fatalf("claims won=%d errors=%v, want exactly 1 and none", won, errs)
		}
	})
}

func TestDeleteNoncesBefore(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		for i, age := range []time.Duration{31 * 24 * time.Hour, 29 * 24 * time.Hour, time.Minute} {
			if ok, err := s.ClaimNonces(ctx, []string{fmt.Sprint("v2:", i)}, now.Add(-age)); err != nil || !ok {
				t.Fatalf("claim: %v, %v", ok, err)
			}
		}
		n, err := s.DeleteNoncesBefore(ctx, now.Add(-30*24*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("DeleteNoncesBefore=%d, %v, want 1 (only the 31-day-old nonce)", n, err)
		}
		if ok, _ := s.ClaimNonces(ctx, []string{"v2:1"}, now); ok {
			t.Fatal("the 29-day-old nonce was forgotten, want it kept")
		}
		if ok, _ := s.ClaimNonces(ctx, []string{"v2:0"}, now); !ok {
			t.Fatal("the 31-day-old nonce is still claimed, want it trimmed")
		}
	})
}

func TestSignatureVersionSeen(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if seen, err := s.SignatureVersionSeen(ctx, 3); err != nil || seen {
			t.Fatalf("SignatureVersionSeen(3) on a new database=%v, %v, want false", seen, err)
		}
		for range 2 { // idempotent
			if err := s.MarkSignatureVersion(ctx, 3, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if seen, err := s.SignatureVersionSeen(ctx, 3); err != nil || !seen {
			t.Fatalf("SignatureVersionSeen(3)=%v, %v, want true", seen, err)
		}
		if seen, _ := s.SignatureVersionSeen(ctx, 2); seen {
			t.Fatal("SignatureVersionSeen(2)=true, want false")
		}
	})
}
