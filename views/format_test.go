package views_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/views"
)

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 3, 12, 15, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now, "now"},
		{now.Add(2 * time.Minute), "now"},
		{now.Add(-59 * time.Second), "now"},
		{now.Add(-time.Minute), "1m"},
		{now.Add(-5 * time.Minute), "5m"},
		{now.Add(-59 * time.Minute), "59m"},
		{now.Add(-time.Hour), "1h"},
		{now.Add(-23*time.Hour - 59*time.Minute), "23h"},
		{now.Add(-24 * time.Hour), "1d"},
		{now.Add(-6 * 24 * time.Hour), "6d"},
		{now.Add(-7 * 24 * time.Hour), "Mar 5"},
		{time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC), "Jan 3"},
		{time.Date(2025, 12, 30, 9, 0, 0, 0, time.UTC), "Dec 30, 2025"},
		// Shown in now's zone: 23:30 UTC on Mar 3 is already Mar 4 in Berlin.
		{time.Date(2026, 3, 3, 23, 30, 0, 0, time.UTC), "Mar 3"},
	} {
		if got := views.RelativeTime(now, tc.t); got != tc.want {
			t.Errorf("RelativeTime(%v)=%q, want %q", tc.t, got, tc.want)
		}
	}
	berlin := time.FixedZone("CET", 3600)
	if got := views.RelativeTime(now.In(berlin), time.Date(2026, 3, 3, 23, 30, 0, 0, time.UTC)); got != "Mar 4" {
		t.Errorf("RelativeTime in CET=%q, want Mar 4", got)
	}
}

func TestDayLabel(t *testing.T) {
	now := time.Date(2026, 3, 12, 0, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now, "Today"},
		{time.Date(2026, 3, 11, 23, 59, 0, 0, time.UTC), "Yesterday"},
		{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), "Sun, Mar 1"},
		{time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC), "Mar 11, 2025"},
	} {
		if got := views.DayLabel(now, tc.t); got != tc.want {
			t.Errorf("DayLabel(%v)=%q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestStatusLabel(t *testing.T) {
	if got := views.StatusLabel(""); got != "Unknown" {
		t.Errorf("StatusLabel(\"\")=%q, want Unknown", got)
	}
	if got := views.StatusLabel("weird"); got != "weird" {
		t.Errorf("StatusLabel(weird)=%q, want it as is", got)
	}
}
