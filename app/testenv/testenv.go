// Package testenv names the test suites that need something outside the
// process (PostgreSQL, Redis, nginx, Chromium, the fault tests), skips them
// when it is missing, and at the end of a package's run prints one line
// saying what was skipped and how to turn it on. Imported only by tests.
//
// go test hides the output of a package that passes, so the line goes to
// the terminal (/dev/tty) when there is one, and to the test output with
// -v or when there is no terminal.
package testenv

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// A Suite is a group of tests that needs something outside the process.
type Suite struct {
	Name string // what the tests need, as people say it
	How  string // how to turn the suite on
}

// The suites that a plain go test ./... skips; CI runs them all.
var (
	Postgres = Suite{"PostgreSQL", "PARLEY_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'"}
	Redis    = Suite{"Redis", "PARLEY_TEST_REDIS_URL='redis://127.0.0.1:6379/0'"}
	Faults   = Suite{"fault", "PARLEY_TEST_FAULTS=1"}
	Nginx    = Suite{"nginx", "PARLEY_TEST_NGINX=1 with the PostgreSQL and Redis URLs"}
	Browser  = Suite{"Chromium", "apt-get install chromium, or CHROME_PATH"}
)

// URL returns the PostgreSQL or Redis test URL from the environment, or
// skips t (and counts the skip) when it is not set.
func URL(t testing.TB, s Suite) string {
	t.Helper()
	name, _, _ := strings.Cut(s.How, "=")
	v := os.Getenv(name)
	if v == "" {
		Skip(t, s)
	}
	return v
}

// Enabled reports whether a switch suite (Faults, Nginx) is on: its
// variable is set to 1.
func Enabled(s Suite) bool {
	name, _, _ := strings.Cut(s.How, "=")
	return os.Getenv(name) == "1"
}

// Skip skips t because s is not available, and counts it for the summary.
func Skip(t testing.TB, s Suite) {
	t.Helper()
	recorded.add(s)
	t.Skipf("the %s tests need %s", s.Name, s.How)
}

// Main runs the package's tests, prints the summary of what was skipped and
// returns the exit code for os.Exit.
func Main(m *testing.M) int {
	code := m.Run()
	line := recorded.summary(strings.TrimSuffix(filepath.Base(os.Args[0]), ".test"))
	if line == "" {
		return code
	}
	var w io.Writer = os.Stdout
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
	}
	fmt.Fprintln(w, line)
	return code
}

var recorded skips

// skips counts skipped tests by suite.
type skips struct {
	mu sync.Mutex
	n  map[Suite]int
}

func (s *skips) add(suite Suite) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == nil {
		s.n = map[Suite]int{}
	}
	s.n[suite]++
}

// summary is one line: the package, how many tests it skipped, and for each
// suite how to turn it on; empty when nothing was skipped.
func (s *skips) summary(pkg string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	var parts []string
	for suite, n := range s.n {
		total += n
		parts = append(parts, fmt.Sprintf("%d %s (%s)", n, suite.Name, suite.How))
	}
	if total == 0 {
		return ""
	}
	sort.Strings(parts)
	tests := "tests"
	if total == 1 {
		tests = "test"
	}
	return fmt.Sprintf("%s: skipped %d %s: %s", pkg, total, tests, strings.Join(parts, "; "))
}
