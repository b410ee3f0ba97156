package usecases_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/app/webhooks"
)

// receiver is a webhook receiver over real HTTP that checks every request
// with the official Standard Webhooks library, and can be taken down.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string

	mu sync.Mutex
	// mode: "up" accepts, "500" answers an error, "drop" closes the
	// connection without an answer.
	mode     string
	attempts int
	accepted []inbox.WebhookPayload
	bodies   [][]byte
	ids      []string
	bad      []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t, mode: "up"}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	switch r.mode {
	case "500":
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	case "drop":
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	wh, err := standardwebhooks.NewWebhook(r.secret)
	if err != nil {
		r.bad = append(r.bad, "secret: "+err.Error())
		http.Error(w, "bad secret", http.StatusInternalServerError)
		return
	}
	if err := wh.Verify(body, req.Header); err != nil {
		r.bad = append(r.bad, "verify: "+err.Error())
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p inbox.WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		r.bad = append(r.bad, "json: "+err.Error())
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	r.accepted = append(r.accepted, p)
	r.bodies = append(r.bodies, body)
	r.ids = append(r.ids, req.Header.Get("webhook-id"))
	fmt.Fprint(w, `{"ok":true}`)
}

// acceptedBodies are the bytes of the accepted requests, in order.
func (r *receiver) acceptedBodies() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.bodies)
}

func (r *receiver) setMode(m string) {
	r.mu.Lock()
	r.mode = m
	r.mu.Unlock()
}

func (r *receiver) snapshot() (attempts int, accepted []inbox.WebhookPayload, ids, bad []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts, slices.Clone(r.accepted), slices.Clone(r.ids), slices.Clone(r.bad)
}

// webhookRig is a Service and a dispatcher over one store, on a clock
// that starts at the real time (the library refuses stale timestamps).
type webhookRig struct {
	svc   *inbox.Service
	hooks *inbox.WebhookFanout
	disp  *inbox.WebhookDispatcher
	clock *inboxtest.Clock
	admin inbox.User
}

func newWebhookRig(t *testing.T, s *store.Store, o inbox.WebhookDispatcherOptions) webhookRig {
	clock := inboxtest.NewClock(time.Now().UTC().Truncate(time.Second))
	hooks := inbox.NewWebhookFanout(0)
	svc := inbox.NewService(inbox.Options{
		Store: s, Users: s, Clock: clock, Publisher: &inboxtest.Publisher{},
		WebhookFanout: hooks, Webhooks: s,
	})
	o.Store, o.Webhooks, o.Clock, o.Log = s, s, clock, slog.New(slog.DiscardHandler)
	if o.Poster == nil {
		o.Poster = webhooks.NewClient(webhooks.Options{AllowPrivate: true, Timeout: 2 * time.Second})
	}
	if o.RetryBase == 0 {
		o.RetryBase, o.RetryCap = time.Second, 4*time.Second
	}
	o.ThreadURL = func(id int64) string { return fmt.Sprintf("https://sms.example.com/conversations/%d", id) }
	return webhookRig{svc: svc, hooks: hooks, disp: inbox.NewWebhookDispatcher(o), clock: clock, admin: storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)}
}

// round advances the clock past any backoff and delivers what is due.
func (r webhookRig) round(t *testing.T) int {
	t.Helper()
	r.clock.Advance(5 * time.Second)
	n, err := r.disp.DeliverDue(context.Background())
	if err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	return n
}

func TestWebhooksDeliverSignedInOrderThroughAnOutage(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{})
		rcv := newReceiver(t)
		ep, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{
			URL: rcv.srv.URL + "/hooks", Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived, inbox.WebhookConversationClosed},
		})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret

		// The receiver is down before the first text arrives.
		rcv.setMode("500")
		a, b := "+14155550101", "+14155550102"
		want := map[string][]string{}
		for i, from := range []string{a, b, a, a, b, a} {
			text := fmt.Sprintf("text %d from %s", i, from)
			storetest.MustReceive(t, rig.svc, inboxtest.Inbound(fmt.Sprintf("uuid-%d", i), from, channel, text))
			want[from] = append(want[from], text)
		}
		convA := storetest.MustReceive(t, rig.svc, inboxtest.Inbound("uuid-last", a, channel, "last from a")).Conversation
		want[a] = append(want[a], "last from a")
		if _, err := rig.svc.SetConversationStatus(ctx, rig.admin, convA.ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		want[a] = append(want[a], "closed")

		// While it answers 500, then drops connections, only the first
		// delivery of each conversation is tried: the later ones wait.
		for range 3 {
			if n := rig.round(t); n != 2 {
				t.Fatalf("a round during the outage attempted %d deliveries, want 2 (one per conversation)", n)
			}
		}
		rcv.setMode("drop")
		for range 2 {
			if n := rig.round(t); n != 2 {
				t.Fatalf("a round with connections dropped attempted %d, want 2", n)
			}
		}
		attempts, accepted, _, _ := rcv.snapshot()
		if attempts != 10 || len(accepted) != 0 {
			t.Fatalf("during the outage the receiver saw %d attempts and accepted %d, want 10 and 0", attempts, len(accepted))
		}
		log, err := s.WebhookDeliveries(ctx, ep.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		first := log[len(log)-1]
		if first.State != inbox.WebhookPending || first.Attempts != 5 || first.LastError == "" {
			t.Fatalf("first delivery after the outage = %+v, want pending with 5 attempts and the last error", first)
		}

		// The receiver comes back: everything arrives, nothing twice,
		// in order per conversation, every signature verified by the
		// official library.
		rcv.setMode("up")
		for range 20 {
			if rig.round(t) == 0 {
				break
			}
		}
		_, accepted, ids, bad := rcv.snapshot()
		if len(bad) > 0 {
			t.Fatalf("the receiver refused requests: %v", bad)
		}
		got := map[string][]string{}
		for _, p := range accepted {
			subject, err := p.Subject()
			if err != nil {
				t.Fatal(err)
			}
			c := string(subject.ContactNumber)
			switch p.Type {
			case inbox.WebhookMessageReceived:
				got[c] = append(got[c], subject.Message.Text)
			case inbox.WebhookConversationClosed:
				got[c] = append(got[c], "closed")
			default:
				t.Errorf("delivered %s, which the endpoint did not subscribe to", p.Type)
			}
		}
		for _, c := range []string{a, b} {
			if !slices.Equal(got[c], want[c]) {
				t.Errorf("conversation %s received %q, want %q", c, got[c], want[c])
			}
		}
		if len(ids) != 8 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 8 {
			t.Errorf("webhook-ids %v, want 8 distinct", ids)
		}
		log, _ = s.WebhookDeliveries(ctx, ep.ID, 100)
		for _, d := range log {
			if d.State != inbox.WebhookDelivered || d.LastStatus != 200 || d.LastResponse != `{"ok":true}` {
				t.Errorf("delivery %d: state %s status %d response %q, want delivered 200 with the answer", d.ID, d.State, d.LastStatus, d.LastResponse)
			}
		}

		// "Send again" queues the same payload under the same webhook-id.
		again, err := rig.svc.ResendWebhookDelivery(ctx, rig.admin, ep.ID, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		rig.round(t)
		_, accepted2, ids2, _ := rcv.snapshot()
		if len(accepted2) != 9 || ids2[8] != first.WebhookID() || again.WebhookID() != first.WebhookID() {
			t.Fatalf("after send again: %d accepted, last id %q, want 9 and %q", len(accepted2), ids2[len(ids2)-1], first.WebhookID())
		}
		if body := mustMessage(t, accepted2[8]).Text; body != want[a][0] {
			t.Errorf("sent again %q, want the first text's payload %q", body, want[a][0])
		}
	})
}

func TestWebhooksQueueNothingWithoutASubscriber(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{})
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u1", contact, channel, "hello"))
		var n int
		if err := s.DB().NewSelect().Table("webhook_deliveries").ColumnExpr("count(*)").Scan(ctx, &n); err != nil || n != 0 {
			t.Fatalf("with no endpoint, %d deliveries were queued (err %v), want 0", n, err)
		}
		// An endpoint for other events queues nothing for a text either.
		if _, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{URL: "https://hooks.example.com/x", Events: []inbox.WebhookEventType{inbox.WebhookContactOptedOut}}); err != nil {
			t.Fatal(err)
		}
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u2", contact, channel, "hello again"))
		if err := s.DB().NewSelect().Table("webhook_deliveries").ColumnExpr("count(*)").Scan(ctx, &n); err != nil || n != 0 {
			t.Fatalf("an endpoint not subscribed to texts got %d deliveries (err %v), want 0", n, err)
		}
		// STOP is an opt-out: now one delivery is queued, in the text's
		// transaction.
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u3", contact, channel, "STOP"))
		if err := s.DB().NewSelect().Table("webhook_deliveries").Where("type = ?", "contact.opted_out").ColumnExpr("count(*)").Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("STOP queued %d contact.opted_out deliveries (err %v), want 1", n, err)
		}
	})
}

func TestWebhooksPauseAFailingEndpointAndResume(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{PauseAfter: 20 * time.Second, PauseFailures: 3})
		rcv := newReceiver(t)
		ep, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{URL: rcv.srv.URL, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		rcv.setMode("500")
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u1", contact, channel, "one"))
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u2", contact, channel, "two"))
		for range 8 {
			rig.round(t)
		}
		ep, _ = s.FindWebhookEndpoint(ctx, ep.ID)
		if !ep.Paused() || ep.PauseReason == "" {
			t.Fatalf("after failing for long the endpoint is %+v, want paused with a reason", ep)
		}
		entries, _, err := rig.svc.AuditLog(ctx, rig.admin, 0)
		if err != nil || len(entries) == 0 || entries[0].Action != inbox.AuditWebhookPaused || entries[0].ActorID != 0 {
			t.Fatalf("audit log %+v err %v, want the pause by Parley first", entries, err)
		}
		attempts, _, _, _ := rcv.snapshot()
		if n := rig.round(t); n != 0 {
			t.Fatalf("a paused endpoint was attempted %d times", n)
		}
		rcv.setMode("up")
		if err := rig.svc.ResumeWebhookEndpoint(ctx, rig.admin, ep.ID); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			rig.round(t)
		}
		after, accepted, _, _ := rcv.snapshot()
		if after <= attempts || len(accepted) != 2 || mustMessage(t, accepted[0]).Text != "one" || mustMessage(t, accepted[1]).Text != "two" {
			t.Fatalf("after resuming: %d accepted (%+v), want one then two", len(accepted), accepted)
		}
	})
}

func TestWebhooksGiveUpAfterTheRetryWindow(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{RetryFor: 12 * time.Second, PauseFailures: 1000})
		rcv := newReceiver(t)
		ep, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{URL: rcv.srv.URL, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		rcv.setMode("500")
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u1", contact, channel, "one"))
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u2", contact, channel, "two"))
		// Rounds 5 s apart: the first text's third failure is past the
		// 12 s window, and the second text is tried in the same round.
		for range 4 {
			rig.round(t)
		}
		log, _ := s.WebhookDeliveries(ctx, ep.ID, 10)
		if log[1].State != inbox.WebhookFailed || log[0].State != inbox.WebhookPending {
			t.Fatalf("states %s, %s; want the first failed for good and the second still pending", log[1].State, log[0].State)
		}
		rcv.setMode("up")
		rig.round(t)
		_, accepted, _, _ := rcv.snapshot()
		if len(accepted) != 1 || mustMessage(t, accepted[0]).Text != "two" {
			t.Fatalf("accepted %+v, want the second text once the first gave up", accepted)
		}
	})
}

// acceptingSender is a carrier that takes every message.
type acceptingSender struct{ n int }

func (a *acceptingSender) Send(_ context.Context, m inbox.OutboundSMS) (string, error) {
	a.n++
	return fmt.Sprintf("uuid-out-%d", a.n), nil
}

// TestWebhooksAnnounceEveryKindOfChange drives each change an endpoint
// can subscribe to through the Service and the Outbox, and checks what
// the receiver gets, in order, with the payload naming what happened.
func TestWebhooksAnnounceEveryKindOfChange(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{})
		rcv := newReceiver(t)
		ep, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{URL: rcv.srv.URL, Events: inbox.WebhookEventTypes})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		ob := inbox.NewOutbox(inbox.OutboxOptions{Store: s, Sender: &acceptingSender{}, Clock: rig.clock, WebhookFanout: rig.hooks})

		conv := storetest.MustReceive(t, rig.svc, inboxtest.Inbound("in-1", contact, channel, "is it ready?")).Conversation
		reply, err := rig.svc.SendReply(ctx, rig.admin, conv.ID, "Ready for pickup")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := ob.SendDue(ctx); n != 1 || err != nil {
			t.Fatalf("SendDue = %d, %v", n, err)
		}
		if _, err := ob.RecordDelivery(ctx, inbox.DeliveryReport{MessageID: reply.ID, MessageUUID: "uuid-out-1", Status: inbox.StatusDelivered, Sequence: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := rig.svc.AssignConversation(ctx, rig.admin, conv.ID, rig.admin.ID); err != nil {
			t.Fatal(err)
		}
		label, err := rig.svc.SaveLabel(ctx, rig.admin, inbox.Label{Name: "VIP", Color: "amber"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rig.svc.SetConversationLabel(ctx, rig.admin, conv.ID, label.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := rig.svc.SetConversationStatus(ctx, rig.admin, conv.ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := rig.svc.SetConversationStatus(ctx, rig.admin, conv.ID, inbox.ConversationOpen); err != nil {
			t.Fatal(err)
		}
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("in-2", contact, channel, "STOP"))
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("in-3", contact, channel, "START"))
		for range 5 {
			rig.round(t)
		}

		_, accepted, _, bad := rcv.snapshot()
		if len(bad) > 0 {
			t.Fatalf("the receiver refused: %v", bad)
		}
		var got []string
		for _, p := range accepted {
			line := string(p.Type)
			var convID int64
			switch p.Type.Resource() {
			case "message":
				m := mustMessage(t, p)
				line += " " + m.Status + " " + m.Text
				convID = m.ConversationID
			case "conversation":
				var c inbox.WebhookConversationData
				mustDecode(t, p.Data, &c)
				line += " " + c.Change.Kind + " " + c.Change.Detail
				convID = c.ID
			case "contact":
				var c inbox.WebhookContactData
				mustDecode(t, p.Data, &c)
				line += " " + c.Change.Kind + " " + c.Change.Detail
				convID = c.ConversationID
				if c.Number != contact {
					t.Errorf("%s names contact %q, want %q", p.Type, c.Number, contact)
				}
			}
			got = append(got, strings.TrimSpace(line))
			if convID != conv.ID || p.ThreadURL == "" {
				t.Errorf("%s names conversation %d with thread %q, want %d with its thread URL", p.Type, convID, p.ThreadURL, conv.ID)
			}
		}
		want := []string{
			"message.received received is it ready?",
			"message.sent sent Ready for pickup",
			"message.status delivered Ready for pickup",
			"conversation.assigned assigned",
			"conversation.labelled labeled VIP",
			"conversation.closed closed",
			"conversation.opened reopened",
			"message.received received STOP",
			"contact.opted_out opted_out STOP",
			"message.received received START",
			"contact.opted_in opted_in START",
		}
		if !slices.Equal(got, want) {
			t.Errorf("the receiver got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, body := range rcv.acceptedBodies() {
			if err := validateWebhookPayload(t, body); err != nil {
				t.Errorf("payload does not match the OpenAPI document: %v\n%s", err, body)
			}
		}
	})
}

// TestWebhooksRefusePrivateURLsWhenSaved: with the production guard, an
// endpoint on loopback, a private range or the metadata address is
// refused with the reason, and nothing is saved.
func TestWebhooksRefusePrivateURLsWhenSaved(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Webhooks: s, WebhookFanout: inbox.NewWebhookFanout(0), CheckWebhookURL: webhooks.Guard{}.CheckURL})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		for _, u := range []string{"http://127.0.0.1:9000/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data/", "https://10.0.0.8/x", "http://[::1]/x"} {
			_, err := svc.SaveWebhookEndpoint(ctx, admin, inbox.WebhookEndpoint{URL: u, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
			if inbox.ErrorCode(err) != inbox.EINVALID || inbox.ErrorField(err) != "url" || !strings.Contains(inbox.ErrorMessage(err), "private") {
				t.Errorf("save %s: %v, want EINVALID on url naming the private address", u, err)
			}
		}
		if eps, _ := s.WebhookEndpoints(ctx); len(eps) != 0 {
			t.Fatalf("refused URLs saved %d endpoints", len(eps))
		}
	})
}

// TestWebhooksRotateWithADayOfGrace: after a rotation both secrets sign
// for a day, so a receiver still on the old one keeps verifying; after the
// day only the new one does.
func TestWebhooksRotateWithADayOfGrace(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{})
		type request struct {
			body   []byte
			header http.Header
		}
		var mu sync.Mutex
		var got []request
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			got = append(got, request{body, r.Header.Clone()})
			mu.Unlock()
		}))
		defer srv.Close()
		ep, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{URL: srv.URL, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
		if err != nil {
			t.Fatal(err)
		}
		old := ep.Secret
		rotated, err := rig.svc.RotateWebhookSecret(ctx, rig.admin, ep.ID)
		if err != nil || rotated.Secret == old || !strings.HasPrefix(rotated.Secret, "whsec_") {
			t.Fatalf("rotate = %+v, %v; want a new secret", rotated, err)
		}
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u1", contact, channel, "during the grace"))
		rig.round(t)
		rig.clock.Advance(inbox.WebhookRotationGrace)
		storetest.MustReceive(t, rig.svc, inboxtest.Inbound("u2", contact, channel, "after the grace"))
		rig.round(t)

		mu.Lock()
		defer mu.Unlock()
		if len(got) != 2 {
			t.Fatalf("receiver got %d requests, want 2", len(got))
		}
		verify := func(secret string, r request) error {
			wh, err := standardwebhooks.NewWebhook(secret)
			if err != nil {
				return err
			}
			// The clock moved a day ahead of the library's, so the
			// timestamp's freshness is not what this test checks.
			return wh.VerifyIgnoringTimestamp(r.body, r.header)
		}
		if err := verify(old, got[0]); err != nil {
			t.Errorf("during the grace the old secret does not verify: %v", err)
		}
		if err := verify(rotated.Secret, got[0]); err != nil {
			t.Errorf("during the grace the new secret does not verify: %v", err)
		}
		if err := verify(old, got[1]); err == nil {
			t.Error("after the grace the old secret still verifies")
		}
		if err := verify(rotated.Secret, got[1]); err != nil {
			t.Errorf("after the grace the new secret does not verify: %v", err)
		}
	})
}
