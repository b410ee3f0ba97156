package inbox

import (
	"strings"
	"unicode/utf8"
)

// maxInboxName bounds an inbox's name; the inbox menu shows it whole.
const maxInboxName = 60

// ConnectPick is a number the admin picked to connect, with the name of
// the inbox it becomes ("" shows the number).
type ConnectPick struct {
	Number Number
	Name   string
}

// NumberLink is one number the connect will point at Parley's
// application, and the application it pointed at before.
type NumberLink struct {
	Number Number
	// WasAppID and WasAppName are the application it pointed at; both ""
	// for none.
	WasAppID, WasAppName string
}

// ConnectPlan is exactly what a connect changes on the carrier account and
// in Parley, worked out before anything is changed so the admin can read
// it first.
type ConnectPlan struct {
	// MessageURL is where the application will post: PUBLIC_URL +
	// /api/sms/webhook.
	MessageURL string
	// App is the application the picked numbers will point at; its ID is
	// "" when it is to be created.
	App       CarrierApp
	CreateApp bool
	// UpdateApp is true when App exists but posts elsewhere (WasMessageURL)
	// or by GET; the connect sets its message URL and method.
	UpdateApp     bool
	WasMessageURL string
	// Links are the picked numbers that do not send here yet, in the order
	// picked. Picked numbers already sending here are left alone.
	Links []NumberLink
	// Inboxes are all the picked numbers with their names: each becomes
	// (or stays) one of Parley's inboxes.
	Inboxes []ConnectPick
}

// CarrierChanges is how many carrier requests the plan makes: none means
// the account is already as the admin asked.
func (p ConnectPlan) CarrierChanges() int {
	n := len(p.Links)
	if p.CreateApp || p.UpdateApp {
		n++
	}
	return n
}

// PlanConnect works out the connect of picks to this Parley (messageURL)
// from the account's numbers and applications as they are now. Parley's
// application is the one with storedAppID, else the first posting to
// messageURL, else the one named AppName(messageURL); when none exists and
// a number needs linking, it is to be created. Numbers not picked never
// appear in the plan. It changes nothing.
//
// Errors: EINVALID when nothing is picked, a number is picked twice, is not
// on the account or cannot receive texts, or a name is over 60 characters.
func PlanConnect(numbers []CarrierNumber, apps []CarrierApp, storedAppID, messageURL string, picks []ConnectPick) (ConnectPlan, error) {
	if len(picks) == 0 {
		return ConnectPlan{}, FieldError("numbers", "pick at least one number to connect")
	}
	byNumber := make(map[Number]CarrierNumber, len(numbers))
	for _, n := range numbers {
		byNumber[n.Number] = n
	}
	byID := make(map[string]CarrierApp, len(apps))
	for _, a := range apps {
		byID[a.ID] = a
	}
	plan := ConnectPlan{MessageURL: messageURL, App: parleyApp(apps, byID, storedAppID, messageURL)}
	seen := make(map[Number]bool, len(picks))
	for _, p := range picks {
		n, ok := byNumber[p.Number]
		switch {
		case seen[p.Number]:
			return ConnectPlan{}, FieldError("numbers", "%s is picked twice", p.Number.Display())
		case !ok:
			return ConnectPlan{}, FieldError("numbers", "%s is not a number on this Plivo account", p.Number.Display())
		case !n.SMS:
			return ConnectPlan{}, FieldError("numbers", "%s cannot receive texts (SMS is not enabled on it)", p.Number.Display())
		}
		seen[p.Number] = true
		p.Name = strings.TrimSpace(p.Name)
		if utf8.RuneCountInString(p.Name) > maxInboxName {
			return ConnectPlan{}, FieldError("name", "the name of %s is over %d characters", p.Number.Display(), maxInboxName)
		}
		plan.Inboxes = append(plan.Inboxes, p)
		if plan.App.ID != "" && n.AppID == plan.App.ID {
			continue // sends here once App is right
		}
		if RouteOf(n, byID, messageURL) == RouteHere {
			continue // another application already posts here: leave it
		}
		plan.Links = append(plan.Links, NumberLink{Number: n.Number, WasAppID: n.AppID, WasAppName: byID[n.AppID].Name})
	}
	switch {
	case plan.App.ID == "" && len(plan.Links) > 0:
		plan.CreateApp = true
		plan.App = CarrierApp{Name: AppName(messageURL), MessageURL: messageURL, MessageMethod: "POST"}
	case plan.App.ID != "" && (plan.App.MessageURL != messageURL || strings.EqualFold(plan.App.MessageMethod, "GET")):
		plan.UpdateApp, plan.WasMessageURL = true, plan.App.MessageURL
		plan.App.MessageURL, plan.App.MessageMethod = messageURL, "POST"
	}
	return plan, nil
}

// parleyApp finds Parley's application among apps, or returns the zero
// CarrierApp.
func parleyApp(apps []CarrierApp, byID map[string]CarrierApp, storedID, messageURL string) CarrierApp {
	if a, ok := byID[storedID]; ok && storedID != "" {
		return a
	}
	for _, a := range apps {
		if a.MessageURL == messageURL {
			return a
		}
	}
	name := AppName(messageURL)
	for _, a := range apps {
		if a.Name == name {
			return a
		}
	}
	return CarrierApp{}
}
