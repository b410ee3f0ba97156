package views

import (
	"testing"
	"time"
)

func TestWhenOrNever(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(-10 * time.Second), "just now"},
		{now.Add(-5 * time.Minute), "5m ago"},
		{now.Add(-3 * 24 * time.Hour), "3d ago"},
		{now.Add(-30 * 24 * time.Hour), "Nov 7"},
	}
	for _, tt := range tests {
		if got := whenOrNever(now, tt.at); got != tt.want {
			t.Errorf("whenOrNever(%v)=%q, want %q", tt.at, got, tt.want)
		}
	}
}
