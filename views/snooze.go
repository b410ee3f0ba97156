package views

import "time"

// snoozeChoice is one of the snooze menu's durations.
type snoozeChoice struct {
	Label string
	For   string // a time.ParseDuration string, posted as SnoozeField
}

// snoozeChoices are the snooze menu, shortest first.
var snoozeChoices = []snoozeChoice{
	{"1 hour", "1h"},
	{"4 hours", "4h"},
	{"1 day", "24h"},
	{"3 days", "72h"},
	{"1 week", "168h"},
}

// snoozeLabel says until when, "until 14:05" today or "until Tue 14:05".
func snoozeLabel(now, until time.Time) string {
	until = until.In(now.Location())
	if sameDay(until, now) {
		return "until " + until.Format("15:04")
	}
	if until.Sub(now) < 6*24*time.Hour {
		return "until " + until.Format("Mon 15:04")
	}
	return "until " + until.Format("Jan 2, 15:04")
}
