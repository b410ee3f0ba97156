package inbox

import (
	"testing"
	"time"
)

func TestPresetTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// Sunday 6 December 2026, 23:30 in Berlin (22:30 UTC).
	sunday := time.Date(2026, 12, 6, 22, 30, 15, 0, time.UTC)
	monday := time.Date(2026, 12, 7, 10, 0, 0, 0, berlin)
	tests := []struct {
		preset SchedulePreset
		now    time.Time
		want   time.Time
	}{
		{PresetInAnHour, sunday, time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC)},
		{PresetTomorrowNine, sunday, time.Date(2026, 12, 7, 9, 0, 0, 0, berlin)},
		{PresetNextMondayNine, sunday, time.Date(2026, 12, 7, 9, 0, 0, 0, berlin)},
		{PresetNextMondayNine, monday, time.Date(2026, 12, 14, 9, 0, 0, 0, berlin)},
		{PresetTomorrowNine, monday, time.Date(2026, 12, 8, 9, 0, 0, 0, berlin)},
	}
	for _, tt := range tests {
		got, ok := PresetTime(tt.preset, tt.now, berlin)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("PresetTime(%s, %v)=%v,%v, want %v", tt.preset, tt.now, got, ok, tt.want)
		}
	}
	if _, ok := PresetTime("someday", sunday, berlin); ok {
		t.Error("PresetTime(someday) ok, want an unknown preset refused")
	}
}

func TestPresetTimeAcrossADaylightSavingChange(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	// Saturday 7 March 2026 noon; clocks go forward on Sunday the 8th.
	now := time.Date(2026, 3, 7, 12, 0, 0, 0, chicago)
	got, _ := PresetTime(PresetNextMondayNine, now, chicago)
	if local := got.In(chicago); local.Hour() != 9 || local.Day() != 9 {
		t.Errorf("next Monday 9:00=%v, want 9 March 9:00 local", got.In(chicago))
	}
}

func TestParseLocalTime(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	got, err := ParseLocalTime("2026-12-08T09:00", berlin)
	if err != nil || !got.Equal(time.Date(2026, 12, 8, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseLocalTime=%v,%v, want 08:00 UTC", got, err)
	}
	for _, bad := range []string{"", "tomorrow", "2026-13-01T09:00", "2026-12-08"} {
		if _, err := ParseLocalTime(bad, berlin); ErrorField(err) != "send_at" {
			t.Errorf("ParseLocalTime(%q) err=%v, want a send_at error", bad, err)
		}
	}
}

func TestScheduleZone(t *testing.T) {
	for _, name := range []string{"", "UTC", "America/Chicago", "Asia/Kolkata"} {
		if _, err := ScheduleZone(name); err != nil {
			t.Errorf("ScheduleZone(%q)=%v, want it known", name, err)
		}
	}
	for _, name := range []string{"Mars/Olympus", "/etc/passwd", "Local", "../UTC"} {
		if _, err := ScheduleZone(name); ErrorField(err) != "tz" {
			t.Errorf("ScheduleZone(%q) err=%v, want a tz error", name, err)
		}
	}
}

func TestNumberTimeZone(t *testing.T) {
	tests := []struct {
		number Number
		want   string
	}{
		{"+13125550100", "America/Chicago"},
		{"+14155550100", "America/Los_Angeles"},
		{"+442079460000", "Europe/London"},
		{"+4915123456789", "Europe/Berlin"},
		{"+79161234567", "Europe/Moscow"},
		// A toll-free number spans the continent: no guess.
		{"+18005550100", ""},
		{"not a number", ""},
	}
	for _, tt := range tests {
		if got := tt.number.TimeZone(); got != tt.want {
			t.Errorf("%s.TimeZone()=%q, want %q", tt.number, got, tt.want)
		}
	}
}

func TestValidateDue(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		due  time.Time
		good bool
	}{
		{now.Add(MinScheduleLead), true},
		{now.Add(MaxScheduleAhead), true},
		{now.Add(MinScheduleLead - time.Second), false},
		{now.Add(-time.Hour), false},
		{now.Add(MaxScheduleAhead + time.Second), false},
		{time.Time{}, false},
	}
	for _, tt := range tests {
		err := ValidateDue(tt.due, now)
		if (err == nil) != tt.good || (err != nil && ErrorField(err) != "send_at") {
			t.Errorf("ValidateDue(%v)=%v, want good=%v", tt.due, err, tt.good)
		}
	}
}
