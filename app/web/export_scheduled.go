package web

import (
	"strconv"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// ndjsonSchedule is a scheduled send in an NDJSON export: when it was due,
// and whether it is still waiting, was released (sent as the message),
// refused (the contact opted out or was blocked) or cancelled.
type ndjsonSchedule struct {
	DueAt    time.Time `json:"due_at"`
	TimeZone string    `json:"time_zone,omitempty"`
	State    string    `json:"state"`
	Reason   string    `json:"reason,omitempty"`
}

func newNDJSONSchedule(sm *inbox.ScheduledMessage) *ndjsonSchedule {
	if sm == nil {
		return nil
	}
	return &ndjsonSchedule{DueAt: sm.DueAt.UTC(), TimeZone: sm.TimeZone, State: string(sm.State), Reason: sm.Reason}
}

// scheduleCells are the CSV's scheduled_for and schedule_state: empty for
// a message not written with Send later.
func scheduleCells(sm *inbox.ScheduledMessage) (due, state string) {
	if sm == nil {
		return "", ""
	}
	return sm.DueAt.UTC().Format(time.RFC3339), string(sm.State)
}

// idCell is a message id, empty for a scheduled send with no message yet.
func idCell(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
