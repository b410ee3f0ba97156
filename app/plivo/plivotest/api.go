package plivotest

import (
	"testing"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

// API is the simulated Plivo Message API (simulator.API).
type API = simulator.API

// Mode is how the API answers a send (simulator.Mode).
type Mode = simulator.Mode

// Send is one request the API received (simulator.Send).
type Send = simulator.Send

// The simulator's credentials, modes and error texts, under the names
// tests use.
const (
	AuthID    = simulator.AuthID
	AuthToken = simulator.AuthToken

	Accept           = simulator.Accept
	BadRequest       = simulator.BadRequest
	Unauthorized     = simulator.Unauthorized
	RateLimited      = simulator.RateLimited
	ServerError      = simulator.ServerError
	EmptyServerError = simulator.EmptyServerError
	Hang             = simulator.Hang
	AcceptLost       = simulator.AcceptLost

	BadRequestText   = simulator.BadRequestText
	UnauthorizedText = simulator.UnauthorizedText
	RateLimitedText  = simulator.RateLimitedText
	ServerErrorText  = simulator.ServerErrorText
)

// NewAPI starts a simulated API on a loopback port that accepts every
// send, and closes it when the test ends.
func NewAPI(tb testing.TB) *API {
	tb.Helper()
	a, err := simulator.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(a.Close)
	return a
}
