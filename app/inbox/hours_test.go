package inbox

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// berlinHours is nine to five on weekdays in Berlin, closed on 2026-12-25.
func berlinHours() BusinessHours {
	h := DefaultBusinessHours()
	h.TimeZone = "Europe/Berlin"
	h.Holidays = []Holiday{{Date: "2026-12-25", Name: "Christmas"}}
	return h
}

func berlin(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBusinessHoursOpenAt(t *testing.T) {
	h := berlinHours()
	tests := []struct {
		at   string
		want bool
	}{
		{"2026-11-30 09:00", true},  // Monday, opening minute
		{"2026-11-30 16:59", true},  // last open minute
		{"2026-11-30 17:00", false}, // closing time is closed
		{"2026-11-30 08:59", false},
		{"2026-11-29 12:00", false}, // Sunday
		{"2026-12-25 12:00", false}, // holiday (a Friday)
		{"2026-12-24 12:00", true},
		{"2026-03-30 09:30", true}, // Monday after the spring DST change
	}
	for _, tt := range tests {
		if got := h.OpenAt(berlin(t, tt.at)); got != tt.want {
			t.Errorf("OpenAt(%s)=%v, want %v", tt.at, got, tt.want)
		}
	}
	// The same instant seen from another zone gives the same answer.
	if at := berlin(t, "2026-11-30 10:00").In(time.FixedZone("X", -11*3600)); !h.OpenAt(at) {
		t.Errorf("OpenAt(%v)=false, want true (zone of the argument must not matter)", at)
	}
}

func TestBusinessHoursClosedSince(t *testing.T) {
	h := berlinHours()
	tests := []struct {
		at, want string
		open     bool
	}{
		{at: "2026-11-30 12:00", open: true},
		{at: "2026-11-30 18:00", want: "2026-11-30 17:00"},
		{at: "2026-12-01 07:00", want: "2026-11-30 17:00"}, // overnight
		{at: "2026-11-29 12:00", want: "2026-11-27 17:00"}, // weekend: since Friday
		{at: "2026-12-25 12:00", want: "2026-12-24 17:00"}, // holiday
		{at: "2026-12-28 08:00", want: "2026-12-24 17:00"}, // holiday, then the weekend
	}
	for _, tt := range tests {
		since, closed := h.ClosedSince(berlin(t, tt.at))
		if closed == tt.open {
			t.Errorf("ClosedSince(%s): closed=%v, want %v", tt.at, closed, !tt.open)
			continue
		}
		if !tt.open && !since.Equal(berlin(t, tt.want)) {
			t.Errorf("ClosedSince(%s)=%v, want %s", tt.at, since, tt.want)
		}
	}
	var never BusinessHours // closed every day
	at := berlin(t, "2026-11-30 12:00")
	if since, closed := never.ClosedSince(at); !closed || !since.Equal(at.AddDate(0, 0, -closedLookBack)) {
		t.Errorf("never open: ClosedSince=%v, %v; want %d days back", since, closed, closedLookBack)
	}
}

func TestBusinessHoursNextOpening(t *testing.T) {
	h := berlinHours()
	tests := []struct{ at, want string }{
		{"2026-11-30 08:00", "2026-11-30 09:00"},
		{"2026-11-30 10:00", "2026-11-30 10:00"}, // open now
		{"2026-11-30 17:00", "2026-12-01 09:00"},
		{"2026-12-24 18:00", "2026-12-28 09:00"}, // holiday and weekend skipped
	}
	for _, tt := range tests {
		got, ok := h.NextOpening(berlin(t, tt.at))
		if !ok || !got.Equal(berlin(t, tt.want)) {
			t.Errorf("NextOpening(%s)=%v, %v; want %s", tt.at, got, ok, tt.want)
		}
	}
	if _, ok := (BusinessHours{}).NextOpening(time.Now()); ok {
		t.Error("NextOpening of a team that never opens: ok, want false")
	}
}

func TestBusinessHoursAutoReply(t *testing.T) {
	h := berlinHours()
	h.Welcome = AutoMessage{Enabled: true, Body: "Welcome!"}
	h.AfterHours = AutoMessage{Enabled: true, Body: "We're closed."}
	closedAt := berlin(t, "2026-11-30 18:00")
	openAt := berlin(t, "2026-11-30 10:00")
	earlierTonight := berlin(t, "2026-11-30 17:30")
	lastNight := berlin(t, "2026-11-29 20:00")
	tests := []struct {
		name           string
		hours          BusinessHours
		at             time.Time
		first          bool
		last           *time.Time
		want           string
		wantAfterHours bool
	}{
		{"open, known contact", h, openAt, false, nil, "", false},
		{"open, first contact", h, openAt, true, nil, "Welcome!", false},
		{"closed, known contact", h, closedAt, false, nil, "We're closed.", true},
		{"closed, first contact: one text", h, closedAt, true, nil, "Welcome!\n\nWe're closed.", true},
		{"closed, answered earlier this closed period", h, closedAt, false, &earlierTonight, "", false},
		{"closed, answered in an earlier closed period", h, closedAt, false, &lastNight, "We're closed.", true},
		{"both off", BusinessHours{TimeZone: "Europe/Berlin"}, closedAt, true, nil, "", false},
		{"enabled but blank", func() BusinessHours { x := h; x.Welcome.Body = "  "; return x }(), openAt, true, nil, "", false},
		{"together too long: the after-hours reply alone", func() BusinessHours {
			x := h
			x.Welcome.Body = strings.Repeat("w", MaxGSMChars-5)
			return x
		}(), closedAt, true, nil, "We're closed.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ah := tt.hours.AutoReply(tt.at, tt.first, tt.last)
			if got != tt.want || ah != tt.wantAfterHours {
				t.Errorf("AutoReply=%q, %v; want %q, %v", got, ah, tt.want, tt.wantAfterHours)
			}
		})
	}
}

func TestBusinessHoursValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*BusinessHours)
		field string
	}{
		{"defaults", func(*BusinessHours) {}, ""},
		{"zone", func(h *BusinessHours) { h.TimeZone = "America/New_York" }, ""},
		{"unknown zone", func(h *BusinessHours) { h.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"closing before opening", func(h *BusinessHours) { h.Week[time.Monday] = OpeningHours{Open: true, From: 600, To: 540} }, "week"},
		{"past midnight", func(h *BusinessHours) { h.Week[time.Monday] = OpeningHours{Open: true, From: 600, To: 24*60 + 1} }, "week"},
		{"closed day with odd times is fine", func(h *BusinessHours) { h.Week[time.Sunday] = OpeningHours{From: 600, To: 0} }, ""},
		{"bad holiday", func(h *BusinessHours) { h.Holidays = []Holiday{{Date: "25/12/2026"}} }, "holidays"},
		{"welcome on but empty", func(h *BusinessHours) { h.Welcome = AutoMessage{Enabled: true} }, "welcome"},
		{"after-hours too long", func(h *BusinessHours) { h.AfterHours.Body = strings.Repeat("x", 2000) }, "after_hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := DefaultBusinessHours()
			tt.edit(&h)
			err := h.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate()=%v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Field != tt.field {
				t.Fatalf("Validate()=%v, want EINVALID on %q", err, tt.field)
			}
		})
	}
}

func TestParseHolidays(t *testing.T) {
	got, err := ParseHolidays("2026-12-26 Boxing Day\n\n 2026-12-25   Christmas \n2026-12-26 again\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Holiday{{"2026-12-25", "Christmas"}, {"2026-12-26", "Boxing Day"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("ParseHolidays=%v, want %v", got, want)
	}
	if back, _ := ParseHolidays(FormatHolidays(got)); len(back) != 2 || back[1] != want[1] {
		t.Fatalf("FormatHolidays does not round-trip: %v", back)
	}
	if _, err := ParseHolidays("2026-12-25\nChristmas"); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "line 2") {
		t.Fatalf("bad line: %v, want EINVALID naming line 2", err)
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]int{"09:30": 570, "00:00": 0, "24:00": 1440, " 7:05 ": 425} {
		if got, err := ParseClock(in); err != nil || got != want {
			t.Errorf("ParseClock(%q)=%d, %v; want %d", in, got, err, want)
		}
		if want < 1440 && FormatClock(want) != strings.TrimSpace(strings.Replace(in, " 7", "07", 1)) {
			t.Errorf("FormatClock(%d)=%q", want, FormatClock(want))
		}
	}
	for _, in := range []string{"", "9", "25:00", "24:01", "12:60", "-1:00", "noon"} {
		if _, err := ParseClock(in); err == nil {
			t.Errorf("ParseClock(%q): nil error, want one", in)
		}
	}
}

func TestBusinessHoursClosesAt(t *testing.T) {
	h := berlinHours()
	if got, ok := h.ClosesAt(berlin(t, "2026-11-30 10:00")); !ok || !got.Equal(berlin(t, "2026-11-30 17:00")) {
		t.Errorf("ClosesAt(Monday 10:00)=%v, %v; want 17:00 that day", got, ok)
	}
	for _, at := range []string{"2026-11-30 17:00", "2026-11-29 12:00", "2026-12-25 12:00"} {
		if got, ok := h.ClosesAt(berlin(t, at)); ok {
			t.Errorf("ClosesAt(%s)=%v, want closed", at, got)
		}
	}
	other := h
	other.TimeZone = "America/New_York"
	first, again := h.Location(), h.Location()
	if first == other.Location() || other.Location().String() != "America/New_York" || first != again {
		t.Errorf("zones: %v and %v, want each its own, loaded once", first, other.Location())
	}
}
