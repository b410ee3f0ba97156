package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/parleyhq/parley/app/config"
)

const benchUsage = `Usage: parley bench ingest|live|outbox [flags]   (parley bench KIND -h lists the flags)

  ingest  signed inbound webhooks at a rate or at maximum; latency, errors by
          status, then checks every acknowledged MessageUUID is stored once;
          --ceiling also measures pgbench, redis-benchmark and a trivial Fiber
          handler in the same run and prints Parley's figure as a ratio of each
  live    SSE clients and webhooks at a rate; webhook-to-client latency and
          events lost
  outbox  replies queued through the outbox to the simulated carrier; sends
          per second and queued-to-sent latency

ingest and live start a Parley of their own as a child process unless given
--url; outbox runs an outbox in process against --database.
`

// bench runs one of the load tools.
// Progress goes to stdout, or to stderr when the result is printed as JSON.
func bench(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, benchUsage)
		return errUsage
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, cfg, args[1:], stdout, stderr)
	case "live":
		return benchLive(ctx, cfg, args[1:], stdout, stderr)
	case "outbox":
		return benchOutbox(ctx, cfg, args[1:], stdout, stderr)
	case "serve": // the child process the others start
		return benchServe(ctx, cfg, args[1:], stdout)
	}
	fmt.Fprint(stdout, benchUsage)
	return errUsage
}

// writeJSON prints v indented, for scripts.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
