package inbox_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

const hookURL = "https://sms.example.com/api/sms/webhook"

func TestAppNameKeepsToWhatPlivoAllows(t *testing.T) {
	tests := map[string]string{
		"https://sms.example.com/api/sms/webhook":            "Parley-sms-example-com",
		"http://127.0.0.1:3000/api/sms/webhook":              "Parley-127-0-0-1-3000",
		"https://example.com/parley/api/sms/webhook":         "Parley-example-com-parley",
		"https://xn--mnchen-3ya.example/api/sms/webhook?x=1": "Parley-xn--mnchen-3ya-example-api-sms-webhook-x-1",
	}
	for in, want := range tests {
		if got := inbox.AppName(in); got != want {
			t.Errorf("AppName(%q)=%q, want %q", in, got, want)
		}
	}
}

func TestRouteOf(t *testing.T) {
	apps := map[string]inbox.CarrierApp{
		"here":  {ID: "here", MessageURL: hookURL, MessageMethod: "POST"},
		"get":   {ID: "get", MessageURL: hookURL, MessageMethod: "GET"},
		"other": {ID: "other", MessageURL: "https://old.example.com/sms"},
		"blank": {ID: "blank"},
	}
	tests := []struct {
		appID string
		want  inbox.Route
	}{
		{"here", inbox.RouteHere},
		{"get", inbox.RouteElsewhere}, // Parley takes POST alone
		{"other", inbox.RouteElsewhere},
		{"blank", inbox.RouteNoURL},
		{"", inbox.RouteNoURL},
		{"deleted", inbox.RouteNoURL},
	}
	for _, tt := range tests {
		if got := inbox.RouteOf(inbox.CarrierNumber{AppID: tt.appID}, apps, hookURL); got != tt.want {
			t.Errorf("RouteOf(app %q)=%s, want %s", tt.appID, got, tt.want)
		}
	}
}

func TestPlanConnect(t *testing.T) {
	numbers := []inbox.CarrierNumber{
		{Number: "+14155550100", SMS: true},
		{Number: "+14155550101", SMS: true, AppID: "old"},
		{Number: "+14155550102", SMS: true, AppID: "mine"},
		{Number: "+14155550103", SMS: true, AppID: "twin"},
	}
	old := inbox.CarrierApp{ID: "old", Name: "Old", MessageURL: "https://old.example.com/sms"}
	mine := inbox.CarrierApp{ID: "mine", Name: "Parley-sms-example-com", MessageURL: hookURL, MessageMethod: "POST"}
	twin := inbox.CarrierApp{ID: "twin", Name: "Hand-made", MessageURL: hookURL, MessageMethod: "POST"}
	pick := func(ns ...inbox.Number) []inbox.ConnectPick {
		var out []inbox.ConnectPick
		for _, n := range ns {
			out = append(out, inbox.ConnectPick{Number: n})
		}
		return out
	}
	t.Run("no application yet", func(t *testing.T) {
		p, err := inbox.PlanConnect(numbers, []inbox.CarrierApp{old}, "", hookURL, pick("+14155550100", "+14155550101"))
		if err != nil {
			t.Fatal(err)
		}
		if !p.CreateApp || p.App.MessageURL != hookURL || len(p.Links) != 2 || p.Links[1].WasAppName != "Old" || p.CarrierChanges() != 3 {
			t.Errorf("plan=%+v", p)
		}
	})
	t.Run("found by message URL, numbers already here left alone", func(t *testing.T) {
		p, err := inbox.PlanConnect(numbers, []inbox.CarrierApp{old, twin, mine}, "", hookURL, pick("+14155550102", "+14155550103", "+14155550100"))
		if err != nil {
			t.Fatal(err)
		}
		if p.CreateApp || p.UpdateApp || p.App.ID != "twin" || len(p.Links) != 1 || p.Links[0].Number != "+14155550100" || len(p.Inboxes) != 3 {
			t.Errorf("plan=%+v", p)
		}
	})
	t.Run("stored application posting elsewhere is updated", func(t *testing.T) {
		moved := mine
		moved.MessageURL = "https://before.example.com/api/sms/webhook"
		p, err := inbox.PlanConnect(numbers, []inbox.CarrierApp{old, moved}, "mine", hookURL, pick("+14155550102"))
		if err != nil {
			t.Fatal(err)
		}
		if !p.UpdateApp || p.WasMessageURL != moved.MessageURL || len(p.Links) != 0 || p.CarrierChanges() != 1 {
			t.Errorf("plan=%+v", p)
		}
	})
	t.Run("nothing to do", func(t *testing.T) {
		p, err := inbox.PlanConnect(numbers, []inbox.CarrierApp{mine}, "mine", hookURL, pick("+14155550102"))
		if err != nil || p.CarrierChanges() != 0 {
			t.Errorf("plan=%+v, %v; want no changes", p, err)
		}
	})
}
