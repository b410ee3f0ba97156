package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
)

// writeKnownWeek writes, on a fixed clock, the known history that
// app/store/report_test.go checks figure by figure (docs/reports.md walks
// through it): New York, business hours Monday to Friday 9–17, the week of
// the spring 2026 clock change.
func writeKnownWeek(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	const channel = "+14155550199"
	clock := inboxtest.NewClock(time.Date(2026, 3, 1, 4, 30, 0, 0, ny))
	api := plivotest.NewAPI(t)
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL, CallbackURL: "https://sms.example.com/api/sms/delivery", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: s, Sender: sender, Clock: clock, Workers: 1, Log: slog.New(slog.DiscardHandler)})
	svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Numbers: []inbox.Number{channel}})
	ok := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]*inbox.User{}
	for _, u := range []inbox.User{
		{Email: "alice@example.com", Name: "Alice", Role: inbox.RoleAgent},
		{Email: "bob@example.com", Name: "Bob", Role: inbox.RoleAgent},
		{Email: "ada@example.com", Name: "Ada", Role: inbox.RoleAdmin},
	} {
		u.CreatedAt = clock.Now()
		if err := s.SaveUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		users[u.Name] = &u
	}
	alice, bob, admin := *users["Alice"], *users["Bob"], *users["Ada"]
	at := func(day, hh, mm int) { clock.Advance(time.Date(2026, 3, day, hh, mm, 0, 0, ny).Sub(clock.Now())) }
	text := func(from, body string) int64 {
		r, err := svc.Receive(ctx, inboxtest.Inbound(fmt.Sprintf("in-%s-%d", from, clock.Now().Unix()), from, channel, body))
		if err != nil {
			t.Fatal(err)
		}
		return r.Conversation.ID
	}
	answer := func(who inbox.User, id int64, status inbox.Status, code string) {
		m, err := svc.SendReply(ctx, who, id, "on it")
		if err != nil {
			t.Fatal(err)
		}
		ok(ob.SendDue(ctx))
		if status != "" {
			sent, err := s.FindOutboundMessage(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			ok(ob.RecordDelivery(ctx, inbox.DeliveryReport{MessageUUID: sent.ProviderUUID, Status: status, ErrorCode: code}))
		}
	}
	hours := inbox.DefaultBusinessHours()
	hours.TimeZone = "America/New_York"
	ok(svc.SaveBusinessHours(ctx, admin, hours))

	a := text("+14155550100", "where is my order?")
	ok(svc.AssignConversation(ctx, admin, a, alice.ID))
	at(2, 9, 30)
	answer(alice, a, "", "")
	at(2, 9, 40)
	ok(svc.SetConversationStatus(ctx, alice, a, "closed"))
	at(2, 10, 0)
	ok(svc.SetConversationStatus(ctx, alice, a, "open"))
	at(4, 10, 0)
	text("+14155550100", "one more thing")
	at(4, 10, 30)
	answer(alice, a, "", "")
	at(5, 16, 50)
	text("+14155550100", "the parcel is late")
	at(5, 17, 5)
	text("+14155550100", "hello?")
	at(5, 17, 30)
	ok(svc.AddNote(ctx, alice, a, "checking with the warehouse"))
	at(5, 20, 0)
	b := text("+14155550102", "HELP")
	at(5, 20, 45)
	answer(bob, b, inbox.StatusUndelivered, inbox.CarrierOptOutCode)
	at(5, 21, 0)
	ok(svc.SetConversationStatus(ctx, bob, b, "closed"))
	at(6, 9, 0)
	ok(svc.SetConversationStatus(ctx, alice, b, "open"))
	at(6, 9, 10)
	answer(alice, a, inbox.StatusDelivered, "")
	at(6, 9, 30)
	ok(svc.SetConversationStatus(ctx, alice, b, "closed"))
	at(7, 22, 0)
	f := text("+14155550106", "is anyone there")
	at(7, 23, 30)
	c := text("+14155550103", "my screen is broken")
	at(8, 3, 30)
	answer(bob, c, inbox.StatusFailed, "30")
	at(8, 4, 0)
	ok(svc.SetConversationStatus(ctx, bob, c, "closed"))
	at(8, 5, 0)
	ok(svc.SetConversationStatus(ctx, bob, c, "open"))
	ok(svc.AssignConversation(ctx, admin, c, bob.ID))
	at(8, 10, 0)
	text("+14155550106", "hello??")
	at(8, 11, 0)
	answer(alice, f, inbox.StatusDelivered, "")
	at(9, 9, 0)
	d := text("+14155550104", "STOP")
	at(9, 10, 0)
	e := text("+14155550105", "where is my refund")
	at(9, 10, 30)
	ok(svc.SnoozeConversation(ctx, alice, e, time.Hour))
	at(9, 11, 0)
	ok(svc.OptInByHand(ctx, admin, d, "asked us by phone to text again"))
}

// The reports screen on the known week: every headline figure, the first
// response table, the agents, delivery, consent, the heat map's table and
// the unanswered list, as the page shows them; then the same on a phone.
func TestBrowserReports(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "parley.db")
	writeKnownWeek(t, dsn)
	base := startParley(t, map[string]string{"DATABASE_URL": dsn})
	ctx := newBrowser(t)
	metric := func(name, value, before string) chromedp.Action {
		return tabPoll(`(() => { const m = document.querySelector('[data-testid="metric-` + name + `"]');
			return m && m.querySelector('[data-testid="metric-value"]').textContent.trim() === ` + jsString(value) + `
				&& m.querySelector('[data-testid="metric-before"]').textContent.trim() === ` + jsString("before: "+before) + ` })()`)
	}
	cells := func(sel, want string) chromedp.Action {
		return tabPoll(`[...document.querySelectorAll(` + jsString(sel+" td") + `)].map(td => td.textContent.trim()).join('|') === ` + jsString(want))
	}
	err := chromedp.Run(ctx, step("open the week's report from the header",
		emulation.SetDeviceMetricsOverride(1280, 800, 1, false),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Click(`[data-testid="app-header"] a[href="/reports"]`),
		chromedp.WaitVisible(`[data-testid="reports"]`),
		chromedp.Navigate(base+"/reports?range=custom&from=2026-03-05&to=2026-03-09"),
		chromedp.WaitVisible(`[data-testid="reports"]`),
		tabPoll(`document.querySelector('[data-testid="report-range"]').value === 'custom' && document.querySelector('[data-testid="report-from"]').value === '2026-03-05'`),
		tabText(`[data-testid="report-period"]`, "5 Mar – 9 Mar 2026"),
		tabText(`[data-testid="report-period"]`, "America/New_York"),
	), step("check the figures",
		metric("opened", "5", "1"),
		metric("received", "8", "2"),
		metric("sent", "6", "2"),
		metric("delivered", "33%", "0%"),
		metric("optouts", "2", "0"),
		cells(`[data-testid="frt-row-inside"]`, "Open hours|16 h 20 min|16 h 20 min|1"),
		cells(`[data-testid="frt-row-outside"]`, "Closed hours|3 h|12 h|3"),
		cells(`[data-testid="frt-row-prev-inside"]`, "Open hours, before|30 min|30 min|1"),
		cells(`[data-testid="frt-row-prev-outside"]`, "Closed hours, before|1 d 5 h|1 d 5 h|1"),
		cells(`[data-testid="report-agents"] tbody tr:nth-child(1)`, "Alice|2|2|12 h|1|1"),
		cells(`[data-testid="report-agents"] tbody tr:nth-child(2)`, "Bob|2|2|45 min|2|1"),
		cells(`[data-testid="resolution-row-current"]`, "This period|1 h|3 h 30 min|3"),
		cells(`[data-testid="resolution-row-previous"]`, "Before|1 d 5 h|1 d 5 h|1"),
		tabPoll(`[...document.querySelectorAll('[data-testid="chart-resolved"] [data-testid="series-table"] td')].map(td => td.textContent.trim()).join('|') === 'Thu 5|1|Fri 6|1|Sat 7|0|Sun 8|1|Mon 9|0'`),
		tabText(`[data-testid="report-resolution"]`, "recorded since"),
		cells(`[data-testid="delivery-table"]`, "Delivered|2|33%|Undelivered|1|17%|Failed|1|17%|Unconfirmed|2|33%"),
		cells(`[data-testid="consent-optouts"]`, "Opt-outs|1|1|0"),
		cells(`[data-testid="consent-optins"]`, "Opt-ins|0|0|1"),
		tabText(`[data-testid="report-errors"]`, "The contact opted out with the carrier"),
		tabCount(`[data-testid="report-unanswered-row"]`, 2),
		tabText(`[data-testid="report-unanswered"] li:nth-child(1)`, "+1 415-555-0104"),
		tabCount(`[data-testid="report-busiest-row"]`, 6),
		tabPoll(`[...document.querySelectorAll('[data-testid="heatmap-table"] tbody tr')].filter(tr => tr.querySelector('th').textContent === 'Thu')
			.map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent).join(''))[0] === '000000000000000011001000'`),
		tabPoll(`[...document.querySelectorAll('[data-testid="chart-received"] [data-testid="series-table"] td')].map(td => td.textContent.trim()).join('|') === 'Thu 5|3|Fri 6|0|Sat 7|2|Sun 8|1|Mon 9|2'`),
		tabPoll(`[...document.querySelectorAll('[data-testid="chart-optins"] [data-testid="series-table"] td')].map(td => td.textContent.trim()).join('|') === 'Thu 5|0|Fri 6|0|Sat 7|0|Sun 8|0|Mon 9|1'`),
		tabCount(`[data-testid="report-heatmap"] rect[data-open="true"]`, 5*8),
		screenshot("reports-laptop"),
		chromedp.ScrollIntoView(`[data-testid="report-heatmap"]`),
		screenshot("reports-heatmap"),
		chromedp.ScrollIntoView(`[data-testid="report-resolution"]`),
		screenshot("reports-resolution"),
	))
	if err != nil {
		t.Fatal(err)
	}
	var fits bool
	err = chromedp.Run(ctx, step("the same report on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Reload(),
		metric("received", "8", "2"),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= 390`, &fits),
		screenshot("reports-phone"),
		chromedp.ScrollIntoView(`[data-testid="report-resolution"]`),
		screenshot("reports-resolution-phone"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Fatal("on a phone the reports page is wider than the screen")
	}
}
