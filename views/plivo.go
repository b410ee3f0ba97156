package views

import (
	"sort"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SectionPlivo is the Settings → Plivo screen.
const SectionPlivo = "plivo"

// The Plivo screen's URLs.
const (
	PlivoURL         = "/settings/plivo"
	PlivoPreviewURL  = "/settings/plivo/preview"
	PlivoConnectURL  = "/settings/plivo/connect"
	PlivoTestTextURL = "/settings/plivo/test"
)

// PlivoProps is the Settings → Plivo screen.
type PlivoProps struct {
	Overview inbox.CarrierOverview
	// Picks are the numbers ticked, with the inbox names typed.
	Picks map[inbox.Number]string
	// Plan, when set, is the preview of a connect awaiting confirmation.
	Plan *inbox.ConnectPlan
	// Done, when set, is the connect just made.
	Done *inbox.ConnectPlan
	// Error says why a preview or connect was refused.
	Error string
	Test  TestTextDraft
}

// TestTextDraft is the "send a test text" form.
type TestTextDraft struct {
	To, From string
	Error    string
}

// routeLabel is how the screen words where a number's texts go.
func routeLabel(r inbox.Route) string {
	switch r {
	case inbox.RouteHere:
		return "Sending to this Parley"
	case inbox.RouteElsewhere:
		return "Sending elsewhere"
	}
	return "No message URL"
}

func routeClass(r inbox.Route) string {
	switch r {
	case inbox.RouteHere:
		return "bg-green-50 text-green-800 ring-green-600/20"
	case inbox.RouteElsewhere:
		return "bg-amber-50 text-amber-800 ring-amber-600/20"
	}
	return "bg-gray-100 text-gray-700 ring-gray-500/20"
}

// refusalReasons are the webhook refusals the screen names, in order,
// with their words.
var refusalReasons = []struct{ Key, Label string }{
	{"wrong", "Bad signature"},
	{"missing", "No signature"},
	{"replayed", "Replay"},
	{"downgraded", "Downgrade to V2"},
}

// otherRefusals are counts under reasons the screen does not name.
func otherRefusals(counts map[string]int64) []string {
	var out []string
	for k := range counts {
		known := false
		for _, r := range refusalReasons {
			known = known || r.Key == k
		}
		if !known {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// whenOrNever is how long ago t was ("just now", "5m ago", then the
// date), or "never" for a zero t.
func whenOrNever(now, t time.Time) string {
	switch label := RelativeTime(now, t); {
	case t.IsZero():
		return "never"
	case label == "now":
		return "just now"
	case now.Sub(t) < 7*24*time.Hour:
		return label + " ago"
	default:
		return label
	}
}

// capabilities is what a number can receive: "SMS, MMS", "SMS", ….
func capabilities(n inbox.CarrierNumber) string {
	switch {
	case n.SMS && n.MMS:
		return "SMS, MMS"
	case n.SMS:
		return "SMS"
	case n.MMS:
		return "MMS"
	}
	return "none"
}

func pickName(p PlivoProps, n inbox.Number, fallback string) string {
	if name, ok := p.Picks[n]; ok {
		return name
	}
	return fallback
}

func picked(p PlivoProps, n inbox.Number) bool {
	_, ok := p.Picks[n]
	return ok
}

func wasApp(l inbox.NumberLink) string {
	switch {
	case l.WasAppID == "":
		return "none"
	case l.WasAppName == "":
		return "application " + l.WasAppID
	}
	return l.WasAppName
}

// inboxNameOr is the number's inbox name, or its Plivo alias to start from.
func inboxNameOr(n inbox.CarrierNumberView) string {
	if n.InboxName != "" {
		return n.InboxName
	}
	return n.Alias
}
