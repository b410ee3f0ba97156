package usecases_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

const messageURL = "https://sms.example.com/api/sms/webhook"

type carrierRig struct {
	api     *plivotest.API
	svc     *inbox.Service
	carrier *inbox.Carrier
	admin   inbox.User
	s       *store.Store
}

func newCarrierRig(t *testing.T, s *store.Store) *carrierRig {
	t.Helper()
	api := plivotest.NewAPI(t)
	account, err := plivo.NewAccount(plivo.AccountOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0), Numbers: []inbox.Number{channel}, InboxNumbers: s})
	return &carrierRig{
		api: api, svc: svc, s: s,
		carrier: inbox.NewCarrier(inbox.CarrierOptions{Account: account, Store: s, Service: svc, MessageURL: messageURL, Clock: inboxtest.NewClock(t0)}),
		admin:   storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin),
	}
}

func (r *carrierRig) mustConnect(t *testing.T, picks ...inbox.ConnectPick) inbox.ConnectPlan {
	t.Helper()
	plan, err := r.carrier.Connect(context.Background(), r.admin, picks)
	if err != nil {
		t.Fatalf("Connect(%v): %v", picks, err)
	}
	return plan
}

func TestConnectOnAFreshAccount(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newCarrierRig(t, s)
		r.api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", SMS: true})
		r.api.AddNumber(plivotest.Number{Number: "18445550111", Type: "tollfree", SMS: true})
		ctx := context.Background()
		picks := []inbox.ConnectPick{{Number: "+14155550100", Name: "Support"}}

		plan, err := r.carrier.PlanConnect(ctx, r.admin, picks)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.CreateApp || plan.App.Name != "Parley-sms-example-com" || len(plan.Links) != 1 || plan.Links[0].WasAppID != "" {
			t.Fatalf("plan=%+v, want: create Parley-sms-example-com, link one number that had none", plan)
		}
		if n := plivotest.Changes(r.api); n != 0 {
			t.Fatalf("the preview made %d changes, want 0", n)
		}

		plan = r.mustConnect(t, picks...)
		apps := r.api.Applications()
		if len(apps) != 1 || apps[0].MessageURL != messageURL || apps[0].MessageMethod != "POST" || apps[0].AppID != plan.App.ID {
			t.Fatalf("applications=%+v, want one posting to %s", apps, messageURL)
		}
		numbers := r.api.Numbers()
		if numbers[0].AppID != apps[0].AppID || numbers[1].AppID != "" {
			t.Errorf("app ids=%q, %q; want %q, \"\" (the toll-free one was not picked)", numbers[0].AppID, numbers[1].AppID, apps[0].AppID)
		}
		if got := plivotest.ChangedNumbers(r.api); !reflect.DeepEqual(got, []string{"14155550100"}) {
			t.Errorf("changed numbers=%v, want only 14155550100", got)
		}
		if got := r.svc.Channels(); !reflect.DeepEqual(got, []inbox.Channel{{Number: channel, Name: inbox.Number(channel).Display()}, {Number: "+14155550100", Name: "Support"}}) {
			t.Errorf("Channels=%+v, want the configured number then Support", got)
		}
		if id, _ := s.CarrierAppID(ctx); id != apps[0].AppID {
			t.Errorf("stored app id=%q, want %q", id, apps[0].AppID)
		}

		// Twice changes nothing on the carrier.
		before := plivotest.Changes(r.api)
		again := r.mustConnect(t, picks...)
		if again.CarrierChanges() != 0 || plivotest.Changes(r.api) != before {
			t.Errorf("second connect: plan %+v, %d more changes; want none", again, plivotest.Changes(r.api)-before)
		}

		ov, err := r.carrier.Overview(ctx, r.admin)
		if err != nil {
			t.Fatal(err)
		}
		routes := map[inbox.Number]inbox.Route{}
		for _, n := range ov.Numbers {
			routes[n.Number] = n.Route
		}
		if routes["+14155550100"] != inbox.RouteHere || routes["+18445550111"] != inbox.RouteNoURL || ov.URLMismatch {
			t.Errorf("routes=%v mismatch=%v, want here, no_url and no mismatch", routes, ov.URLMismatch)
		}
		if ov.Account.Name != "Parley Test Account" || ov.Account.CashCredits != "4.88860" || ov.Account.Subaccount {
			t.Errorf("account=%+v", ov.Account)
		}
	})
}

func TestConnectLeavesANumberPointingElsewhereUntilPicked(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newCarrierRig(t, s)
		old := r.api.AddApplication(plivotest.Application{AppName: "Old-helpdesk", MessageURL: "https://old.example.com/sms"})
		r.api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", SMS: true})
		r.api.AddNumber(plivotest.Number{Number: "14155550101", Type: "local", SMS: true, AppID: old})
		ctx := context.Background()

		ov, err := r.carrier.Overview(ctx, r.admin)
		if err != nil {
			t.Fatal(err)
		}
		if ov.Numbers[1].Route != inbox.RouteElsewhere || ov.Numbers[1].AppName != "Old-helpdesk" {
			t.Fatalf("number on another application=%+v, want elsewhere, Old-helpdesk", ov.Numbers[1])
		}

		r.mustConnect(t, inbox.ConnectPick{Number: "+14155550100"})
		if got := r.api.Numbers()[1].AppID; got != old {
			t.Fatalf("unpicked number's app=%q, want still %q", got, old)
		}
		if slices.Contains(plivotest.ChangedNumbers(r.api), "14155550101") {
			t.Fatal("the number left on another application was sent a change")
		}

		plan, err := r.carrier.PlanConnect(ctx, r.admin, []inbox.ConnectPick{{Number: "+14155550101", Name: "Sales"}})
		if err != nil {
			t.Fatal(err)
		}
		if plan.CreateApp || plan.UpdateApp || len(plan.Links) != 1 || plan.Links[0].WasAppName != "Old-helpdesk" {
			t.Fatalf("plan=%+v, want one link, was Old-helpdesk, and the existing application", plan)
		}
		r.mustConnect(t, inbox.ConnectPick{Number: "+14155550101", Name: "Sales"})
		if got, want := r.api.Numbers()[1].AppID, r.api.Numbers()[0].AppID; got != want {
			t.Errorf("picked number's app=%q, want Parley's %q", got, want)
		}
		if len(r.api.Applications()) != 2 {
			t.Errorf("applications=%d, want 2 (the old one is never touched)", len(r.api.Applications()))
		}
		if r.api.Applications()[0].MessageURL != "https://old.example.com/sms" {
			t.Error("the old application was changed")
		}
	})
}

func TestConnectUpdatesParleysApplicationWhenPublicURLChanged(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newCarrierRig(t, s)
		ours := r.api.AddApplication(plivotest.Application{AppName: "Parley-old-example-com", MessageURL: "https://old.example.com/api/sms/webhook"})
		r.api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", SMS: true, AppID: ours})
		if err := s.SaveCarrierAppID(context.Background(), ours, t0); err != nil {
			t.Fatal(err)
		}
		ov, err := r.carrier.Overview(context.Background(), r.admin)
		if err != nil {
			t.Fatal(err)
		}
		if !ov.URLMismatch || ov.App.MessageURL != "https://old.example.com/api/sms/webhook" {
			t.Fatalf("overview app=%+v mismatch=%v, want the mismatch shown", ov.App, ov.URLMismatch)
		}
		plan := r.mustConnect(t, inbox.ConnectPick{Number: "+14155550100"})
		if !plan.UpdateApp || len(plan.Links) != 0 || r.api.Applications()[0].MessageURL != messageURL {
			t.Errorf("plan=%+v, app=%+v; want the application updated and no number relinked", plan, r.api.Applications()[0])
		}
		if n := plivotest.ChangedNumbers(r.api); len(n) != 0 {
			t.Errorf("changed numbers=%v, want none", n)
		}
	})
}

func TestConnectRefusesBadPicksAndChangesNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newCarrierRig(t, s)
		r.api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", SMS: true})
		r.api.AddNumber(plivotest.Number{Number: "14155550102", Type: "local", SMS: false})
		long := string(make([]rune, 61))
		for _, picks := range [][]inbox.ConnectPick{
			nil,
			{{Number: "+14155550199"}}, // not on the account
			{{Number: "+14155550102"}}, // no SMS
			{{Number: "+14155550100"}, {Number: "+14155550100"}},
			{{Number: "+14155550100", Name: long}},
		} {
			_, err := r.carrier.Connect(context.Background(), r.admin, picks)
			if inbox.ErrorCode(err) != inbox.EINVALID {
				t.Errorf("Connect(%v)=%v, want %q", picks, err, inbox.EINVALID)
			}
		}
		agent := storetest.MustSaveUser(t, s, "agent@example.com", inbox.RoleAgent)
		if _, err := r.carrier.Connect(context.Background(), agent, []inbox.ConnectPick{{Number: "+14155550100"}}); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("agent Connect=%v, want %q", err, inbox.EFORBIDDEN)
		}
		if n := plivotest.Changes(r.api); n != 0 || len(r.svc.Channels()) != 1 {
			t.Errorf("%d carrier changes, %d inboxes; want 0 and the configured one", n, len(r.svc.Channels()))
		}
		if got, _ := s.InboxNumbers(context.Background()); len(got) != 0 {
			t.Errorf("inbox numbers=%v, want none", got)
		}
	})
}

func TestConnectWithWrongCredentialsSaysSo(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newCarrierRig(t, s)
		r.api.AuthToken = "not-the-token"
		ov, err := r.carrier.Overview(context.Background(), r.admin)
		if err != nil {
			t.Fatal(err)
		}
		if ov.AccountError == "" || len(ov.Numbers) != 0 || len(ov.Health) != 1 {
			t.Errorf("overview=%+v, want the credentials error, no numbers, and Parley's own inbox health", ov)
		}
		if _, err := r.carrier.Connect(context.Background(), r.admin, []inbox.ConnectPick{{Number: "+14155550100"}}); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("Connect=%v, want %q", err, inbox.EUNAUTHORIZED)
		}
	})
}

func TestInboxNumbersAcceptTextsAndSendReplies(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newCarrierRig(t, s)
		r.api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", SMS: true})
		r.mustConnect(t, inbox.ConnectPick{Number: "+14155550100", Name: "Support"})
		// Another instance sees it once it refreshes.
		other := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0), Numbers: []inbox.Number{channel}, InboxNumbers: s})
		if err := other.RefreshChannels(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := other.ChannelName("+14155550100"); got != "Support" {
			t.Fatalf("other instance's name for the number=%q, want Support", got)
		}
		rc := storetest.MustReceive(t, other, inboxtest.Inbound("in-db", contact, "+14155550100", "hello"))
		if rc.Conversation.ChannelNumber != "+14155550100" {
			t.Fatalf("conversation channel=%s, want +14155550100", rc.Conversation.ChannelNumber)
		}
		agent := storetest.MustSaveUser(t, s, "agent@example.com", inbox.RoleAgent)
		m, err := other.StartConversation(context.Background(), agent, "+14155550123", "+14155550100", "hi from support")
		if err != nil {
			t.Fatalf("start a conversation from the connected number: %v", err)
		}
		if m.From != "+14155550100" {
			t.Errorf("from=%s, want +14155550100", m.From)
		}
	})
}
