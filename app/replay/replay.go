// Package replay keeps a signed webhook from being acted on twice, and
// from being accepted in a weaker form than the account signs with.
// Plivo's nonces are unique per request; a signature proves who sent a
// request, not that it is new. Plivo's V2 signature covers only the URL
// without its query and the nonce, so a captured V2 signature could carry
// any body: every nonce a request carries is claimed, and once the account
// is known to sign with V3, a request signed with V2 alone is refused.
package replay

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// Retention is how long a nonce is remembered: far past Plivo's last
// retry of a callback (about seven minutes after the first try), so a
// captured request cannot be played again within any useful time.
const Retention = 30 * 24 * time.Hour

// Store is the durable memory a Guard decides by: the database, shared by
// every instance and kept across restarts.
type Store interface {
	// ClaimNonces records all of nonces as used at at, or none of them,
	// and reports whether it did: false when any was claimed before. Of
	// two claims of one nonce at once, one wins.
	ClaimNonces(ctx context.Context, nonces []string, at time.Time) (bool, error)
	// MarkSignatureVersion records that a valid request was signed with
	// version. It is idempotent.
	MarkSignatureVersion(ctx context.Context, version int, at time.Time) error
	// SignatureVersionSeen reports whether version was recorded.
	SignatureVersionSeen(ctx context.Context, version int) (bool, error)
}

// Policy says when a request signed with V2 alone is accepted.
type Policy string

// Policies (PLIVO_SIGNATURE).
const (
	// Auto accepts V2 until the account has sent one valid V3-signed
	// request, and refuses V2-only requests from then on.
	Auto Policy = "auto"
	// RequireV3 refuses every V2-only request.
	RequireV3 Policy = "v3"
	// AllowV2 always accepts V2-only requests, whose body and query
	// nobody signed.
	AllowV2 Policy = "v2"
)

// Why a Guard refuses a request.
var (
	// ErrReplayed: a nonce of the request was claimed before.
	ErrReplayed = errors.New("replay: the signature nonce was used before")
	// ErrDowngraded: the request is signed with V2 alone where V3 is
	// required.
	ErrDowngraded = errors.New("replay: signed with V2 alone, and this account signs with V3")
)

// Guard admits each verified webhook once, in the strongest signature the
// account uses. It is safe for concurrent use.
type Guard struct {
	store  Store
	policy Policy
	now    func() time.Time
	// v3Seen caches the database's word once it is true: it never turns
	// false again.
	v3Seen atomic.Bool
}

// NewGuard returns a Guard over store; an empty policy means Auto and a
// nil now time.Now.
func NewGuard(store Store, policy Policy, now func() time.Time) *Guard {
	if policy == "" {
		policy = Auto
	}
	if now == nil {
		now = time.Now
	}
	return &Guard{store: store, policy: policy, now: now}
}

// Check decides on a request whose signature was verified (signedV3 when
// it was V3's), before its work, which claims the nonces in its own
// transaction (inbox.Inbound.Nonces): it records a V3 signature as seen
// and refuses a downgrade.
//
// Errors: ErrDowngraded; the store's errors.
func (g *Guard) Check(ctx context.Context, signedV3 bool) error {
	if signedV3 {
		return g.markV3(ctx)
	}
	return g.allowV2(ctx)
}

// Claim claims every nonce outside the work, for a request that ends
// without its work having claimed them.
//
// Errors: ErrReplayed; the store's errors, with nothing claimed.
func (g *Guard) Claim(ctx context.Context, nonces []string) error {
	claimed, err := g.store.ClaimNonces(ctx, nonces, g.now())
	if err != nil {
		return err
	}
	if !claimed {
		return ErrReplayed
	}
	return nil
}

// RequiresV3 reports whether a V2-only request would be refused now.
// Errors are the store's.
func (g *Guard) RequiresV3(ctx context.Context) (bool, error) {
	switch g.policy {
	case AllowV2:
		return false, nil
	case RequireV3:
		return true, nil
	}
	if g.v3Seen.Load() {
		return true, nil
	}
	seen, err := g.store.SignatureVersionSeen(ctx, 3)
	if err != nil {
		return false, err
	}
	if seen {
		g.v3Seen.Store(true)
	}
	return seen, nil
}

func (g *Guard) allowV2(ctx context.Context) error {
	required, err := g.RequiresV3(ctx)
	if err != nil {
		return err
	}
	if required {
		return ErrDowngraded
	}
	return nil
}

func (g *Guard) markV3(ctx context.Context) error {
	if g.v3Seen.Load() {
		return nil
	}
	if err := g.store.MarkSignatureVersion(ctx, 3, g.now()); err != nil {
		return err
	}
	g.v3Seen.Store(true)
	return nil
}
