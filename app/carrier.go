package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/web"
)

// channelsRefresh is how often the inboxes connected on another instance
// are read: the same second the keyword rules and hours take.
const channelsRefresh = time.Second

// refusalsFlush is how often the webhook refusals counted in memory are
// added to the database.
const refusalsFlush = time.Minute

// newCarrier is the Settings → Plivo screen's use cases over Plivo's
// account API, or over the simulated carrier's in development; nil when
// there are no credentials.
func (m *Main) newCarrier(cfg config.Config, log *slog.Logger) (*inbox.Carrier, error) {
	o := plivo.AccountOptions{AuthID: cfg.PlivoAuthID, BaseURL: cfg.PlivoAPIURL}
	if len(cfg.PlivoAuthTokens) > 0 {
		o.AuthToken = cfg.PlivoAuthTokens[0]
	}
	if m.Carrier != nil {
		o.AuthID, o.AuthToken, o.BaseURL = m.Carrier.AuthID, m.Carrier.AuthToken, m.Carrier.URL+"/"
		seedSimulatedAccount(m.Carrier)
	}
	if o.AuthID == "" || o.AuthToken == "" {
		log.Info("no Plivo credentials: Settings → Plivo says so")
		return nil, nil
	}
	account, err := plivo.NewAccount(o)
	if err != nil {
		return nil, err
	}
	return inbox.NewCarrier(inbox.CarrierOptions{
		Account: account, Store: m.Store, Service: m.Inbox, MessageURL: cfg.PublicURL + web.WebhookPath,
	}), nil
}

// seedSimulatedAccount gives development's simulated account the number
// simulate texts by default and a toll-free one left on another
// application, so Settings → Plivo has something to connect.
func seedSimulatedAccount(api *simulator.API) {
	other := api.AddApplication(simulator.Application{AppName: "Old-helpdesk", MessageURL: "https://helpdesk.example.com/sms"})
	api.AddNumber(simulator.Number{Number: defaultSimulatedNumber, Type: "local", Region: "California, UNITED STATES", SMS: true, MMS: true})
	api.AddNumber(simulator.Number{Number: "+18445550111", Type: "tollfree", Region: "UNITED STATES", SMS: true, MMS: true, AppID: other})
}

// refreshChannels rereads the connected numbers every channelsRefresh,
// so a connect on another instance shows here within it.
func (m *Main) refreshChannels(ctx context.Context) {
	tick := time.NewTicker(channelsRefresh)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := m.Inbox.RefreshChannels(ctx); err != nil && ctx.Err() == nil {
			m.Log.Warn("refresh inboxes", "err", err)
		}
	}
}

// flushRefusals adds the webhook refusals counted in memory to the
// database every refusalsFlush, and once more as it stops.
func (m *Main) flushRefusals(ctx context.Context) {
	tick := time.NewTicker(refusalsFlush)
	defer tick.Stop()
	flush := func(ctx context.Context) {
		counts := m.refusals.Drain()
		if len(counts) == 0 {
			return
		}
		if err := m.Store.AddWebhookRefusals(ctx, time.Now(), counts); err != nil {
			m.refusals.Restore(counts)
			m.Log.Warn("record webhook refusals", "err", err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			stop, cancel := context.WithTimeout(context.Background(), time.Second)
			flush(stop)
			cancel()
			return
		case <-tick.C:
			flush(ctx)
		}
	}
}
