package views

import (
	"strconv"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// ScheduleURL is where the composer posts a reply to send later.
func ScheduleURL(conversationID int64) string { return ThreadURL(conversationID) + "/scheduled" }

// ScheduledURL is where a scheduled message's edit is posted.
func ScheduledURL(id int64) string { return "/scheduled/" + strconv.FormatInt(id, 10) }

// ScheduledCancelURL is where a scheduled message's cancel is posted.
func ScheduledCancelURL(id int64) string { return ScheduledURL(id) + "/cancel" }

// Form fields of Send later: which preset ("when"), the picker's
// datetime-local value and the agent's IANA zone, which the page fills in
// from the browser.
const (
	WhenField   = "when"
	SendAtField = "send_at"
	ZoneField   = "tz"
	// WhenPicked is the "when" of the picker's Schedule button.
	WhenPicked = "at"
)

// sendLaterChoice is one preset of the Send later menu.
type sendLaterChoice struct {
	When  inbox.SchedulePreset
	Label string
}

var sendLaterChoices = []sendLaterChoice{
	{inbox.PresetInAnHour, "In 1 hour"},
	{inbox.PresetTomorrowNine, "Tomorrow 9:00"},
	{inbox.PresetNextMondayNine, "Monday 9:00"},
}

// ScheduledItem is one scheduled message as the thread shows it.
type ScheduledItem struct {
	Message    inbox.ScheduledMessage
	SentByName string
	// ContactZone is the contact's zone from their number; "" when the
	// number does not tell.
	ContactZone string
	// Error and Text are a refused edit's reason and draft (422).
	Error, Text string
	// SendAt is the refused edit's picker value.
	SendAt string
}

// ScheduledListProps is a conversation's scheduled messages.
type ScheduledListProps struct {
	ConversationID int64
	Items          []ScheduledItem
}

func scheduledListID(conversationID int64) string {
	return "scheduled-" + strconv.FormatInt(conversationID, 10)
}

func scheduledItemID(id int64) string { return "scheduled-message-" + strconv.FormatInt(id, 10) }

// scheduleZone is the zone a scheduled message was chosen in (UTC when
// the browser did not say).
func scheduleZone(sm inbox.ScheduledMessage) *time.Location {
	loc, err := inbox.ScheduleZone(sm.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func zoneLabel(sm inbox.ScheduledMessage) string {
	if sm.TimeZone == "" {
		return "UTC"
	}
	return sm.TimeZone
}

// scheduledWhen is the due time in the zone it was chosen in: "Tue 8 Dec,
// 9:00".
func scheduledWhen(sm inbox.ScheduledMessage) string {
	return sm.DueAt.In(scheduleZone(sm)).Format("Mon 2 Jan, 15:04")
}

// theirTime is the due time on the contact's clock, "" when their zone is
// unknown or the same as the agent's.
func theirTime(sm inbox.ScheduledMessage, zone string) string {
	if zone == "" || zone == sm.TimeZone {
		return ""
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return ""
	}
	their, ours := sm.DueAt.In(loc), sm.DueAt.In(scheduleZone(sm))
	if their.YearDay() != ours.YearDay() {
		return their.Format("Mon 15:04")
	}
	return their.Format("15:04")
}

// pickerValue is the due time as the edit form's datetime-local shows it.
func pickerValue(sm inbox.ScheduledMessage) string {
	return sm.DueAt.In(scheduleZone(sm)).Format("2006-01-02T15:04")
}

// contactClock is the contact's time now, "" when their zone is unknown.
func contactClock(now time.Time, zone string) string {
	if zone == "" {
		return ""
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return ""
	}
	return now.In(loc).Format("Mon 15:04")
}
