package replay_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parleyhq/parley/app/replay"
)

// countingStore counts how often the guard asks whether V3 was seen.
type countingStore struct {
	*replay.Memory
	reads int
}

func (s *countingStore) SignatureVersionSeen(ctx context.Context, v int) (bool, error) {
	s.reads++
	return s.Memory.SignatureVersionSeen(ctx, v)
}

func TestGuardPolicies(t *testing.T) {
	type step struct {
		v3     bool
		nonce  string
		reason error
	}
	tests := []struct {
		policy replay.Policy
		steps  []step
	}{
		{replay.Auto, []step{
			{false, "v2:1", nil},                  // V2 before any V3: the account may sign with V2 only
			{true, "v3:2", nil},                   // the first V3
			{false, "v2:3", replay.ErrDowngraded}, // V2 alone after V3
			{true, "v3:2", replay.ErrReplayed},
		}},
		{replay.RequireV3, []step{
			{false, "v2:1", replay.ErrDowngraded},
			{true, "v3:2", nil},
		}},
		{replay.AllowV2, []step{
			{true, "v3:1", nil},
			{false, "v2:2", nil},
			{false, "v2:2", replay.ErrReplayed},
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			g := replay.NewGuard(replay.NewMemory(), tt.policy, nil)
			for i, s := range tt.steps {
				if err := admit(context.Background(), g, s.v3, s.nonce); !errors.Is(err, s.reason) || (s.reason == nil && err != nil) {
					t.Fatalf("step %d (v3=%v %s): Check and Claim=%v, want %v", i, s.v3, s.nonce, err, s.reason)
				}
			}
		})
	}
}

// admit is a request's way through the guard: Check, then Claim.
func admit(ctx context.Context, g *replay.Guard, signedV3 bool, nonces ...string) error {
	if err := g.Check(ctx, signedV3); err != nil {
		return err
	}
	return g.Claim(ctx, nonces)
}

// A refused replay keeps the first claim, whichever of a dual-signed
// request's nonces comes again.
func TestGuardClaimsAllNoncesOrNone(t *testing.T) {
	ctx := context.Background()
	g := replay.NewGuard(replay.NewMemory(), replay.AllowV2, nil)
	if err := admit(ctx, g, true, "v2:a", "v3:a"); err != nil {
		t.Fatal(err)
	}
	if err := admit(ctx, g, false, "v2:a"); !errors.Is(err, replay.ErrReplayed) {
		t.Fatalf("V2 nonce of a dual-signed request again: %v, want ErrReplayed", err)
	}
	if err := admit(ctx, g, true, "v3:a", "v3:b"); !errors.Is(err, replay.ErrReplayed) {
		t.Fatalf("V3 nonce again beside a new one: %v, want ErrReplayed", err)
	}
	if err := admit(ctx, g, true, "v3:b"); err != nil {
		t.Fatalf("v3:b after a claim refused on v3:a: %v, want it claimed (all or none)", err)
	}
}

// Another instance's first V3 is read from the store; once seen it is
// cached, and the store is not asked again.
func TestGuardCachesV3Seen(t *testing.T) {
	ctx := context.Background()
	shared := &countingStore{Memory: replay.NewMemory()}
	other := replay.NewGuard(shared, replay.Auto, nil)
	g := replay.NewGuard(shared, replay.Auto, nil)
	if err := admit(ctx, g, false, "v2:1"); err != nil {
		t.Fatal(err)
	}
	if err := admit(ctx, other, true, "v3:2"); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := admit(ctx, g, false, "v2:x"+string(rune('a'+i))); !errors.Is(err, replay.ErrDowngraded) {
			t.Fatalf("V2 after another instance saw V3: %v, want ErrDowngraded", err)
		}
	}
	if shared.reads != 2 {
		t.Fatalf("store asked %d times, want 2 (before V3, and the first time after)", shared.reads)
	}
}
