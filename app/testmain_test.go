package main

import (
	"os"
	"testing"

	"github.com/parleyhq/parley/app/testenv"
)

// runAsParley, set to 1 in its environment, makes this test binary behave
// as the parley binary: the README test runs its blocks against it.
const runAsParley = "PARLEY_TEST_RUN_AS_PARLEY"

func TestMain(m *testing.M) {
	if os.Getenv(runAsParley) == "1" {
		main()
		os.Exit(0)
	}
	code := testenv.Main(m)
	browserProfiles.sweep()
	os.Exit(code)
}
