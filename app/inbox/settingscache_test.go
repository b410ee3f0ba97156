package inbox

import (
	"context"
	"testing"
	"time"
)

func TestRuleCache(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		ttl  time.Duration
		// between runs after the first get and before the second.
		between   func(c *settingsCache[[]KeywordRule])
		wantReads int
	}{
		{name: "no TTL reads every time", ttl: 0, wantReads: 2},
		{name: "within the TTL reads once", ttl: time.Hour, wantReads: 1},
		{name: "an edit empties it", ttl: time.Hour, between: (*settingsCache[[]KeywordRule]).invalidate, wantReads: 2},
		{name: "an expired TTL reads again", ttl: time.Nanosecond, between: func(*settingsCache[[]KeywordRule]) { time.Sleep(time.Millisecond) }, wantReads: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &settingsCache[[]KeywordRule]{ttl: tt.ttl}
			reads := 0
			read := func(context.Context) ([]KeywordRule, error) {
				reads++
				return []KeywordRule{{ID: int64(reads)}}, nil
			}
			if _, err := c.get(ctx, read); err != nil {
				t.Fatal(err)
			}
			if tt.between != nil {
				tt.between(c)
			}
			rules, err := c.get(ctx, read)
			if err != nil {
				t.Fatal(err)
			}
			if reads != tt.wantReads || rules[0].ID != int64(tt.wantReads) {
				t.Errorf("reads=%d, rule %d; want %d reads and the rule of the last", reads, rules[0].ID, tt.wantReads)
			}
		})
	}
}

// An edit committed while a read is under way must not leave that read's
// (possibly older) rules cached.
func TestRuleCacheEditDuringRead(t *testing.T) {
	ctx := context.Background()
	c := &settingsCache[[]KeywordRule]{ttl: time.Hour}
	stale := func(context.Context) ([]KeywordRule, error) {
		c.invalidate() // the edit lands while this read is in flight
		return []KeywordRule{{ID: 1}}, nil
	}
	if _, err := c.get(ctx, stale); err != nil {
		t.Fatal(err)
	}
	reads := 0
	fresh := func(context.Context) ([]KeywordRule, error) {
		reads++
		return []KeywordRule{{ID: 2}}, nil
	}
	rules, err := c.get(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if reads != 1 || rules[0].ID != 2 {
		t.Errorf("reads=%d, rule %d; want the rules read after the edit", reads, rules[0].ID)
	}
}
