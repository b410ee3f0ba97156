package store

import (
	"testing"
	"time"
)

func TestStoredTimeReadsWhatBunWrites(t *testing.T) {
	for _, s := range []string{
		"2026-03-08 07:30:00+00:00",
		"2026-03-08 07:30:00.5+00:00",
		"2026-09-30 13:37:11.228663+00:00",
		"2026-09-30 13:37:11.123456789+00:00",
		"2026-09-30 09:37:11.228663-04:00", // not UTC: the slow path
		"2026-09-30T13:37:11.228663Z",
	} {
		var got storedTime
		if err := got.Scan(s); err != nil {
			t.Fatalf("Scan(%q): %v", s, err)
		}
		want, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", s)
		if err != nil {
			want, _ = time.Parse(time.RFC3339Nano, s)
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(%q)=%v, want %v in UTC", s, got.Time, want)
		}
	}
	var bad storedTime
	if err := bad.Scan("yesterday"); err == nil {
		t.Errorf("Scan(%q)=%v, want an error", "yesterday", bad.Time)
	}
}
