package inbox

import (
	"context"
	"strings"
)

// CarrierAccount is the carrier's account API: who the credentials belong
// to, the account's numbers, and the applications that say where each
// number's texts go. It is the port the Plivo screen works through.
//
// Every method returns EUNAUTHORIZED when the carrier refuses the
// credentials and EUNAVAILABLE when it cannot be reached or answers with
// an error; messages never hold the credentials.
type CarrierAccount interface {
	Account(ctx context.Context) (CarrierAccountInfo, error)
	Numbers(ctx context.Context) ([]CarrierNumber, error)
	Applications(ctx context.Context) ([]CarrierApp, error)
	// CreateApplication creates app (its ID is ignored) and returns the
	// new application's ID.
	CreateApplication(ctx context.Context, app CarrierApp) (string, error)
	// UpdateApplication sets the name, message URL and method of the
	// application app.ID.
	UpdateApplication(ctx context.Context, app CarrierApp) error
	// LinkNumber points number n at the application appID.
	LinkNumber(ctx context.Context, n Number, appID string) error
}

// CarrierAccountInfo is what the carrier says about the credentials'
// account.
type CarrierAccountInfo struct {
	AuthID string
	Name   string
	// CashCredits is the balance as the carrier writes it ("4.88860", USD).
	CashCredits string
	// Type is "standard" (paid) or "developer" (trial).
	Type string
	// Subaccount is true for a subaccount's credentials.
	Subaccount bool
}

// NumberType is the kind of a carrier number.
type NumberType string

// Number types as the carrier names them.
const (
	NumberLongCode  NumberType = "long code"
	NumberTollFree  NumberType = "toll-free"
	NumberShortCode NumberType = "short code"
)

// CarrierNumber is one number on the carrier account.
type CarrierNumber struct {
	Number Number
	Type   NumberType
	// Country is the country the carrier names ("UNITED STATES"), or "".
	Country  string
	SMS, MMS bool
	// AppID is the application the number points at; "" for none.
	AppID string
	Alias string
}

// CarrierApp is an application on the carrier account: where the texts of
// the numbers linked to it are posted.
type CarrierApp struct {
	ID            string
	Name          string
	MessageURL    string
	MessageMethod string
}

// Route is where a number's inbound texts go, as the Plivo screen marks it.
type Route string

// Routes.
const (
	// RouteHere: the number's application posts to this Parley.
	RouteHere Route = "here"
	// RouteElsewhere: the application posts to some other URL.
	RouteElsewhere Route = "elsewhere"
	// RouteNoURL: no application, or one without a message URL.
	RouteNoURL Route = "no_url"
)

// RouteOf is where n's texts go, given the account's applications by ID
// and this Parley's webhook URL.
func RouteOf(n CarrierNumber, apps map[string]CarrierApp, messageURL string) Route {
	app, ok := apps[n.AppID]
	switch {
	case n.AppID == "" || !ok || strings.TrimSpace(app.MessageURL) == "":
		return RouteNoURL
	case app.MessageURL == messageURL && !strings.EqualFold(app.MessageMethod, "GET"):
		return RouteHere
	default:
		return RouteElsewhere
	}
}

// AppName is the name of the application Parley creates for the webhook
// URL messageURL: "Parley-" and the URL's host and path, with every
// character the carrier refuses in a name (it allows letters, digits,
// hyphens and underscores) made a hyphen.
func AppName(messageURL string) string {
	rest := messageURL
	if _, after, ok := strings.Cut(rest, "://"); ok {
		rest = after
	}
	rest = strings.TrimSuffix(rest, "/api/sms/webhook")
	var b strings.Builder
	b.WriteString("Parley-")
	for _, r := range rest {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return strings.TrimRight(b.String(), "-")
}
