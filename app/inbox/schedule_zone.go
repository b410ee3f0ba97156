package inbox

import (
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// ScheduleZone loads the IANA zone an agent chose a time in; "" is UTC (a
// browser that did not say). Errors: EINVALID (Field "tz").
func ScheduleZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || strings.HasPrefix(name, "/") || name == "Local" {
		return nil, FieldError("tz", "%q is not a time zone", name)
	}
	return loc, nil
}

// TimeZone is the contact's IANA zone as the number's area tells it, or
// "" when the number spans several zones or none is known: a guess is
// worse than nothing when it decides a time to text someone.
func (n Number) TimeZone() string {
	pn, err := phonenumbers.Parse(string(n), "")
	if err != nil {
		return ""
	}
	zones, err := phonenumbers.GetTimezonesForNumber(pn)
	if err != nil || len(zones) != 1 || zones[0] == "Etc/Unknown" {
		return ""
	}
	if _, err := time.LoadLocation(zones[0]); err != nil {
		return ""
	}
	return zones[0]
}

// SchedulePreset names a common choice of when to send.
type SchedulePreset string

// The presets the composer offers.
const (
	PresetInAnHour       SchedulePreset = "1h"
	PresetTomorrowNine   SchedulePreset = "tomorrow9"
	PresetNextMondayNine SchedulePreset = "monday9"
)

// PresetTime is when preset falls after now, in loc: in an hour, tomorrow
// at 9:00, or the next Monday at 9:00 (a week on when today is Monday).
// ok is false for an unknown preset.
func PresetTime(preset SchedulePreset, now time.Time, loc *time.Location) (time.Time, bool) {
	local := now.In(loc)
	nine := func(days int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+days, 9, 0, 0, 0, loc)
	}
	switch preset {
	case PresetInAnHour:
		return now.Add(time.Hour).Truncate(time.Minute), true
	case PresetTomorrowNine:
		return nine(1), true
	case PresetNextMondayNine:
		days := (int(time.Monday) - int(local.Weekday()) + 7) % 7
		if days == 0 {
			days = 7
		}
		return nine(days), true
	}
	return time.Time{}, false
}

// ParseLocalTime reads a datetime-local value ("2026-12-08T09:00") as a
// time in loc. Errors: EINVALID (Field "send_at").
func ParseLocalTime(value string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, value, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, FieldError("send_at", "pick a date and a time")
}

// ScheduleFromForm is the Schedule an agent asked for: when is a preset
// or "at" for sendAt, a datetime-local value; both read in zone (the
// browser's, "" for UTC) from the service's clock.
//
// Errors: EINVALID (Field "tz" for an unknown zone, "send_at" for an
// unknown preset or a bad picker value).
func (s *Service) ScheduleFromForm(text, when, sendAt, zone string) (Schedule, error) {
	loc, err := ScheduleZone(zone)
	if err != nil {
		return Schedule{}, err
	}
	sched := Schedule{Text: text, TimeZone: zone}
	if when == "at" || when == "" {
		sched.DueAt, err = ParseLocalTime(sendAt, loc)
		return sched, err
	}
	due, ok := PresetTime(SchedulePreset(when), s.now(), loc)
	if !ok {
		return Schedule{}, FieldError("send_at", "pick when to send it")
	}
	sched.DueAt = due
	return sched, nil
}
