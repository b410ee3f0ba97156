package plivotest

import (
	"net/http"
	"strings"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

// Number, Application and AccountRequest are the simulated account's
// numbers, applications and request log (see simulator.API.AddNumber).
type (
	Number         = simulator.Number
	Application    = simulator.Application
	AccountRequest = simulator.AccountRequest
)

// ChangedNumbers lists, in order, the numbers (digits, no "+") the account
// API was asked to change: POST Number/{number}/.
func ChangedNumbers(a *API) []string {
	var out []string
	for _, r := range a.AccountRequests() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "Number/") {
			out = append(out, strings.Trim(strings.TrimPrefix(r.Path, "Number/"), "/"))
		}
	}
	return out
}

// Changes counts the account API requests that changed something (every
// POST), which a connect that has nothing to do must not make.
func Changes(a *API) int {
	n := 0
	for _, r := range a.AccountRequests() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}
