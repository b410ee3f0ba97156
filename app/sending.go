package main

import (
	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
)

// sendPace is how fast each number sends: by its kind unless SEND_PACE is
// off, with SEND_RATES overriding single numbers.
func sendPace(cfg config.Config) inbox.SendPace {
	pace := inbox.DefaultSendPace()
	if cfg.SendPaceOff {
		pace = inbox.SendPace{}
	}
	for n, rate := range cfg.SendRates {
		if pace.Rates == nil {
			pace.Rates = map[inbox.Number]float64{}
		}
		pace.Rates[inbox.Number(n)] = rate
	}
	return pace
}
