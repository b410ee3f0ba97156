package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// A scheduled send still waiting has no message: the CSV leaves its id
// empty and names its due time and state; NDJSON nests them.
func TestExportWritesScheduledSends(t *testing.T) {
	due := time.Date(2026, 12, 8, 8, 0, 0, 0, time.UTC)
	rec := inbox.ExportRecord{
		Conversation: inbox.Conversation{ID: 1, ContactNumber: "+13125550100", ChannelNumber: "+14155550199"},
		Message:      inbox.Message{Direction: inbox.DirectionOutbound, Body: "tomorrow", CreatedAt: due.Add(-time.Hour)},
		Scheduled:    &inbox.ScheduledMessage{DueAt: due, TimeZone: "Europe/Berlin", State: inbox.ScheduleWaiting},
	}
	var buf bytes.Buffer
	e, err := newCSVExport(&buf, exportNames{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"message_id": "", "scheduled_for": "2026-12-08T08:00:00Z", "schedule_state": "scheduled", "body": "tomorrow"}
	for i, col := range rows[0] {
		if w, ok := want[col]; ok && rows[1][i] != w {
			t.Errorf("%s=%q, want %q", col, rows[1][i], w)
		}
	}

	buf.Reset()
	if err := newNDJSONExport(&buf, exportNames{}).Write(rec); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Message struct {
			Scheduled *ndjsonSchedule `json:"scheduled"`
		} `json:"message"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if s := got.Message.Scheduled; s == nil || !s.DueAt.Equal(due) || s.State != "scheduled" || s.TimeZone != "Europe/Berlin" {
		t.Fatalf("ndjson scheduled=%+v, want due %v, scheduled, Europe/Berlin", s, due)
	}
}
