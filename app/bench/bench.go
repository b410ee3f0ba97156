// Package bench holds Parley's load tools: bench ingest, bench live and
// bench outbox, behind one entry point, Run. ingest and live load a
// Parley over HTTP, starting one as a child process (this binary's serve
// command) unless given --url, so the server is measured apart from the
// load generator; outbox runs an outbox in process against a database.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

const usage = `Usage: parley bench ingest|live|outbox [flags]   (parley bench KIND -h lists the flags)

  ingest  signed inbound webhooks at a rate or at maximum; latency, errors by
          status, then checks every acknowledged MessageUUID is stored once;
          --ceiling also measures pgbench, redis-benchmark and a trivial Fiber
          handler in the same run and prints Parley's figure as a ratio of each
  live    SSE clients and webhooks at a rate; webhook-to-client latency and
          events lost; --ceiling also runs the same clients against a bare
          SSE fan-out pushing the same bytes, and Parley's webhooks with one
          client, and prints Parley's figures as multiples of them
  outbox  replies queued through the outbox to the simulated carrier; sends
          per second and queued-to-sent latency

ingest and live start a Parley of their own as a child process unless given
--url; outbox runs an outbox in process against --database.
`

var errUsage = errors.New("see parley help")

// Options are the settings the load tools take from Parley's
// configuration, for runs against a Parley given by --url.
type Options struct {
	// AuthToken signs the webhooks sent to --url (PLIVO_AUTH_TOKEN); empty
	// sends them unsigned.
	AuthToken string
	// Channel is our number, the one texts are sent to (PLIVO_PHONE_NUMBER,
	// or development's simulated number).
	Channel string
	// DatabaseURL is where bench ingest --url verifies what was stored,
	// unless --database says otherwise (DATABASE_URL).
	DatabaseURL string
}

// Run runs the load tool args name ("ingest", "live" or "outbox") with the
// flags that follow. Progress goes to stdout, or to stderr when the result
// is printed as JSON. It returns an error when the run fails or its check
// does: an acknowledged text not stored once, an event lost, a reply not
// sent once.
func Run(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errUsage
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, o, args[1:], stdout, stderr)
	case "live":
		return benchLive(ctx, o, args[1:], stdout, stderr)
	case "outbox":
		return benchOutbox(ctx, o, args[1:], stdout, stderr)
	case "live-fanout": // bench live --ceiling's child
		return runFanout(ctx, args[1:], stdout)
	}
	fmt.Fprint(stdout, usage)
	return errUsage
}

// writeJSON prints v indented, for scripts.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
