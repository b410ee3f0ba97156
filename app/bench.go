package main

import (
	"github.com/parleyhq/parley/app/bench"
	"github.com/parleyhq/parley/app/config"
)

// benchOptions hands the load tools what they share with the server's
// configuration: the token that signs webhooks, our number, the database.
func benchOptions(cfg config.Config) bench.Options {
	o := bench.Options{Channel: defaultSimulatedNumber, DatabaseURL: cfg.DatabaseURL}
	if len(cfg.PlivoPhoneNumbers) > 0 {
		o.Channel = cfg.PlivoPhoneNumbers[0]
	}
	if len(cfg.PlivoAuthTokens) > 0 {
		o.AuthToken = cfg.PlivoAuthTokens[0]
	}
	return o
}
