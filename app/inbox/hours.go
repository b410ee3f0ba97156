package inbox

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// BusinessHours says when the team answers texts, and what Parley sends a
// contact on its own: a welcome on first contact, and an after-hours reply
// once per conversation per closed period.
type BusinessHours struct {
	// TimeZone is an IANA zone name, like Europe/Berlin; "" means UTC.
	TimeZone string
	// Week holds each day's opening hours, indexed by time.Weekday.
	Week [7]OpeningHours
	// Holidays are closed all day, in TimeZone.
	Holidays   []Holiday
	Welcome    AutoMessage
	AfterHours AutoMessage
	UpdatedAt  time.Time
}

// OpeningHours is one day's opening: From and To are minutes after
// midnight, From < To <= 24h. A day has one span; a team open past
// midnight opens the next day at 00:00.
type OpeningHours struct {
	Open     bool
	From, To int
}

// Holiday is a date (YYYY-MM-DD) the team is closed all day.
type Holiday struct {
	Date string
	Name string
}

// AutoMessage is a text Parley sends on its own when Enabled.
type AutoMessage struct {
	Enabled bool
	Body    string
}

// Limits of the business hours settings.
const (
	minutesPerDay = 24 * 60
	maxHolidays   = 366
	// closedLookBack bounds how far back ClosedSince looks for the last
	// opening; a team closed for longer sends its after-hours reply at
	// most once per this period.
	closedLookBack = 31
)

// DefaultBusinessHours is nine to five, Monday to Friday, in UTC, with
// both automatic messages written but off.
func DefaultBusinessHours() BusinessHours {
	var h BusinessHours
	for d := time.Monday; d <= time.Friday; d++ {
		h.Week[d] = OpeningHours{Open: true, From: 9 * 60, To: 17 * 60}
	}
	h.Welcome.Body = "Thanks for your message! This number is answered by our team. Reply STOP to opt out."
	h.AfterHours.Body = "Thanks for your message. We're closed right now and will reply when we open."
	return h
}

// zones keeps the zones loaded so far: time.LoadLocation reads and parses
// zone data on every call, and inbound texts ask for the team's zone.
var zones sync.Map // name -> *time.Location

// Location is TimeZone loaded; UTC when it is empty or unknown (Validate
// refuses unknown zones, so only old data falls back).
func (h BusinessHours) Location() *time.Location {
	if loc, ok := zones.Load(h.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(h.TimeZone)
	if err != nil {
		return time.UTC
	}
	zones.Store(h.TimeZone, loc)
	return loc
}

// Validate checks the settings as an admin saved them.
//
// Errors: EINVALID with Field "time_zone", "week", "holidays", "welcome" or
// "after_hours".
func (h BusinessHours) Validate() error {
	if h.TimeZone != "" {
		if _, err := time.LoadLocation(h.TimeZone); err != nil || strings.HasPrefix(h.TimeZone, "/") {
			return FieldError("time_zone", "%q is not a time zone; use a name like Europe/Berlin or America/New_York", h.TimeZone)
		}
	}
	for d, o := range h.Week {
		if !o.Open {
			continue
		}
		if o.From < 0 || o.To > minutesPerDay || o.From >= o.To {
			return FieldError("week", "%s: the opening time must come before the closing time", time.Weekday(d))
		}
	}
	if len(h.Holidays) > maxHolidays {
		return FieldError("holidays", "at most %d holidays", maxHolidays)
	}
	for _, hd := range h.Holidays {
		if _, err := time.Parse(time.DateOnly, hd.Date); err != nil {
			return FieldError("holidays", "%q is not a date; write it as YYYY-MM-DD", hd.Date)
		}
	}
	for _, m := range []struct {
		field string
		msg   AutoMessage
	}{{"welcome", h.Welcome}, {"after_hours", h.AfterHours}} {
		if !m.msg.Enabled && strings.TrimSpace(m.msg.Body) == "" {
			continue
		}
		if _, err := ValidateText(m.msg.Body); err != nil {
			return FieldError(m.field, "%s", ErrorMessage(err))
		}
	}
	return nil
}

// ParseHolidays reads one holiday per line, as an admin types them: a date
// (YYYY-MM-DD), then optionally a name. Blank lines are skipped; the
// result is sorted by date, without repeats.
//
// Errors: EINVALID (Field "holidays") naming the first bad line.
func ParseHolidays(text string) ([]Holiday, error) {
	var out []Holiday
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		date, name, _ := strings.Cut(line, " ")
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return nil, FieldError("holidays", "line %d: %q is not a date; write it as YYYY-MM-DD, then a name", i+1, date)
		}
		out = append(out, Holiday{Date: date, Name: strings.TrimSpace(name)})
	}
	slices.SortStableFunc(out, func(a, b Holiday) int { return strings.Compare(a.Date, b.Date) })
	out = slices.CompactFunc(out, func(a, b Holiday) bool { return a.Date == b.Date })
	return out, nil
}

// FormatHolidays is ParseHolidays' input for hs.
func FormatHolidays(hs []Holiday) string {
	var b strings.Builder
	for _, hd := range hs {
		b.WriteString(strings.TrimSpace(hd.Date + " " + hd.Name))
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseClock reads "HH:MM" (24-hour; "24:00" is the end of the day) as
// minutes after midnight.
func ParseClock(s string) (int, error) {
	var hh, mm int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &hh, &mm); err != nil || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > minutesPerDay {
		return 0, fmt.Errorf("%q is not a time like 09:30", s)
	}
	return hh*60 + mm, nil
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(minutes int) string {
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// span is the opening of the day that starts at day (local midnight), if
// the team opens that day.
func (h BusinessHours) span(day time.Time) (open, close time.Time, ok bool) {
	o := h.Week[day.Weekday()]
	if !o.Open || h.holiday(day) {
		return time.Time{}, time.Time{}, false
	}
	y, m, d := day.Date()
	loc := day.Location()
	return time.Date(y, m, d, o.From/60, o.From%60, 0, 0, loc), time.Date(y, m, d, o.To/60, o.To%60, 0, 0, loc), true
}

func (h BusinessHours) holiday(day time.Time) bool {
	date := day.Format(time.DateOnly)
	return slices.ContainsFunc(h.Holidays, func(hd Holiday) bool { return hd.Date == date })
}

// midnight is the start of t's day in loc.
func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// OpenAt reports whether the team is open at t.
func (h BusinessHours) OpenAt(t time.Time) bool {
	_, open := h.ClosesAt(t)
	return open
}

// ClosedSince returns when the closed period holding t began: the last
// closing time before t, or closedLookBack days before t when there was
// none in that time. ok is false when the team is open at t.
func (h BusinessHours) ClosedSince(t time.Time) (since time.Time, ok bool) {
	if h.OpenAt(t) {
		return time.Time{}, false
	}
	loc := h.Location()
	day := midnight(t, loc)
	for range closedLookBack + 1 {
		if _, close, open := h.span(day); open && !close.After(t) {
			return close, true
		}
		y, m, d := day.Date()
		day = time.Date(y, m, d-1, 0, 0, 0, 0, loc)
	}
	return t.AddDate(0, 0, -closedLookBack), true
}

// ClosesAt returns when the team, open at t, closes; false when it is not
// open at t.
func (h BusinessHours) ClosesAt(t time.Time) (time.Time, bool) {
	open, close, ok := h.span(midnight(t, h.Location()))
	if !ok || t.Before(open) || !t.Before(close) {
		return time.Time{}, false
	}
	return close, true
}

// NextOpening returns when the team next opens after t (t itself when it
// opens exactly then); false when it does not open in the next
// closedLookBack days.
func (h BusinessHours) NextOpening(t time.Time) (time.Time, bool) {
	loc := h.Location()
	day := midnight(t, loc)
	for range closedLookBack + 1 {
		if open, close, ok := h.span(day); ok && close.After(t) {
			return maxTime(open, t), true
		}
		y, m, d := day.Date()
		day = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	return time.Time{}, false
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// AutoReply is the automatic text due for an inbound text that no keyword
// rule or opt-out word answered: the welcome on first contact (a contact's
// first text opens the conversation), the after-hours reply when the team
// is closed and has not sent one in this closed period (lastAfterHours is
// when the conversation last got one). When both are due they go as one
// text, welcome first, so a contact is not sent two at once. afterHours
// reports whether the after-hours reply is part of it.
func (h BusinessHours) AutoReply(now time.Time, firstContact bool, lastAfterHours *time.Time) (body string, afterHours bool) {
	var parts []string
	if firstContact && h.Welcome.Enabled && strings.TrimSpace(h.Welcome.Body) != "" {
		parts = append(parts, strings.TrimSpace(h.Welcome.Body))
	}
	if h.AfterHours.Enabled && strings.TrimSpace(h.AfterHours.Body) != "" {
		if since, closed := h.ClosedSince(now); closed && (lastAfterHours == nil || lastAfterHours.Before(since)) {
			parts = append(parts, strings.TrimSpace(h.AfterHours.Body))
			afterHours = true
		}
	}
	body = strings.Join(parts, "\n\n")
	if _, err := ValidateText(body); err != nil && len(parts) == 2 {
		body = parts[1] // together too long: the after-hours reply matters more now
	}
	return body, afterHours
}
