package inbox

import (
	"context"
	"errors"
	"time"
)

// IdempotencyTTL is how long the answer to an Idempotency-Key is kept;
// the same key after that is a new request.
const IdempotencyTTL = 24 * time.Hour

// MaxIdempotencyKey bounds a key's length.
const MaxIdempotencyKey = 255

// IdempotentRequest is one request made with an Idempotency-Key, and,
// once it is done, its answer.
type IdempotentRequest struct {
	TokenID int64
	Key     string
	// RequestHash identifies the request (method, path and body), so the
	// same key on a different request is refused.
	RequestHash string
	Done        bool
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyStore keeps idempotent requests, one per token and key.
type IdempotencyStore interface {
	// ClaimIdempotencyKey stores r unless the token already has the key
	// (newer than IdempotencyTTL, or else it is replaced); it reports
	// whether r was stored and, when not, returns the request that holds
	// the key.
	ClaimIdempotencyKey(ctx context.Context, r IdempotentRequest, ttl time.Duration) (IdempotentRequest, bool, error)
	// FindIdempotencyKey returns the request holding a token's key.
	FindIdempotencyKey(ctx context.Context, tokenID int64, key string) (IdempotentRequest, error)
	// FinishIdempotencyKey stores the answer of the request holding a key.
	FinishIdempotencyKey(ctx context.Context, tokenID int64, key string, status int, body []byte) error
	// ReleaseIdempotencyKey forgets a key whose request did nothing, so
	// it may be tried again.
	ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error
}

// ClaimIdempotencyKey starts a request made with an Idempotency-Key. It
// returns true when this request holds the key and must do the work
// (then FinishIdempotencyKey or ReleaseIdempotencyKey); otherwise the
// request that holds it, done or still at work.
//
// Errors: EINVALID (field "Idempotency-Key") for a key over
// MaxIdempotencyKey; EUNPROCESSABLE when the key was used for a different
// request; EUNAVAILABLE.
func (s *Service) ClaimIdempotencyKey(ctx context.Context, tokenID int64, key, requestHash string) (IdempotentRequest, bool, error) {
	if len(key) > MaxIdempotencyKey {
		return IdempotentRequest{}, false, FieldError("Idempotency-Key", "a key has at most %d characters", MaxIdempotencyKey)
	}
	r := IdempotentRequest{TokenID: tokenID, Key: key, RequestHash: requestHash, CreatedAt: s.now()}
	held, claimed, err := s.tokens.ClaimIdempotencyKey(ctx, r, IdempotencyTTL)
	if err != nil {
		return IdempotentRequest{}, false, unavailable(err)
	}
	if claimed {
		return r, true, nil
	}
	if held.RequestHash != requestHash {
		return IdempotentRequest{}, false, ErrKeyReused
	}
	return held, false, nil
}

// ErrKeyReused is the error of an Idempotency-Key sent again with a
// different request.
var ErrKeyReused = &Error{Code: EUNPROCESSABLE, Field: "Idempotency-Key", Message: "this key was used for a different request; use a new key"}

// EUNPROCESSABLE is the code of a request that is well formed but cannot
// be done as asked (an Idempotency-Key reused for another request).
const EUNPROCESSABLE = "unprocessable"

// IdempotentResult returns the request holding a key, to wait for it.
//
// Errors: ENOTFOUND when the key was released; EUNAVAILABLE.
func (s *Service) IdempotentResult(ctx context.Context, tokenID int64, key string) (IdempotentRequest, error) {
	r, err := s.tokens.FindIdempotencyKey(ctx, tokenID, key)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return IdempotentRequest{}, unavailable(err)
	}
	return r, err
}

// FinishIdempotencyKey records the answer of the request holding a key.
// Errors: EUNAVAILABLE.
func (s *Service) FinishIdempotencyKey(ctx context.Context, tokenID int64, key string, status int, body []byte) error {
	if err := s.tokens.FinishIdempotencyKey(ctx, tokenID, key, status, body); err != nil {
		return unavailable(err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a key whose request changed nothing (it
// was refused for the moment: rate limited, or the database was down),
// so a retry with the same key does the work. Errors: EUNAVAILABLE.
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	if err := s.tokens.ReleaseIdempotencyKey(ctx, tokenID, key); err != nil {
		return unavailable(err)
	}
	return nil
}
