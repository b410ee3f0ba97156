package usecases_test

import (
	"os"
	"testing"

	"github.com/parleyhq/parley/app/testenv"
)

// TestMain ends the run with one line naming the suites a plain go test
// skipped here and how to turn them on.
func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
