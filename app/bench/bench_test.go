package bench

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// developmentNumber is our number in a development Parley that names
// none (PLIVO_PHONE_NUMBER unset), as the benches' child servers run.
const developmentNumber = "+14155550199"

// built is the parley binary the tests start as the benches' child, built
// once per run.
var built struct {
	once      sync.Once
	dir, path string
	err       error
	out       []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// useParleyBinary builds the parley command and has the benches start it
// as their child server: the test binary has no serve command.
func useParleyBinary(t *testing.T) {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "parley-bench-test-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "parley")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, "github.com/parleyhq/parley/app").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	executable = func() (string, error) { return built.path, nil }
}

// startParley starts a Parley as the benches do, stopped when the test
// ends; maxStreams above 0 sets its per-user live stream limit.
func startParley(t *testing.T, maxStreams int) *server {
	t.Helper()
	useParleyBinary(t)
	srv, err := startServer(context.Background(), "", maxStreams, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.stop)
	return srv
}
