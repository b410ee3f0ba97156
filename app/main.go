// Command parley is a self-hosted two-way SMS inbox for teams on Plivo.
//
//	parley [serve]   run the server (the default)
//	parley migrate   apply database migrations and exit
//	parley simulate  post a signed inbound text to a running Parley
//	parley bench-live  measure webhook-to-browser latency of the live feed
//	parley version   print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/parleyhq/parley/app/config"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

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
  bench-live measure the live feed: SSE clients, webhooks at a rate, latency
             (go run ./app bench-live --clients 1000 --rate 100 --duration 10s [--url URL --pid PID])
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
		fmt.Fprintf(stdout, "parley %s (commit %s, built %s)\n", version, commit, date)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "simulate", "seed", "bench-live":
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
	switch cmd {
	case "migrate":
		return migrate(ctx, cfg, stdout, stderr)
	case "simulate":
		return simulate(ctx, cfg, args, stdout)
	case "seed":
		return seed(ctx, cfg, args, stdout)
	case "bench-live":
		return benchLive(ctx, cfg, args, stdout)
	}
	return serve(ctx, cfg, stdout, stderr)
}

var errUsage = errors.New("see parley help")
