package inbox

import (
	"context"
	"time"
)

// InboxNumber is a number connected on the Plivo screen: one of our
// inboxes beside those PLIVO_PHONE_NUMBER names.
type InboxNumber struct {
	Number  Number
	Name    string
	AddedAt time.Time
}

// InboxNumbers reads the connected numbers, oldest first.
type InboxNumbers interface {
	InboxNumbers(ctx context.Context) ([]InboxNumber, error)
}

// CarrierStore is what the Plivo screen keeps in the database.
type CarrierStore interface {
	InboxNumbers
	// SaveInboxNumber adds n, or renames it when it is there (keeping its
	// AddedAt).
	SaveInboxNumber(ctx context.Context, n InboxNumber) error
	// CarrierAppID is the application connect last used; "" for none.
	CarrierAppID(ctx context.Context) (string, error)
	SaveCarrierAppID(ctx context.Context, appID string, at time.Time) error
	// NumberHealth is each number's last inbound text and last delivery
	// report, and the webhooks refused since since, by reason.
	NumberHealth(ctx context.Context, numbers []Number) (map[Number]NumberHealth, error)
	WebhookRefusals(ctx context.Context, since time.Time) (map[string]int64, error)
}

// NumberHealth is what came in for one number lately.
type NumberHealth struct {
	// LastInboundAt is when its last inbound text arrived; zero for never.
	LastInboundAt time.Time
	// LastReport is the latest delivery report of its recent outbound
	// texts; LastReportAt is zero for none.
	LastReportStatus Status
	LastReportAt     time.Time
}

// Carrier is the Plivo screen's use cases: check the account, show where
// each number's texts go, connect picked numbers to this Parley.
type Carrier struct {
	account    CarrierAccount
	store      CarrierStore
	service    *Service
	messageURL string
	clock      Clock
}

// CarrierOptions configure a Carrier. MessageURL is PUBLIC_URL +
// /api/sms/webhook; Service gets its channels refreshed after a connect.
type CarrierOptions struct {
	Account    CarrierAccount
	Store      CarrierStore
	Service    *Service
	MessageURL string
	Clock      Clock
}

// NewCarrier returns the Plivo screen's use cases.
func NewCarrier(o CarrierOptions) *Carrier {
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	return &Carrier{account: o.Account, store: o.Store, service: o.Service, messageURL: o.MessageURL, clock: o.Clock}
}

// MessageURL is where Parley wants Plivo to post inbound texts.
func (c *Carrier) MessageURL() string { return c.messageURL }

// CarrierOverview is the Plivo screen: the account, its numbers and their
// routes, Parley's application and the health of our numbers.
type CarrierOverview struct {
	Account CarrierAccountInfo
	// AccountError says why the account could not be read (wrong
	// credentials, Plivo unreachable); the rest is then empty but Health.
	AccountError string
	Numbers      []CarrierNumberView
	// App is Parley's application, zero when there is none yet.
	App CarrierApp
	// URLMismatch is true when App posts somewhere else than MessageURL.
	URLMismatch bool
	MessageURL  string
	// Health is per inbox number (Service.Numbers), in that order.
	Health   []ChannelHealth
	Refusals map[string]int64
}

// CarrierNumberView is one account number as the screen lists it.
type CarrierNumberView struct {
	CarrierNumber
	Route   Route
	AppName string
	// Inbox is true when the number is one of Parley's inboxes;
	// InboxName is then its name ("" when it shows the number).
	Inbox     bool
	InboxName string
}

// ChannelHealth is one inbox number's recent traffic.
type ChannelHealth struct {
	Channel
	NumberHealth
}

// Overview reads the Plivo screen. Carrier failures land in AccountError
// so the admin still sees Parley's side.
//
// Errors: EFORBIDDEN for a non-admin; EUNAVAILABLE when the database fails.
func (c *Carrier) Overview(ctx context.Context, actor User) (CarrierOverview, error) {
	if !actor.IsAdmin() {
		return CarrierOverview{}, Errorf(EFORBIDDEN, "only admins can see the Plivo settings")
	}
	ov := CarrierOverview{MessageURL: c.messageURL}
	if err := c.health(ctx, &ov); err != nil {
		return CarrierOverview{}, err
	}
	numbers, apps, storedID, err := c.read(ctx)
	if err != nil {
		if ErrorCode(err) != EUNAUTHORIZED && ErrorCode(err) != EUNAVAILABLE {
			return CarrierOverview{}, err
		}
		ov.AccountError = ErrorMessage(err)
		return ov, nil
	}
	if ov.Account, err = c.account.Account(ctx); err != nil {
		ov.AccountError = ErrorMessage(err)
		return ov, nil
	}
	byID := make(map[string]CarrierApp, len(apps))
	for _, a := range apps {
		byID[a.ID] = a
	}
	ov.App = parleyApp(apps, byID, storedID, c.messageURL)
	ov.URLMismatch = ov.App.ID != "" && ov.App.MessageURL != c.messageURL
	ours := make(map[Number]bool)
	for _, n := range c.service.Numbers() {
		ours[n] = true
	}
	for _, n := range numbers {
		v := CarrierNumberView{CarrierNumber: n, Route: RouteOf(n, byID, c.messageURL), AppName: byID[n.AppID].Name, Inbox: ours[n.Number]}
		if name := c.service.ChannelName(n.Number); v.Inbox && name != n.Number.Display() {
			v.InboxName = name
		}
		ov.Numbers = append(ov.Numbers, v)
	}
	return ov, nil
}

func (c *Carrier) health(ctx context.Context, ov *CarrierOverview) error {
	channels := c.service.Channels()
	numbers := make([]Number, len(channels))
	for i, ch := range channels {
		numbers[i] = ch.Number
	}
	h, err := c.store.NumberHealth(ctx, numbers)
	if err != nil {
		return unavailable(err)
	}
	for _, ch := range channels {
		ov.Health = append(ov.Health, ChannelHealth{Channel: ch, NumberHealth: h[ch.Number]})
	}
	if ov.Refusals, err = c.store.WebhookRefusals(ctx, c.clock.Now().Add(-24*time.Hour)); err != nil {
		return unavailable(err)
	}
	return nil
}

// read fetches the account's numbers and applications and the stored
// application id.
func (c *Carrier) read(ctx context.Context) ([]CarrierNumber, []CarrierApp, string, error) {
	numbers, err := c.account.Numbers(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	apps, err := c.account.Applications(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	id, err := c.store.CarrierAppID(ctx)
	if err != nil {
		return nil, nil, "", unavailable(err)
	}
	return numbers, apps, id, nil
}

// PlanConnect works out what connecting picks would change, from the
// account as it is now, and changes nothing (see PlanConnect).
//
// Errors: EFORBIDDEN for a non-admin; EINVALID for bad picks;
// EUNAUTHORIZED or EUNAVAILABLE from the carrier; EUNAVAILABLE from the
// database.
func (c *Carrier) PlanConnect(ctx context.Context, actor User, picks []ConnectPick) (ConnectPlan, error) {
	if !actor.IsAdmin() {
		return ConnectPlan{}, Errorf(EFORBIDDEN, "only admins can connect numbers")
	}
	numbers, apps, storedID, err := c.read(ctx)
	if err != nil {
		return ConnectPlan{}, err
	}
	return PlanConnect(numbers, apps, storedID, c.messageURL, picks)
}

// Connect applies the plan for picks, worked out afresh: it creates or
// updates Parley's application, points each picked number that does not
// send here yet at it, and makes every picked number an inbox with its
// name. Numbers not picked are never sent a request. It is idempotent: a
// second run makes no carrier request. It stops at the first carrier
// failure; what was done stays done (and is kept as inboxes), so running
// it again finishes the job.
//
// Errors: those of PlanConnect; EUNAVAILABLE when the carrier answers a
// create with no application id.
func (c *Carrier) Connect(ctx context.Context, actor User, picks []ConnectPick) (ConnectPlan, error) {
	plan, err := c.PlanConnect(ctx, actor, picks)
	if err != nil {
		return ConnectPlan{}, err
	}
	now := c.clock.Now().UTC().Truncate(time.Microsecond)
	switch {
	case plan.CreateApp:
		id, err := c.account.CreateApplication(ctx, plan.App)
		if err != nil {
			return plan, err
		}
		if id == "" {
			return plan, Errorf(EUNAVAILABLE, "Plivo created no application; reload the screen before trying again")
		}
		plan.App.ID = id
	case plan.UpdateApp:
		if err := c.account.UpdateApplication(ctx, plan.App); err != nil {
			return plan, err
		}
	}
	if plan.App.ID != "" {
		if err := c.store.SaveCarrierAppID(ctx, plan.App.ID, now); err != nil {
			return plan, unavailable(err)
		}
	}
	linked := make(map[Number]bool, len(plan.Links))
	for _, l := range plan.Links {
		linked[l.Number] = true
	}
	// Numbers already sending here become inboxes first; each linked
	// one right after its link, so a failure part way keeps what was done.
	var errs []error
	for _, p := range plan.Inboxes {
		if !linked[p.Number] {
			errs = append(errs, c.saveInbox(ctx, p, now))
		}
	}
	for _, l := range plan.Links {
		if err := c.account.LinkNumber(ctx, l.Number, plan.App.ID); err != nil {
			errs = append(errs, err)
			break
		}
		for _, p := range plan.Inboxes {
			if p.Number == l.Number {
				errs = append(errs, c.saveInbox(ctx, p, now))
			}
		}
	}
	if err := c.service.RefreshChannels(ctx); err != nil {
		errs = append(errs, err)
	}
	for _, err := range errs {
		if err != nil {
			return plan, err // the first failure; later ones follow from it
		}
	}
	return plan, nil
}

func (c *Carrier) saveInbox(ctx context.Context, p ConnectPick, now time.Time) error {
	if err := c.store.SaveInboxNumber(ctx, InboxNumber{Number: p.Number, Name: p.Name, AddedAt: now}); err != nil {
		return unavailable(err)
	}
	return nil
}
