package views

import (
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SectionHours is the business hours screen's place in the navigation.
const SectionHours = "hours"

// Business hours URLs.
const (
	BusinessHoursURL        = "/settings/hours"
	BusinessHoursPreviewURL = "/settings/hours/preview"
)

// HoursForm is the business hours form as an admin filled it in: strings
// where they type, so a refused form comes back as typed.
type HoursForm struct {
	TimeZone          string
	Days              [7]DayForm // by time.Weekday
	Holidays          string     // one per line: date, then a name
	WelcomeEnabled    bool
	Welcome           string
	AfterHoursEnabled bool
	AfterHours        string
}

// DayForm is one weekday's row of the form.
type DayForm struct {
	Open     bool
	From, To string // HH:MM
}

// NewHoursForm fills the form from saved settings.
func NewHoursForm(h inbox.BusinessHours) HoursForm {
	f := HoursForm{
		TimeZone: h.TimeZone, Holidays: inbox.FormatHolidays(h.Holidays),
		WelcomeEnabled: h.Welcome.Enabled, Welcome: h.Welcome.Body,
		AfterHoursEnabled: h.AfterHours.Enabled, AfterHours: h.AfterHours.Body,
	}
	if f.TimeZone == "" {
		f.TimeZone = "UTC"
	}
	for d, o := range h.Week {
		f.Days[d] = DayForm{Open: o.Open, From: inbox.FormatClock(o.From), To: inbox.FormatClock(o.To)}
		if !o.Open && o.From == 0 && o.To == 0 {
			f.Days[d].From, f.Days[d].To = "09:00", "17:00"
		}
	}
	return f
}

// HoursProps is the business hours screen.
type HoursProps struct {
	Form HoursForm
	// Error is why the form was refused; Saved is set after a save.
	Error   string
	Saved   bool
	Preview HoursPreviewProps
}

// HoursPreviewProps is the preview beside the form: the team's state at a
// moment, and what a contact texting then would get back.
type HoursPreviewProps struct {
	// At is the moment previewed, in the team's zone; AtInput is it as the
	// datetime-local input shows it.
	At      time.Time
	AtInput string
	Open    bool
	// Change is when the team next opens (closed) or closes (open); zero
	// when it never does within a month.
	Change       time.Time
	FirstContact bool
	Reply        string
	AfterHours   bool
	Error        string
}

// weekOrder lists the weekdays as a week is read here: Monday first.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// commonTimeZones are offered as suggestions; any IANA name is accepted.
var commonTimeZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Istanbul",
	"Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
	"Asia/Hong_Kong", "Asia/Tokyo", "Asia/Seoul", "Australia/Perth", "Australia/Sydney", "Pacific/Auckland",
	"America/St_Johns", "America/Halifax", "America/New_York", "America/Toronto", "America/Chicago",
	"America/Mexico_City", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
	"Pacific/Honolulu", "America/Sao_Paulo", "America/Buenos_Aires", "America/Bogota",
}
