package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// previewInputLayout is a datetime-local input's value.
const previewInputLayout = "2006-01-02T15:04"

// handleBusinessHours shows the business hours screen.
func (s *server) handleBusinessHours(c *fiber.Ctx) error {
	h, err := s.deps.Inbox.BusinessHoursSettings(c.UserContext())
	if err != nil {
		return err
	}
	p := views.HoursProps{Form: views.NewHoursForm(h), Saved: c.Query("saved") == "1"}
	p.Preview = s.hoursPreview(h, time.Time{}, false)
	return s.render(c, fiber.StatusOK, views.BusinessHoursPage(p))
}

// handleBusinessHoursSave saves the form; a refused one comes back as
// typed, with the reason (422).
func (s *server) handleBusinessHoursSave(c *fiber.Ctx) error {
	form := hoursFormValues(c)
	h, err := businessHours(form)
	if err == nil {
		u, _ := currentUser(c)
		h, err = s.deps.Inbox.SaveBusinessHours(c.UserContext(), u, h)
	}
	if err != nil {
		return refuseForm(err, func(status int, reason string) error {
			p := views.HoursProps{Form: form, Error: reason}
			// The whole page also shows the preview, which says why it
			// cannot preview these settings.
			page := p
			page.Preview = views.HoursPreviewProps{Error: reason}
			return s.renderScreen(c, status, views.BusinessHoursForm(p), views.BusinessHoursPage(page))
		})
	}
	return s.afterSettingsChange(c, views.BusinessHoursURL+"?saved=1", func() error {
		return s.render(c, fiber.StatusOK, views.BusinessHoursForm(views.HoursProps{Form: views.NewHoursForm(h), Saved: true}))
	})
}

// handleBusinessHoursPreview says what a contact texting at the chosen
// moment would get, with the settings as they are in the form (saved or
// not).
func (s *server) handleBusinessHoursPreview(c *fiber.Ctx) error {
	h, err := businessHours(hoursFormValues(c))
	if err == nil {
		err = h.Validate()
	}
	if err != nil {
		if inbox.ErrorCode(err) != inbox.EINVALID {
			return err
		}
		return s.render(c, fiber.StatusOK, views.HoursPreview(views.HoursPreviewProps{Error: inbox.ErrorMessage(err)}))
	}
	var at time.Time
	if v := c.FormValue("preview_at"); v != "" {
		if at, err = time.ParseInLocation(previewInputLayout, v, h.Location()); err != nil {
			return s.render(c, fiber.StatusOK, views.HoursPreview(views.HoursPreviewProps{Error: "Pick a date and time to preview."}))
		}
	}
	return s.render(c, fiber.StatusOK, views.HoursPreview(s.hoursPreview(h, at, c.FormValue("preview_first") == "true")))
}

// hoursPreview previews h at at (now when zero), in the team's zone.
func (s *server) hoursPreview(h inbox.BusinessHours, at time.Time, first bool) views.HoursPreviewProps {
	if at.IsZero() {
		at = time.Now()
	}
	at = at.In(h.Location()).Truncate(time.Minute)
	p := views.HoursPreviewProps{At: at, AtInput: at.Format(previewInputLayout), Open: h.OpenAt(at), FirstContact: first}
	if closes, open := h.ClosesAt(at); open {
		p.Change = closes
	} else if next, ok := h.NextOpening(at); ok {
		p.Change = next.In(h.Location())
	}
	p.Reply, p.AfterHours = h.AutoReply(at, first, nil)
	return p
}

// hoursFormValues reads the business hours form.
func hoursFormValues(c *fiber.Ctx) views.HoursForm {
	f := views.HoursForm{
		TimeZone: strings.TrimSpace(c.FormValue("time_zone")), Holidays: c.FormValue("holidays"),
		WelcomeEnabled: c.FormValue("welcome_enabled") == "true", Welcome: c.FormValue("welcome"),
		AfterHoursEnabled: c.FormValue("after_hours_enabled") == "true", AfterHours: c.FormValue("after_hours"),
	}
	for d := range f.Days {
		key := strconv.Itoa(d)
		f.Days[d] = views.DayForm{Open: c.FormValue("open_"+key) == "true", From: c.FormValue("from_" + key), To: c.FormValue("to_" + key)}
	}
	return f
}

// businessHours turns the form into settings.
//
// Errors: EINVALID (Field "week" or "holidays") for a time or date that
// does not parse; Validate checks the rest.
func businessHours(f views.HoursForm) (inbox.BusinessHours, error) {
	h := inbox.BusinessHours{
		TimeZone:   f.TimeZone,
		Welcome:    inbox.AutoMessage{Enabled: f.WelcomeEnabled, Body: strings.TrimSpace(f.Welcome)},
		AfterHours: inbox.AutoMessage{Enabled: f.AfterHoursEnabled, Body: strings.TrimSpace(f.AfterHours)},
	}
	if h.TimeZone == "UTC" {
		h.TimeZone = ""
	}
	for d, day := range f.Days {
		from, errFrom := inbox.ParseClock(day.From)
		to, errTo := inbox.ParseClock(day.To)
		if day.Open && (errFrom != nil || errTo != nil) {
			return inbox.BusinessHours{}, inbox.FieldError("week", "%s: give opening and closing times like 09:00", time.Weekday(d))
		}
		h.Week[d] = inbox.OpeningHours{Open: day.Open, From: from, To: to}
	}
	holidays, err := inbox.ParseHolidays(f.Holidays)
	if err != nil {
		return inbox.BusinessHours{}, err
	}
	h.Holidays = holidays
	return h, nil
}
