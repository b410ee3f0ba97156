package usecases_test

import "github.com/parleyhq/parley/app/store/storetest"

// The numbers and the time the tests here start from.
const (
	contact = storetest.Contact
	channel = storetest.Channel
)

var t0 = storetest.T0
