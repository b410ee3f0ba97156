package plivo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

func mustAccount(tb testing.TB, api *plivotest.API, token string) *plivo.Account {
	tb.Helper()
	a, err := plivo.NewAccount(plivo.AccountOptions{AuthID: api.AuthID, AuthToken: token, BaseURL: api.URL + "/"})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestAccountReadsTheAccountThroughPlivoGo(t *testing.T) {
	api := plivotest.NewAPI(t)
	elsewhere := api.AddApplication(plivotest.Application{AppName: "Old-helpdesk", MessageURL: "https://old.example.com/sms"})
	api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", Region: "California, UNITED STATES", SMS: true, MMS: true, AppID: elsewhere})
	api.AddNumber(plivotest.Number{Number: "18445550111", Type: "tollfree", Region: "UNITED STATES", SMS: true})
	api.AddNumber(plivotest.Number{Number: "447700900123", Type: "mobile", Region: "London, UNITED KINGDOM", SMS: false})
	// Past one page (Plivo's limit is 20).
	for i := range 20 {
		api.AddNumber(plivotest.Number{Number: fmt.Sprintf("1415555%04d", 200+i), Type: "local", Region: "California, UNITED STATES", SMS: true})
	}
	a := mustAccount(t, api, api.AuthToken)
	ctx := context.Background()

	info, err := a.Account(ctx)
	if err != nil {
		t.Fatalf("Account: %v", err)
	}
	want := inbox.CarrierAccountInfo{AuthID: api.AuthID, Name: "Parley Test Account", CashCredits: "4.88860", Type: "standard"}
	if info != want {
		t.Errorf("Account = %+v, want %+v", info, want)
	}

	numbers, err := a.Numbers(ctx)
	if err != nil {
		t.Fatalf("Numbers: %v", err)
	}
	if len(numbers) != 23 {
		t.Fatalf("Numbers = %d numbers, want 23 (two pages)", len(numbers))
	}
	wantFirst := []inbox.CarrierNumber{
		{Number: "+14155550100", Type: inbox.NumberLongCode, Country: "UNITED STATES", SMS: true, MMS: true, AppID: elsewhere},
		{Number: "+18445550111", Type: inbox.NumberTollFree, Country: "UNITED STATES", SMS: true},
		{Number: "+447700900123", Type: inbox.NumberLongCode, Country: "UNITED KINGDOM"},
	}
	for i, w := range wantFirst {
		if numbers[i] != w {
			t.Errorf("Numbers[%d] = %+v, want %+v", i, numbers[i], w)
		}
	}

	apps, err := a.Applications(ctx)
	if err != nil {
		t.Fatalf("Applications: %v", err)
	}
	if len(apps) != 1 || apps[0].ID != elsewhere || apps[0].MessageURL != "https://old.example.com/sms" || apps[0].Name != "Old-helpdesk" {
		t.Errorf("Applications = %+v, want the one application", apps)
	}
}

func TestAccountChangesApplicationsAndNumbers(t *testing.T) {
	api := plivotest.NewAPI(t)
	api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", SMS: true})
	api.AddNumber(plivotest.Number{Number: "14155550101", Type: "local", SMS: true})
	a := mustAccount(t, api, api.AuthToken)
	ctx := context.Background()

	id, err := a.CreateApplication(ctx, inbox.CarrierApp{Name: "Parley-sms-example-com", MessageURL: "https://sms.example.com/api/sms/webhook", MessageMethod: "POST"})
	if err != nil || id == "" {
		t.Fatalf("CreateApplication = %q, %v; want an id", id, err)
	}
	if err := a.UpdateApplication(ctx, inbox.CarrierApp{ID: id, MessageURL: "https://new.example.com/api/sms/webhook", MessageMethod: "POST"}); err != nil {
		t.Fatalf("UpdateApplication: %v", err)
	}
	if err := a.LinkNumber(ctx, "+14155550101", id); err != nil {
		t.Fatalf("LinkNumber: %v", err)
	}
	apps := api.Applications()
	if len(apps) != 1 || apps[0].AppName != "Parley-sms-example-com" || apps[0].MessageURL != "https://new.example.com/api/sms/webhook" || apps[0].MessageMethod != "POST" {
		t.Errorf("applications = %+v, want one, updated", apps)
	}
	got := api.Numbers()
	if got[0].AppID != "" || got[1].AppID != id {
		t.Errorf("app ids = %q, %q; want \"\", %q", got[0].AppID, got[1].AppID, id)
	}
	if changed := plivotest.ChangedNumbers(api); len(changed) != 1 || changed[0] != "14155550101" {
		t.Errorf("changed numbers = %v, want [14155550101]", changed)
	}
}

func TestAccountWrongCredentialsSayWhichWithoutTheToken(t *testing.T) {
	api := plivotest.NewAPI(t)
	const wrong = "d3JvbmdfdG9rZW5fZm9yX3Rlc3RzX29ubHlfMDAx"
	a := mustAccount(t, api, wrong)
	ctx := context.Background()
	calls := map[string]func() error{
		"Account":      func() error { _, err := a.Account(ctx); return err },
		"Numbers":      func() error { _, err := a.Numbers(ctx); return err },
		"Applications": func() error { _, err := a.Applications(ctx); return err },
		"LinkNumber":   func() error { return a.LinkNumber(ctx, "+14155550100", "1") },
	}
	for name, call := range calls {
		err := call()
		if inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("%s: code = %q (%v), want %q", name, inbox.ErrorCode(err), err, inbox.EUNAUTHORIZED)
		}
		msg := inbox.ErrorMessage(err)
		if !strings.Contains(msg, "PLIVO_AUTH_TOKEN") || strings.Contains(err.Error(), wrong) {
			t.Errorf("%s: message %q should name PLIVO_AUTH_TOKEN and never hold the token", name, msg)
		}
	}
}

func TestAccountUnreachableIsUnavailable(t *testing.T) {
	api := plivotest.NewAPI(t)
	a := mustAccount(t, api, api.AuthToken)
	api.Close()
	_, err := a.Numbers(context.Background())
	if inbox.ErrorCode(err) != inbox.EUNAVAILABLE || strings.Contains(err.Error(), api.AuthID) {
		t.Errorf("Numbers on a closed API = %v, want %q without the auth ID", err, inbox.EUNAVAILABLE)
	}
}
