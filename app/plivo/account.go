package plivo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	plivo "github.com/plivo/plivo-go/v7"

	"github.com/parleyhq/parley/app/inbox"
)

// maxPages bounds a listing: 50 pages of 20 is a thousand numbers.
const maxPages = 50

// AccountOptions configure an Account: the same credentials and API URL as
// the Sender's.
type AccountOptions struct {
	AuthID, AuthToken string
	// BaseURL is the API's scheme and host; DefaultAPIURL unless set.
	BaseURL string
	// Timeout bounds one request; 10 s unless set.
	Timeout   time.Duration
	Transport http.RoundTripper
}

// Account is Plivo's account API (account, numbers, applications) through
// plivo-go: inbox.CarrierAccount. It is safe for concurrent use.
type Account struct {
	opts AccountOptions
	base *url.URL
}

var _ inbox.CarrierAccount = (*Account)(nil)

// NewAccount checks o and returns an Account.
//
// Errors: a plain error naming the missing or malformed option.
func NewAccount(o AccountOptions) (*Account, error) {
	if o.AuthID == "" || o.AuthToken == "" {
		return nil, errors.New("plivo: account needs an auth ID and an auth token")
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultAPIURL
	}
	base, err := url.Parse(o.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("plivo: API URL %q is not an http(s) URL", o.BaseURL)
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &Account{opts: o, base: base}, nil
}

// call runs do with a plivo-go client of its own whose requests carry ctx
// and go to the API URL, and turns the outcome into inbox errors.
func (a *Account) call(ctx context.Context, what string, do func(*plivo.Client) error) error {
	ctx, cancel := context.WithTimeout(ctx, a.opts.Timeout)
	defer cancel()
	rec := &recorder{ctx: ctx, next: rehost{base: a.base, next: a.opts.Transport}}
	client, err := plivo.NewClient(a.opts.AuthID, a.opts.AuthToken, &plivo.ClientOptions{HttpClient: &http.Client{
		Transport:     rec,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}})
	if err != nil {
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "the Plivo client could not be built", Err: err}
	}
	base := *a.base
	client.BaseUrl = &base
	err = do(client)
	switch {
	case rec.status == 0:
		// Not err itself: a *url.Error's URL holds the auth ID.
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "Plivo could not be reached to " + what}
	case rec.status == http.StatusUnauthorized || rec.status == http.StatusForbidden:
		return inbox.Errorf(inbox.EUNAUTHORIZED, "Plivo refused the credentials (HTTP %d): check PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN", rec.status)
	case rec.status/100 != 2:
		return inbox.Errorf(inbox.EUNAVAILABLE, "Plivo could not %s: %s", what, answerText(rec.status, rec.body))
	case err != nil:
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "Plivo's answer to " + what + " could not be read", Err: err}
	}
	return nil
}

// Account implements inbox.CarrierAccount: GET /Account/{auth_id}/.
func (a *Account) Account(ctx context.Context) (inbox.CarrierAccountInfo, error) {
	var got *plivo.Account
	err := a.call(ctx, "read the account", func(c *plivo.Client) (err error) {
		got, err = c.Accounts.Get()
		return err
	})
	if err != nil {
		return inbox.CarrierAccountInfo{}, err
	}
	id := got.AuthID
	if id == "" {
		id = a.opts.AuthID
	}
	return inbox.CarrierAccountInfo{
		AuthID: id, Name: got.Name, CashCredits: got.CashCredits, Type: got.AccountType,
		// Plivo names no field for it; subaccount auth IDs start SA, main
		// accounts' MA.
		Subaccount: strings.HasPrefix(a.opts.AuthID, "SA"),
	}, nil
}

// numberPage is one page of GET /Number/. plivo-go's Number has no
// region, which is where Plivo names the country, so the page is decoded
// here (through plivo-go's own request).
type numberPage struct {
	Meta struct {
		Next *string `json:"next"`
	} `json:"meta"`
	Objects []struct {
		plivo.Number
		Region string `json:"region"`
	} `json:"objects"`
}

// Numbers implements inbox.CarrierAccount: every page of GET /Number/.
// Numbers Plivo writes in a way that is not a phone number are skipped.
func (a *Account) Numbers(ctx context.Context) ([]inbox.CarrierNumber, error) {
	var out []inbox.CarrierNumber
	for pageNo := 0; pageNo < maxPages; pageNo++ {
		var p numberPage
		err := a.call(ctx, "list the numbers", func(c *plivo.Client) error {
			req, err := c.NewRequest("GET", plivo.NumberListParams{Limit: 20, Offset: int64(pageNo * 20)}, "Number")
			if err != nil {
				return err
			}
			return c.ExecuteRequest(req, &p)
		})
		if err != nil {
			return nil, err
		}
		for _, o := range p.Objects {
			n, err := inbox.ParseCarrierNumber(o.Number.Number)
			if err != nil || !n.IsE164() {
				continue
			}
			out = append(out, inbox.CarrierNumber{
				Number: n, Type: numberType(o.NumberType), Country: country(o.Region),
				SMS: o.SMSEnabled, MMS: o.MMSEnabled, AppID: lastSegment(o.Application), Alias: o.Alias,
			})
		}
		if p.Meta.Next == nil || len(p.Objects) == 0 {
			return out, nil
		}
	}
	return out, nil
}

// Applications implements inbox.CarrierAccount: every page of GET
// /Application/.
func (a *Account) Applications(ctx context.Context) ([]inbox.CarrierApp, error) {
	var out []inbox.CarrierApp
	for pageNo := 0; pageNo < maxPages; pageNo++ {
		var list *plivo.ApplicationList
		err := a.call(ctx, "list the applications", func(c *plivo.Client) (err error) {
			list, err = c.Applications.List(plivo.ApplicationListParams{Limit: 20, Offset: pageNo * 20})
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, app := range list.Objects {
			out = append(out, inbox.CarrierApp{ID: app.AppID, Name: app.AppName, MessageURL: app.MessageURL, MessageMethod: app.MessageMethod})
		}
		if list.Meta.Next == nil || len(list.Objects) == 0 {
			return out, nil
		}
	}
	return out, nil
}

// CreateApplication implements inbox.CarrierAccount: POST /Application/.
func (a *Account) CreateApplication(ctx context.Context, app inbox.CarrierApp) (string, error) {
	var got *plivo.ApplicationCreateResponseBody
	err := a.call(ctx, "create the application", func(c *plivo.Client) (err error) {
		got, err = c.Applications.Create(plivo.ApplicationCreateParams{
			AppName: app.Name, MessageURL: app.MessageURL, MessageMethod: app.MessageMethod,
		})
		return err
	})
	if err != nil {
		return "", err
	}
	return got.AppID, nil
}

// UpdateApplication implements inbox.CarrierAccount: POST
// /Application/{id}/ with the message URL and method.
func (a *Account) UpdateApplication(ctx context.Context, app inbox.CarrierApp) error {
	return a.call(ctx, "update the application", func(c *plivo.Client) error {
		_, err := c.Applications.Update(app.ID, plivo.ApplicationUpdateParams{
			MessageURL: app.MessageURL, MessageMethod: app.MessageMethod,
		})
		return err
	})
}

// LinkNumber implements inbox.CarrierAccount: POST /Number/{number}/ with
// app_id (always sent: without it Plivo would link the default app).
func (a *Account) LinkNumber(ctx context.Context, n inbox.Number, appID string) error {
	return a.call(ctx, "link "+n.Display(), func(c *plivo.Client) error {
		_, err := c.Numbers.Update(n.Carrier(), plivo.NumberUpdateParams{AppID: appID})
		return err
	})
}

// numberType maps Plivo's number_type ("local", "mobile", "tollfree",
// "shortcode", …) to the screen's three kinds.
func numberType(t string) inbox.NumberType {
	switch strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(t)) {
	case "tollfree":
		return inbox.NumberTollFree
	case "shortcode":
		return inbox.NumberShortCode
	}
	return inbox.NumberLongCode
}

// country is the part of Plivo's region after its last comma
// ("Florida, UNITED STATES" is "UNITED STATES").
func country(region string) string {
	if i := strings.LastIndex(region, ","); i >= 0 {
		return strings.TrimSpace(region[i+1:])
	}
	return strings.TrimSpace(region)
}

// lastSegment is the id at the end of a resource URI
// ("/v1/Account/MA…/Application/2998…/" is "2998…").
func lastSegment(uri string) string {
	parts := strings.Split(strings.Trim(uri, "/"), "/")
	return parts[len(parts)-1]
}

// rehost sends every request to the API URL: plivo-go sends application
// requests to api.plivo.com whatever its BaseUrl says.
type rehost struct {
	base *url.URL
	next http.RoundTripper
}

func (r rehost) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != r.base.Host || req.URL.Scheme != r.base.Scheme {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host, req.Host = r.base.Scheme, r.base.Host, r.base.Host
	}
	return r.next.RoundTrip(req)
}
