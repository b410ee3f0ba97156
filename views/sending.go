package views

import (
	"fmt"
	"strconv"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SectionSending is the Settings → Sending screen's place in the navigation.
const SectionSending = "sending"

// SendingURL shows the outbox's queue per sending number; htmx polls it for
// the region alone.
const SendingURL = "/settings/sending"

// SendingPollInterval is how often the open screen refreshes its region.
const SendingPollInterval = "every 5s"

// SendingProps is the Settings → Sending screen.
type SendingProps struct {
	inbox.SendingOverview
}

// rateText says a number's pace in words.
func rateText(n inbox.SendingNumber) string {
	switch {
	case n.Rate <= 0:
		return "not paced"
	case n.Rate < 1:
		return "1 every " + strconv.FormatFloat(1/n.Rate, 'g', 3, 64) + " s"
	}
	return strconv.FormatFloat(n.Rate, 'g', 4, 64) + " per second"
}

// waitText is how long ago t was, or how far ahead, in seconds, minutes or
// hours: "under 1 s", "42 s", "3 min", "2 h".
func waitText(now, t time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Second:
		return "under 1 s"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d h", int(d/time.Hour))
}
