package inbox_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

func TestSendPaceByKindAndNumber(t *testing.T) {
	pace := inbox.DefaultSendPace()
	pace.Rates = map[inbox.Number]float64{"+14155550123": 0.25, "+14155550124": 0}
	tests := []struct {
		n        inbox.Number
		kind     inbox.NumberKind
		rate     float64
		interval time.Duration
		burst    int
	}{
		{"+14155550199", inbox.KindLongCode, 1, time.Second, 1},
		{"+18005550100", inbox.KindTollFree, 25, 40 * time.Millisecond, 25},
		{"+18885550100", inbox.KindTollFree, 25, 40 * time.Millisecond, 25},
		{"12345", inbox.KindShortCode, 100, 10 * time.Millisecond, 100},
		{"+447911123456", inbox.KindLongCode, 1, time.Second, 1},
		{"+14155550123", inbox.KindLongCode, 0.25, 4 * time.Second, 1},
		{"+14155550124", inbox.KindLongCode, 0, 0, 1},
	}
	for _, tt := range tests {
		if k := inbox.KindOf(tt.n); k != tt.kind {
			t.Errorf("KindOf(%s)=%q, want %q", tt.n, k, tt.kind)
		}
		if r, iv, b := pace.Rate(tt.n), pace.Interval(tt.n), pace.Burst(tt.n); r != tt.rate || iv != tt.interval || b != tt.burst {
			t.Errorf("%s: rate=%v interval=%v burst=%d, want %v %v %d", tt.n, r, iv, b, tt.rate, tt.interval, tt.burst)
		}
	}
	if r := (inbox.SendPace{}).Rate("+14155550199"); r != 0 {
		t.Errorf("zero SendPace rate=%v, want 0 (not paced)", r)
	}
}
