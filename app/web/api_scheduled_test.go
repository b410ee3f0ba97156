package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
)

type apiSched struct {
	ID             int64  `json:"id"`
	ConversationID int64  `json:"conversation_id"`
	Text           string `json:"text"`
	SendAt         string `json:"send_at"`
	TimeZone       string `json:"time_zone"`
	State          string `json:"state"`
	MessageID      *int64 `json:"message_id"`
	SentBy         *int64 `json:"sent_by"`
}

type schedList struct {
	Data       []apiSched `json:"data"`
	NextCursor *string    `json:"next_cursor"`
}

// Scheduled messages through the API, on each database: schedule, list,
// edit and cancel under the composer's rules and scopes; a past time, an
// opted-out contact, a reader's token, another conversation's message and
// an edit after the release are refused and change nothing.
func TestAPIScheduledMessages(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		// The outbox's clock runs two hours ahead: what is due within two
		// hours of now is due for it.
		clock := inboxtest.NewClock(time.Now().Add(2 * time.Hour))
		var ob *inbox.Outbox
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}, outbox: func(s *store.Store) *inbox.Outbox {
			ob = inbox.NewOutbox(inbox.OutboxOptions{Store: s, Clock: clock})
			return ob
		}})
		ctx := context.Background()
		r, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-1", apiContact, apiChannel, "text me tomorrow"))
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(r.Conversation.ID, 10)
		base := "/api/v1/conversations/" + id + "/scheduled"
		ana := mustUser(t, ts, "ana@team.example.com", inbox.RoleAgent)
		_, secret := ts.mustToken(t, ana, inbox.ScopeRead, inbox.ScopeSend)
		api := ts.api(t, secret)
		_, readSecret := ts.mustToken(t, ana, inbox.ScopeRead)
		reader := ts.api(t, readSecret)

		later := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
		body := `{"text": "Good morning!", "send_at": "` + later.Format(time.RFC3339) + `", "time_zone": "Europe/Berlin"}`
		created := decodeAs[apiSched](t, api.post(base, body, "Idempotency-Key", "sched-1").want(t, http.StatusCreated))
		if created.Text != "Good morning!" || created.State != "scheduled" || created.SendAt != later.Format(time.RFC3339) ||
			created.TimeZone != "Europe/Berlin" || created.SentBy == nil || *created.SentBy != ana.ID || created.MessageID != nil {
			t.Fatalf("created %+v, want the text waiting for %s, by Ana", created, later)
		}
		again := decodeAs[apiSched](t, api.post(base, body, "Idempotency-Key", "sched-1").want(t, http.StatusCreated))
		if again.ID != created.ID {
			t.Errorf("retry with the same key made %d, want the first answer %d", again.ID, created.ID)
		}
		list := decodeAs[schedList](t, reader.get(base).want(t, http.StatusOK))
		if len(list.Data) != 1 || list.Data[0].ID != created.ID || list.NextCursor != nil {
			t.Fatalf("list %+v, want the one scheduled message", list)
		}

		refusals := []struct {
			name, body string
			status     int
			code       string
		}{
			{"past time", `{"text": "too late", "send_at": "` + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + `"}`, http.StatusBadRequest, "invalid"},
			{"not RFC 3339", `{"text": "when?", "send_at": "tomorrow at 9"}`, http.StatusBadRequest, "invalid"},
			{"no time", `{"text": "when?"}`, http.StatusBadRequest, "invalid"},
			{"unknown zone", `{"text": "hi", "send_at": "` + later.Format(time.RFC3339) + `", "time_zone": "Mars/Olympus"}`, http.StatusBadRequest, "invalid"},
		}
		for _, tc := range refusals {
			ans := api.post(base, tc.body).want(t, tc.status)
			if code, _, _ := ans.errorOf(t); code != tc.code {
				t.Errorf("%s: code %q, want %q", tc.name, code, tc.code)
			}
		}
		reader.post(base, body).want(t, http.StatusForbidden)
		if n := len(decodeAs[schedList](t, api.get(base).want(t, http.StatusOK)).Data); n != 1 {
			t.Fatalf("after refusals %d scheduled, want still 1", n)
		}

		item := base + "/" + strconv.FormatInt(created.ID, 10)
		sooner := later.Add(-30 * time.Minute)
		edited := decodeAs[apiSched](t, api.do(http.MethodPatch, item, `{"send_at": "`+sooner.Format(time.RFC3339)+`"}`).want(t, http.StatusOK))
		if edited.Text != "Good morning!" || edited.SendAt != sooner.Format(time.RFC3339) || edited.TimeZone != "Europe/Berlin" {
			t.Errorf("edited %+v, want the time moved and the rest kept", edited)
		}
		edited = decodeAs[apiSched](t, api.do(http.MethodPatch, item, `{"text": "Good morning, Ada!"}`).want(t, http.StatusOK))
		if edited.Text != "Good morning, Ada!" || edited.SendAt != sooner.Format(time.RFC3339) {
			t.Errorf("edited %+v, want the text changed and the time kept", edited)
		}
		api.do(http.MethodPatch, item, `{"send_at": "2001-01-01T00:00:00Z"}`).want(t, http.StatusBadRequest)
		reader.do(http.MethodPatch, item, `{"text": "x"}`).want(t, http.StatusForbidden)
		other, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-2", "+14155550111", apiChannel, "hello"))
		if err != nil {
			t.Fatal(err)
		}
		api.post("/api/v1/conversations/"+strconv.FormatInt(other.Conversation.ID, 10)+"/scheduled/"+strconv.FormatInt(created.ID, 10)+"/cancel", "").want(t, http.StatusNotFound)

		// Released by the outbox, it can no longer change.
		if n, err := ob.ReleaseDue(ctx); n != 1 || err != nil {
			t.Fatalf("ReleaseDue = %d, %v, want 1", n, err)
		}
		api.do(http.MethodPatch, item, `{"text": "too late"}`).want(t, http.StatusConflict)
		api.post(item+"/cancel", "").want(t, http.StatusConflict)
		if n := len(decodeAs[schedList](t, api.get(base).want(t, http.StatusOK)).Data); n != 0 {
			t.Errorf("after release %d waiting, want 0", n)
		}

		// Cancel a second one; cancelling it twice is a conflict.
		second := decodeAs[apiSched](t, api.post(base, body).want(t, http.StatusCreated))
		cancelled := decodeAs[apiSched](t, api.post(base+"/"+strconv.FormatInt(second.ID, 10)+"/cancel", "").want(t, http.StatusOK))
		if cancelled.State != "cancelled" {
			t.Errorf("cancelled %+v, want state cancelled", cancelled)
		}
		api.post(base+"/"+strconv.FormatInt(second.ID, 10)+"/cancel", "").want(t, http.StatusConflict)

		// An opted-out contact cannot be scheduled for.
		if _, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-stop", apiContact, apiChannel, "STOP")); err != nil {
			t.Fatal(err)
		}
		ans := api.post(base, body).want(t, http.StatusForbidden)
		if code, _, _ := ans.errorOf(t); code != "opted_out" {
			t.Errorf("opted out: code %q, want opted_out", code)
		}
		if n := len(decodeAs[schedList](t, api.get(base).want(t, http.StatusOK)).Data); n != 0 {
			t.Errorf("after the refusal %d waiting, want 0", n)
		}
	})
}
