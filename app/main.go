// Command parley is a self-hosted two-way SMS inbox for teams on Plivo.
//
//	parley [serve]   run the server (the default)
//	parley migrate   apply database migrations and exit
//	parley simulate  post a signed inbound text to a running Parley
//	parley bench     load tools: ingest, live, outbox (bench-live: bench live)
//	parley healthcheck  exit 0 when the local server answers /healthz
//	parley version   print the version
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	// Business hours name IANA zones; the static image has no zoneinfo.
	_ "time/tzdata"

	"github.com/parleyhq/parley/app/bench"
	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=… -X main.date=…"
// (task build and the Dockerfile do). A plain go build or go install leaves
// version "dev"; commit and date then come from the VCS stamp Go embeds
// when there is one.
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

// buildInfo is the version, commit and build date, filling what -ldflags
// did not set from the binary's embedded VCS information.
func buildInfo() (v, c, d string) {
	v, c, d = version, commit, date
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v, c, d
	}
	dirty := false
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && c == "unknown" && s.Value != "":
			c = s.Value[:min(len(s.Value), 12)]
		case s.Key == "vcs.time" && d == "unknown" && s.Value != "":
			d = s.Value
		case s.Key == "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && commit == "unknown" && c != "unknown" {
		c += "-dirty"
	}
	return v, c, d
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		os.Exit(1)
	}
}

const usage = `Usage: parley [command] [flags]

Commands:
  serve      run Parley (the default)
  migrate    apply database migrations and exit
  simulate   post a signed inbound text to a running Parley and print its answer
  seed       fill the database with generated conversations (benchmarks, demos)
  bench      load tools with measured ceilings (go run ./app bench ingest|live|outbox -h);
             bench-live is bench live
  healthcheck  exit 0 if this machine's Parley answers GET /healthz, 1 if not
             (default http://127.0.0.1:$PORT/healthz; --url to choose; for
             container HEALTHCHECKs, where there is no curl)
  version    print version, commit and build date

Configuration comes from the environment (and a .env file in development);
see README.md.
`

// run is main without the process: tests call it with their own environment
// and writers.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		v, c, d := buildInfo()
		fmt.Fprintf(stdout, "parley %s (commit %s, built %s)\n", v, c, d)
		return nil
	case "healthcheck":
		return healthcheck(ctx, args, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "simulate", "seed", "bench", "bench-live":
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}

	lookup := getenv
	if getenv("PARLEY_ENV") != config.Production {
		var err error
		if lookup, err = config.WithDotEnv(".env", getenv); err != nil {
			return err
		}
	}
	cfg, err := config.Load(lookup)
	if err != nil {
		return err
	}
	if err := checkSendLimits(cfg); err != nil {
		return err
	}
	switch cmd {
	case "migrate":
		return migrate(ctx, cfg, stdout, stderr)
	case "simulate":
		return simulate(ctx, cfg, args, stdout)
	case "seed":
		return seed(ctx, cfg, args, stdout)
	case "bench":
		return bench.Run(ctx, benchOptions(cfg), args, stdout, stderr)
	case "bench-live":
		return bench.Run(ctx, benchOptions(cfg), append([]string{"live"}, args...), stdout, stderr)
	}
	return serve(ctx, cfg, stdout, stderr)
}

var errUsage = errors.New("see parley help")

// healthcheck asks the Parley on this machine for /healthz. It reads only
// PORT, not the whole configuration, so it works wherever the server's
// environment is only partly visible, and it ignores PUBLIC_URL: it checks
// this process's listener, not the proxy in front.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	port := 3000
	if p := strings.TrimSpace(getenv("PORT")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("PORT: must be a port number from 1 to 65535, got %q", p)
		}
		port = n
	}
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stdout)
	target := fs.String("url", fmt.Sprintf("http://127.0.0.1:%d/healthz", port), "the URL to GET")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s answered %s", *target, resp.Status)
	}
	fmt.Fprintf(stdout, "ok: GET %s answered %s\n", *target, resp.Status)
	return nil
}

// checkSendLimits refuses a day limit below the minute's once the inbox's
// defaults fill what is unset: config, which cannot see those defaults,
// compares only two limits that are both set.
func checkSendLimits(cfg config.Config) error {
	perMinute := cmp.Or(cfg.SendLimitPerMinute, inbox.DefaultSendsPerMinute)
	perDay := cmp.Or(cfg.SendLimitPerDay, inbox.DefaultSendsPerDay)
	if perDay < perMinute {
		return fmt.Errorf("config: SEND_LIMIT_PER_DAY: must be at least SEND_LIMIT_PER_MINUTE (%d), got %d", perMinute, perDay)
	}
	return nil
}
