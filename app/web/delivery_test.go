package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

const (
	dlrPublicURL = "https://parley.example.com"
	dlrURL       = dlrPublicURL + "/api/sms/delivery"
	dlrToken     = "ZGVsaXZlcnlfcmVwb3J0X3Rva2VuX2Zvcl90ZXN0cw"
	dlrContact   = "+14155550100"
	dlrChannel   = "+14155550199"
)

// deliveryServer is the web app with an outbox, over a real SQLite store
// and the fake Plivo API.
type deliveryServer struct {
	app    *fiber.App
	store  *store.Store
	svc    *inbox.Service
	outbox *inbox.Outbox
	api    *plivotest.API
	convID int64
}

func newDeliveryServer(tb testing.TB) *deliveryServer {
	tb.Helper()
	ctx := context.Background()
	s := mustOpenStore(tb, filepath.Join(tb.TempDir(), "parley.db"))
	api := plivotest.NewAPI(tb)
	sender, err := plivo.NewSender(plivo.SenderOptions{
		AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL, CallbackURL: dlrURL,
	})
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: s, Sender: sender, Log: log})
	svc := inbox.NewService(inbox.Options{Store: s, Users: s, Numbers: []inbox.Number{dlrChannel}})
	a, err := auth.New(auth.Options{PublicURL: dlrPublicURL, Secret: "a-delivery-test-secret-that-is-long-enough"})
	if err != nil {
		tb.Fatal(err)
	}
	app := web.NewServer(web.Deps{
		Inbox: svc, Outbox: ob,
		Checks: []web.Check{{Name: "database", Required: true, Probe: s.Ping}},
	}, web.Options{PublicURL: dlrPublicURL, PlivoAuthTokens: []string{dlrToken}, Log: log, Auth: a, Webhooks: s})
	r, err := svc.Receive(ctx, inboxtest.Inbound("dlr-in-1", dlrContact, dlrChannel, "my parcel?"))
	if err != nil {
		tb.Fatal(err)
	}
	return &deliveryServer{app: app, store: s, svc: svc, outbox: ob, api: api, convID: r.Conversation.ID}
}

// MustSent queues a reply and sends it to the fake API.
func (ds *deliveryServer) MustSent(tb testing.TB, text string) inbox.Message {
	tb.Helper()
	ctx := context.Background()
	m, err := ds.svc.SendReply(ctx, inbox.User{Role: inbox.RoleAgent}, ds.convID, text)
	if err != nil {
		tb.Fatal(err)
	}
	if n, err := ds.outbox.SendDue(ctx); err != nil || n != 1 {
		tb.Fatalf("SendDue=%d, %v; want 1", n, err)
	}
	return ds.MustFind(tb, m.ID)
}

func (ds *deliveryServer) MustFind(tb testing.TB, id int64) inbox.Message {
	tb.Helper()
	m, err := ds.store.FindOutboundMessage(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func (ds *deliveryServer) MustDo(tb testing.TB, req *http.Request) (int, string) {
	tb.Helper()
	resp, err := ds.app.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func report(uuid, status, seq string) url.Values {
	n, _ := strconv.Atoi(seq)
	return simulator.DeliveryForm(simulator.Send{UUID: uuid, Src: "14155550199", Dst: "14155550100", Type: "sms"}, status, n, "")
}

func TestDeliveryReportEndpoint(t *testing.T) {
	ds := newDeliveryServer(t)
	m := ds.MustSent(t, "on its way")
	tests := []struct {
		name   string
		req    *http.Request
		status int
		want   inbox.Status
	}{
		{"signed sent", plivotest.SignedRequest(dlrToken, dlrURL, http.MethodPost, report(m.ProviderUUID, "sent", "1")), 200, inbox.StatusSent},
		{"signed delivered", plivotest.SignedRequest(dlrToken, dlrURL, http.MethodPost, report(m.ProviderUUID, "delivered", "2")), 200, inbox.StatusDelivered},
		{"late sent changes nothing", plivotest.SignedRequest(dlrToken, dlrURL, http.MethodGet, report(m.ProviderUUID, "sent", "1")), 200, inbox.StatusDelivered},
		{"bad signature", plivotest.SignedRequest("not-the-token", dlrURL, http.MethodPost, report(m.ProviderUUID, "undelivered", "3")), 403, inbox.StatusDelivered},
		{"unknown uuid", plivotest.SignedRequest(dlrToken, dlrURL, http.MethodPost, report("00000000-0000-0000-0000-000000000000", "delivered", "2")), 200, inbox.StatusDelivered},
		{"missing status", plivotest.SignedRequest(dlrToken, dlrURL, http.MethodPost, func() url.Values {
			f := report(m.ProviderUUID, "", "4")
			f.Del("Status")
			return f
		}()), 400, inbox.StatusDelivered},
		{"bad ref", plivotest.SignedRequest(dlrToken, dlrURL+"?ref=abc", http.MethodPost, report(m.ProviderUUID, "undelivered", "5")), 400, inbox.StatusDelivered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := ds.MustDo(t, tt.req)
			if status != tt.status {
				t.Fatalf("status=%d body=%s, want %d", status, body, tt.status)
			}
			if got := ds.MustFind(t, m.ID).Status; got != tt.want {
				t.Fatalf("message status=%s, want %s", got, tt.want)
			}
		})
	}
	events, err := ds.store.MessageEvents(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("timeline=%d events, want 2 (the repeated sent is a duplicate)", len(events))
	}
}

func TestDeliveryReportByRefForAnXMLReply(t *testing.T) {
	ds := newDeliveryServer(t)
	r, err := ds.svc.Receive(context.Background(), inboxtest.Inbound("dlr-in-2", dlrContact, dlrChannel, "HELLO"))
	if err != nil || r.Reply == nil {
		t.Fatalf("receive: reply=%v err=%v, want an automatic reply", r.Reply, err)
	}
	callback := dlrURL + "?ref=" + strconv.FormatInt(r.Reply.ID, 10)
	status, body := ds.MustDo(t, plivotest.SignedRequest(dlrToken, callback, http.MethodPost, report("xml-reply-uuid", "queued", "1")))
	if status != http.StatusOK {
		t.Fatalf("status=%d body=%s, want 200", status, body)
	}
	got := ds.MustFind(t, r.Reply.ID)
	if got.ProviderUUID != "xml-reply-uuid" || got.Status != inbox.StatusSent {
		t.Fatalf("reply uuid=%q status=%s, want the UUID learned and sent", got.ProviderUUID, got.Status)
	}
}

func TestDeliveryReportStoreDown(t *testing.T) {
	ds := newDeliveryServer(t)
	m := ds.MustSent(t, "before the outage")
	ds.store.Close()
	status, body := ds.MustDo(t, plivotest.SignedRequest(dlrToken, dlrURL, http.MethodPost, report(m.ProviderUUID, "delivered", "2")))
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status=%d body=%s, want 503 so Plivo retries", status, body)
	}
}

// TestDeliveryLoopWithTheFakeCarrier runs the app on a real listener and
// lets the fake API post its signed reports back, as Plivo would.
func TestDeliveryLoopWithTheFakeCarrier(t *testing.T) {
	ds := newDeliveryServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ds.app.Listener(ln)
	t.Cleanup(func() { ds.app.Shutdown() })
	ds.api.DeliverTo("http://"+ln.Addr().String(), dlrToken)

	m := ds.MustSent(t, "round trip")
	if failures := ds.api.WaitReports(); len(failures) != 0 {
		t.Fatalf("reports failed: %v", failures)
	}
	got := ds.MustFind(t, m.ID)
	if got.Status != inbox.StatusDelivered || got.ProviderUUID != ds.api.Sends()[0].UUID {
		t.Fatalf("status=%s uuid=%q, want delivered with the API's UUID", got.Status, got.ProviderUUID)
	}
	events, err := ds.store.MessageEvents(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Status != "sent" || events[1].Status != "delivered" {
		t.Fatalf("timeline=%+v, want sent then delivered", events)
	}
}

// A V2 signature does not cover the query, so a V2-only report cannot pick
// its message by ?ref= (guessable): only by MessageUUID. One that names no
// known MessageUUID is refused, and the message named by ref is untouched.
func TestDeliveryReportV2OnlyCannotSelectByRef(t *testing.T) {
	ds := newDeliveryServer(t)
	r, err := ds.svc.Receive(context.Background(), inboxtest.Inbound("dlr-in-v2", dlrContact, dlrChannel, "HELLO"))
	if err != nil || r.Reply == nil {
		t.Fatalf("receive: reply=%v err=%v, want an automatic reply", r.Reply, err)
	}
	callback := dlrURL + "?ref=" + strconv.FormatInt(r.Reply.ID, 10)
	req := plivotest.SignedRequest(dlrToken, callback, http.MethodPost, report("forged-uuid", "undelivered", "1"))
	for _, h := range []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3} {
		req.Header.Del(h)
	}
	status, body := ds.MustDo(t, req)
	if status != http.StatusForbidden || !strings.Contains(body, "ref") {
		t.Fatalf("status=%d body=%q, want 403 saying a V2 signature cannot name the message by ref", status, body)
	}
	got := ds.MustFind(t, r.Reply.ID)
	if got.ProviderUUID != "" || got.Status == inbox.StatusUndelivered {
		t.Fatalf("reply uuid=%q status=%s, want it untouched", got.ProviderUUID, got.Status)
	}
	// The same account's V2-only report that names a known MessageUUID
	// still counts.
	m := ds.MustSent(t, "on its way")
	req = plivotest.SignedRequest(dlrToken, dlrURL+"?ref=999999", http.MethodPost, report(m.ProviderUUID, "delivered", "1"))
	for _, h := range []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3} {
		req.Header.Del(h)
	}
	if status, body := ds.MustDo(t, req); status != http.StatusOK {
		t.Fatalf("V2-only report by MessageUUID: status=%d body=%s, want 200", status, body)
	}
	if got := ds.MustFind(t, m.ID).Status; got != inbox.StatusDelivered {
		t.Fatalf("status=%s, want delivered", got)
	}
}
