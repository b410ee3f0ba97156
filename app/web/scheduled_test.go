package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// Send later from the composer: a preset in the agent's zone stores the
// reply and shows it at the end of the thread with the contact's time; a
// time in the past is refused with the reason, keeping the draft and the
// picked time; edit and cancel change the card, and a second cancel is a
// conflict.
func TestSendLaterFromTheComposer(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	// A Chicago number: the contact's zone is known.
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("sl-1", "+13125550100", "+14155550199", "can you text me tomorrow?"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Conversation.ID
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	base := "/conversations/" + itoa(id)

	thread := mustParseHTML(t, ana.htmxGet(base).body)
	if thread.Find(`[data-testid="send-later-menu"] [data-testid="send-later-choice"]`).Length() != 3 {
		t.Fatalf("send later presets=%d, want 3", thread.Find(`[data-testid="send-later-choice"]`).Length())
	}
	if got := thread.Find(`[data-testid="send-later-their-time"]`).Text(); !strings.Contains(got, "America/Chicago") {
		t.Errorf("their time=%q, want the contact's zone named", got)
	}

	p := ana.htmxPost(base+"/scheduled", url.Values{"text": {"Good morning!"}, "when": {"tomorrow9"}, "tz": {"Europe/Berlin"}})
	if p.status != http.StatusOK {
		t.Fatalf("schedule=%d:\n%.400s", p.status, p.body)
	}
	doc := mustParseHTML(t, p.body)
	if got := doc.Find(`#composer-text`).Text(); got != "" {
		t.Errorf("composer after scheduling=%q, want empty", got)
	}
	card := doc.Find(fmt.Sprintf(`#scheduled-%d[hx-swap-oob="true"] [data-testid="scheduled-message"]`, id))
	if card.Length() != 1 || card.Find(`[data-testid="scheduled-body"]`).Text() != "Good morning!" {
		t.Fatalf("scheduled cards out of band=%d, want the one:\n%.600s", card.Length(), p.body)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tomorrow := time.Now().In(berlin).AddDate(0, 0, 1)
	nine := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 9, 0, 0, 0, berlin)
	when := card.Find(`[data-testid="scheduled-when"]`).Text()
	if !strings.Contains(when, nine.Format("Mon 2 Jan, 15:04")) || !strings.Contains(when, "Europe/Berlin") {
		t.Errorf("when=%q, want %s Europe/Berlin", when, nine.Format("Mon 2 Jan, 15:04"))
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	if got := card.Find(`[data-testid="scheduled-their-time"]`).Text(); !strings.Contains(got, nine.In(chicago).Format("15:04")+" theirs (America/Chicago)") {
		t.Errorf("their time=%q, want %s theirs (America/Chicago)", got, nine.In(chicago).Format("15:04"))
	}
	list, err := ts.svc.ListScheduled(ctx, id)
	if err != nil || len(list) != 1 || !list[0].DueAt.Equal(nine) {
		t.Fatalf("stored=%+v err=%v, want one due %v", list, err, nine)
	}
	sm := list[0]

	// A past time is refused, keeping the draft and the picked time.
	past := time.Now().In(berlin).Add(-time.Hour).Format("2006-01-02T15:04")
	p = ana.htmxPost(base+"/scheduled", url.Values{"text": {"too late"}, "when": {"at"}, "send_at": {past}, "tz": {"Europe/Berlin"}})
	doc = mustParseHTML(t, p.body)
	if p.status != http.StatusUnprocessableEntity || doc.Find(`#composer-text`).Text() != "too late" ||
		!strings.Contains(doc.Find(`[data-testid="composer-error"]`).Text(), "has passed") ||
		doc.Find(`[data-testid="send-later-at"]`).AttrOr("value", "") != past {
		t.Fatalf("past time=%d error=%q draft=%q picked=%q, want 422 keeping both", p.status,
			doc.Find(`[data-testid="composer-error"]`).Text(), doc.Find(`#composer-text`).Text(), doc.Find(`[data-testid="send-later-at"]`).AttrOr("value", ""))
	}
	if list, _ := ts.svc.ListScheduled(ctx, id); len(list) != 1 {
		t.Fatalf("stored after a refusal=%d, want 1", len(list))
	}

	// The thread shows it at the end, after the messages.
	thread = mustParseHTML(t, ana.htmxGet(base).body)
	if thread.Find(`[data-testid="scheduled-list"] [data-testid="scheduled-message"]`).Length() != 1 {
		t.Fatal("thread shows no scheduled message")
	}

	// Edit: a new text and time; a bad time keeps the draft.
	later := time.Now().In(berlin).Add(48 * time.Hour).Truncate(time.Minute)
	p = ana.htmxPost("/scheduled/"+itoa(sm.ID), url.Values{"text": {"Good morning, edited"}, "send_at": {later.Format("2006-01-02T15:04")}, "tz": {"Europe/Berlin"}})
	doc = mustParseHTML(t, p.body)
	if p.status != http.StatusOK || doc.Find(`[data-testid="scheduled-body"]`).Text() != "Good morning, edited" {
		t.Fatalf("edit=%d:\n%.400s", p.status, p.body)
	}
	if got, _ := ts.svc.FindScheduled(ctx, sm.ID); !got.DueAt.Equal(later) || got.Body != "Good morning, edited" {
		t.Fatalf("after edit=%+v, want due %v with the new text", got, later)
	}
	p = ana.htmxPost("/scheduled/"+itoa(sm.ID), url.Values{"text": {"kept draft"}, "send_at": {"2020-01-01T09:00"}, "tz": {"Europe/Berlin"}})
	doc = mustParseHTML(t, p.body)
	if p.status != http.StatusUnprocessableEntity || doc.Find(`[data-testid="scheduled-edit-text"]`).Text() != "kept draft" ||
		doc.Find(`[data-testid="scheduled-edit-error"]`).Text() == "" {
		t.Fatalf("bad edit=%d:\n%.400s", p.status, p.body)
	}

	// Cancel takes it away; a second cancel is a conflict.
	if p := ana.htmxPost("/scheduled/"+itoa(sm.ID)+"/cancel", url.Values{}); p.status != http.StatusOK || strings.TrimSpace(p.body) != "" {
		t.Fatalf("cancel=%d %q, want 200 and nothing", p.status, p.body)
	}
	if p := ana.htmxPost("/scheduled/"+itoa(sm.ID)+"/cancel", url.Values{}); p.status != http.StatusConflict {
		t.Errorf("second cancel=%d, want 409", p.status)
	}
	if p := ana.htmxPost("/scheduled/"+itoa(sm.ID), url.Values{"text": {"x"}, "send_at": {later.Format("2006-01-02T15:04")}}); p.status != http.StatusConflict {
		t.Errorf("edit after cancel=%d, want 409", p.status)
	}
	if p := ana.post("/scheduled/"+itoa(sm.ID)+"/cancel", url.Values{}, false); p.status != http.StatusForbidden {
		t.Errorf("cancel without CSRF=%d, want 403", p.status)
	}
	if got, _ := ts.svc.FindScheduled(ctx, sm.ID); got.State != inbox.ScheduleCancelled {
		t.Errorf("state=%s, want cancelled", got.State)
	}
}

// Colleagues see a schedule appear and go: each change reaches every
// browser as the thread's scheduled list, out of band.
func TestEventsStreamSchedules(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	id, admin, _ := ls.mustTeamConversation(t, "sl-live-1", "Hello")
	s := ls.openStream(t, ls.client, "/events", "")

	sm, err := ls.svc.ScheduleReply(ctx, admin, id, inbox.Schedule{Text: "later on", DueAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	sel := fmt.Sprintf(`#scheduled-%d[hx-swap-oob="true"]`, id)
	doc := mustParseHTML(t, s.nextWith(t, fmt.Sprintf(`id="scheduled-message-%d"`, sm.ID)).data)
	if got := doc.Find(sel + ` [data-testid="scheduled-body"]`).Text(); got != "later on" {
		t.Fatalf("scheduled list out of band shows %q, want the message", got)
	}
	if _, err := ls.svc.CancelScheduled(ctx, admin, sm.ID); err != nil {
		t.Fatal(err)
	}
	doc = mustParseHTML(t, s.nextWith(t, fmt.Sprintf(`id="scheduled-%d"`, id)).data)
	if list := doc.Find(sel); list.Length() != 1 || list.Find(`[data-testid="scheduled-message"]`).Length() != 0 {
		t.Fatalf("after cancel: lists=%d cards=%d, want an empty list", list.Length(), list.Find(`[data-testid="scheduled-message"]`).Length())
	}
}
