package bench

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/app/store"
)

// Verification checks that every MessageUUID answered 2xx is stored
// exactly once: an acknowledged text missing is lost (Plivo will not
// retry it), one stored twice is a duplicate. bench ingest reports it, and
// the fault tests hold Parley to it after a crash or an outage.
type Verification struct {
	Acked      int      `json:"acknowledged"`
	Stored     int      `json:"stored_once"`
	Missing    int      `json:"missing"`
	Duplicated int      `json:"duplicated"`
	Examples   []string `json:"examples,omitempty"` // a few offending MessageUUIDs
}

// OK is true when nothing acknowledged is missing or duplicated.
func (v Verification) OK() bool { return v.Missing == 0 && v.Duplicated == 0 }

// VerifyCounts compares the acknowledged MessageUUIDs with how many rows
// the database holds for each.
func VerifyCounts(acked []string, stored map[string]int) Verification {
	v := Verification{Acked: len(acked)}
	seen := make(map[string]bool, len(acked))
	for _, id := range acked {
		if seen[id] {
			continue // one text answered twice is one text
		}
		seen[id] = true
		switch n := stored[id]; {
		case n == 1:
			v.Stored++
		case n == 0:
			v.Missing++
			v.example(id)
		default:
			v.Duplicated++
			v.example(id)
		}
	}
	return v
}

func (v *Verification) example(id string) {
	if len(v.Examples) < 5 {
		v.Examples = append(v.Examples, id)
	}
}

// VerifyStored counts the acknowledged texts in the database at dsn.
func VerifyStored(ctx context.Context, dsn string, acked []string) (*Verification, error) {
	s, err := store.Open(ctx, dsn, store.Options{MaxOpenConns: 2})
	if err != nil {
		return nil, fmt.Errorf("verification: %w", err)
	}
	defer s.Close()
	stored, err := s.CountMessagesByProviderUUIDs(ctx, acked)
	if err != nil {
		return nil, fmt.Errorf("verification: %w", err)
	}
	v := VerifyCounts(acked, stored)
	return &v, nil
}
