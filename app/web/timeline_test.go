package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// htmx sends an htmx request with the page's CSRF token, as htmx on a
// Parley page does.
func (b *browser) htmx(method, target string) page {
	b.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", b.csrf)
	return b.do(req)
}

func mustDoc(t testing.TB, p page) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// undelivered is a reply the carrier took and then reported undelivered
// with ErrorCode 30, in a thread of ts.
func undelivered(t *testing.T, ts *testServer) (inbox.Message, *inbox.Outbox) {
	t.Helper()
	ctx := context.Background()
	api := plivotest.NewAPI(t)
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: ts.store, Sender: sender, Log: slog.New(slog.DiscardHandler)})
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-1", apiContact, apiChannel, "is it ready?"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ts.svc.SendReply(ctx, inbox.User{ID: 1}, r.Conversation.ID, "Ready for pickup")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ob.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue=%d, %v", n, err)
	}
	uuid := api.Sends()[0].UUID
	for _, rep := range []inbox.DeliveryReport{
		{MessageUUID: uuid, Status: inbox.StatusSent, Sequence: 1},
		{MessageUUID: uuid, Status: inbox.StatusUndelivered, ErrorCode: "30", Sequence: 2},
	} {
		if _, err := ob.RecordDelivery(ctx, rep); err != nil {
			t.Fatal(err)
		}
	}
	m, err = ts.svc.FindMessage(ctx, m.ID)
	if err != nil || m.Status != inbox.StatusUndelivered {
		t.Fatalf("setup: %+v, %v; want undelivered", m, err)
	}
	return m, ob
}

func TestMessageTimelineFragment(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	m, _ := undelivered(t, ts)

	p := b.htmx(http.MethodGet, "/messages/"+itoa(m.ID)+"/timeline")
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Fatalf("timeline=%d, want a 200 fragment:\n%s", p.status, p.body)
	}
	doc := mustDoc(t, p)
	entries := doc.Find(`[data-testid="timeline-entry"]`)
	var statuses []string
	entries.Each(func(_ int, s *goquery.Selection) { statuses = append(statuses, s.AttrOr("data-status", "")) })
	if strings.Join(statuses, ",") != "queued,sent,undelivered" {
		t.Fatalf("timeline statuses=%v, want queued (Parley), sent, undelivered", statuses)
	}
	explained := strings.Join(strings.Fields(doc.Find(`[data-testid="timeline-error"]`).Text()), " ")
	if explained != "Error 30: "+plivo.ExplainErrorCode("30") {
		t.Fatalf("explained error=%q, want Plivo's code 30 in words", explained)
	}

	if p := b.htmx(http.MethodGet, "/messages/999999/timeline"); p.status != http.StatusNotFound {
		t.Fatalf("unknown message=%d, want 404", p.status)
	}
	if p := ts.browser(t).get("/messages/" + itoa(m.ID) + "/timeline"); p.status != http.StatusSeeOther {
		t.Fatalf("anonymous=%d, want a redirect to sign in", p.status)
	}
}

func TestMessageTimelineShowsParleysWords(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	ctx := context.Background()
	api := plivotest.NewAPI(t)
	api.SetMode(plivotest.BadRequest)
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: ts.store, Sender: sender, Log: slog.New(slog.DiscardHandler)})
	m, err := ts.svc.StartConversation(ctx, inbox.User{ID: 1}, apiContact, "", "refuse me")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ob.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	doc := mustDoc(t, b.htmx(http.MethodGet, "/messages/"+itoa(m.ID)+"/timeline"))
	got := doc.Find(`[data-testid="timeline-error-text"]`).Text()
	if !strings.Contains(got, "Plivo refused the message: "+plivotest.BadRequestText) {
		t.Fatalf("error text=%q, want Plivo's refusal in Parley's words", got)
	}
	if doc.Find(`[data-testid="timeline-empty"]`).Length() != 1 {
		t.Fatal("a refused message's timeline does not say the carrier sent no reports")
	}
}

func TestRetryFromTheThread(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	m, _ := undelivered(t, ts)

	thread := mustDoc(t, b.get("/conversations/"+itoa(m.ConversationID)))
	form := thread.Find("li#message-" + itoa(m.ID) + ` [data-testid="retry-form"]`)
	if form.Length() != 1 || form.AttrOr("hx-post", "") != "/messages/"+itoa(m.ID)+"/retry" {
		t.Fatalf("the undelivered bubble has %d retry forms, want one posting to its retry URL", form.Length())
	}

	before := ts.countMessages(t)
	p := b.htmx(http.MethodPost, "/messages/"+itoa(m.ID)+"/retry")
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Fatalf("retry=%d %s, want a 200 fragment", p.status, p.body)
	}
	if n := ts.countMessages(t); n != before+1 {
		t.Fatalf("messages=%d, want %d", n, before+1)
	}
	old, err := ts.svc.FindMessage(context.Background(), m.ID)
	if err != nil || old.RetriedAs == 0 {
		t.Fatalf("old message=%+v, %v; want it retried", old, err)
	}
	again, err := ts.svc.FindMessage(context.Background(), old.RetriedAs)
	if err != nil || again.Status != inbox.StatusQueued || again.Body != m.Body || again.ConversationID != m.ConversationID {
		t.Fatalf("new message=%+v, %v; want the same text queued in the same thread", again, err)
	}
	doc := mustDoc(t, p)
	oldLi := doc.Find("li#message-" + itoa(m.ID))
	if oldLi.AttrOr("hx-swap-oob", "") != "true" || oldLi.Find(`[data-testid="retried"]`).Length() != 1 || oldLi.Find(`[data-testid="retry-button"]`).Length() != 0 {
		t.Fatalf("old bubble in the answer does not show Retried out of band:\n%s", p.body)
	}
	appended := doc.Find(`[hx-swap-oob="beforeend:#messages-` + itoa(m.ConversationID) + `"] li#message-` + itoa(again.ID))
	if appended.Length() != 1 || appended.AttrOr("data-status", "") != "queued" {
		t.Fatalf("the answer does not append the new queued message:\n%s", p.body)
	}

	p = b.htmx(http.MethodPost, "/messages/"+itoa(m.ID)+"/retry")
	if p.status != http.StatusConflict || p.header.Get("HX-Retarget") != "#toasts" {
		t.Fatalf("second retry=%d (retarget %q), want 409 as a toast", p.status, p.header.Get("HX-Retarget"))
	}
	if n := ts.countMessages(t); n != before+1 {
		t.Fatalf("messages=%d after a refused retry, want %d", n, before+1)
	}

	// Without htmx, a retry is an ordinary form post that goes back to the
	// thread.
	other, _ := undelivered2(t, ts)
	form2 := b.post("/messages/"+itoa(other.ID)+"/retry", nil, true)
	if form2.status != http.StatusSeeOther || form2.location != "/conversations/"+itoa(other.ConversationID) {
		t.Fatalf("form retry=%d to %q, want 303 to the thread", form2.status, form2.location)
	}
}

// undelivered2 is a second failed reply, refused by the carrier, in a new
// thread.
func undelivered2(t *testing.T, ts *testServer) (inbox.Message, *inbox.Outbox) {
	t.Helper()
	ctx := context.Background()
	api := plivotest.NewAPI(t)
	api.SetMode(plivotest.BadRequest)
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: ts.store, Sender: sender, Log: slog.New(slog.DiscardHandler)})
	m, err := ts.svc.StartConversation(ctx, inbox.User{ID: 1}, "+14155550122", "", "second try")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ob.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	return m, ob
}

// A delivered report after undelivered (carriers do send them in that
// order) leaves the message delivered: both reports stay in its
// timeline, its bubble offers no Retry, and a retry is refused.
func TestDeliveredAfterUndeliveredIsDelivered(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	m, ob := undelivered(t, ts)
	ctx := context.Background()
	got, err := ob.RecordDelivery(ctx, inbox.DeliveryReport{MessageUUID: m.ProviderUUID, Status: inbox.StatusDelivered, ErrorCode: "000", Sequence: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != inbox.StatusDelivered || got.ErrorCode != "" {
		t.Fatalf("after delivered: status=%s error=%q, want delivered without an error", got.Status, got.ErrorCode)
	}

	doc := mustDoc(t, b.htmx(http.MethodGet, "/messages/"+itoa(m.ID)+"/timeline"))
	var statuses []string
	doc.Find(`[data-testid="timeline-entry"]`).Each(func(_ int, s *goquery.Selection) { statuses = append(statuses, s.AttrOr("data-status", "")) })
	if strings.Join(statuses, ",") != "queued,sent,undelivered,delivered" {
		t.Errorf("timeline statuses=%v, want queued, sent, undelivered, delivered", statuses)
	}

	bubble := mustDoc(t, b.get("/conversations/"+itoa(m.ConversationID))).Find("li#message-" + itoa(m.ID))
	if bubble.AttrOr("data-status", "") != "delivered" || bubble.Find(`[data-testid="retry-form"]`).Length() != 0 {
		t.Errorf("bubble status=%q with %d retry forms, want delivered and none",
			bubble.AttrOr("data-status", ""), bubble.Find(`[data-testid="retry-form"]`).Length())
	}
	before := ts.countMessages(t)
	if p := b.htmx(http.MethodPost, "/messages/"+itoa(m.ID)+"/retry"); p.status != http.StatusBadRequest {
		t.Errorf("retry of a delivered message=%d, want 400", p.status)
	}
	if n := ts.countMessages(t); n != before {
		t.Errorf("messages=%d after the refused retry, want %d", n, before)
	}

	// Undelivered arriving after delivered changes nothing but the timeline.
	if got, err := ob.RecordDelivery(ctx, inbox.DeliveryReport{MessageUUID: m.ProviderUUID, Status: inbox.StatusUndelivered, ErrorCode: "30", Sequence: 4}); err != nil || got.Status != inbox.StatusDelivered {
		t.Errorf("late undelivered: status=%s, %v; want delivered", got.Status, err)
	}
}
