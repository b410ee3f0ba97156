package bench

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/parleyhq/parley/app/store"
)

// pgbenchIngest is Parley's ingest transaction as the statements it sends
// for one plain inbound text (captured from PostgreSQL's statement log; see
// BENCHMARKS.md).
//
//go:embed ingest.pgbench.sql
var pgbenchIngest []byte

// ceilingOptions say where and how hard to measure the ceilings.
type ceilingOptions struct {
	dsn      string // PostgreSQL for pgbench; SQLite skips it
	redis    string // host:port for redis-benchmark
	workers  int
	duration time.Duration
}

// ceiling is one measured upper bound.
type ceiling struct {
	Name    string  `json:"name"`
	Command string  `json:"command"`
	Rate    float64 `json:"rate_per_s"`
	P99Ms   float64 `json:"p99_ms,omitempty"` // not reported by pgbench
	Skipped string  `json:"skipped,omitempty"`
}

// measureCeilings runs each ceiling in turn, on the same machine and with
// the same concurrency as the ingest run that follows.
func measureCeilings(ctx context.Context, o ceilingOptions, progress io.Writer) ([]ceiling, error) {
	var out []ceiling
	fmt.Fprintln(progress, "ceiling: trivial Fiber handler")
	f, err := fiberCeiling(ctx, o, progress)
	if err != nil {
		return nil, err
	}
	out = append(out, f)
	fmt.Fprintln(progress, "ceiling: pgbench with Parley's ingest transaction")
	out = append(out, pgbenchCeiling(ctx, o))
	fmt.Fprintln(progress, "ceiling: redis-benchmark PUBLISH")
	out = append(out, redisCeiling(ctx, o))
	return out, nil
}

// fiberCeiling answers "ok" to every POST from a Fiber app in this process
// and attacks it as the ingest run attacks Parley.
func fiberCeiling(ctx context.Context, o ceilingOptions, progress io.Writer) (ceiling, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ceiling{}, err
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	go func() { _ = app.Listener(ln) }()
	defer app.Shutdown()
	base := "http://" + ln.Addr().String() + "/"
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(o.workers)), vegeta.MaxWorkers(uint64(o.workers)),
		vegeta.Connections(o.workers), vegeta.KeepAlive(true))
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "POST", URL: base, Body: []byte("From=1&To=2&Text=hello")})
	var m vegeta.Metrics
	var done, ok atomic.Int64
	stop := showProgress(progress, &done, &ok)
	for r := range atk.Attack(tr, vegeta.Rate{}, o.duration, "fiber") {
		if ctx.Err() != nil {
			atk.Stop()
		}
		m.Add(r)
		done.Add(1)
		if r.Code == 200 {
			ok.Add(1)
		}
	}
	stop()
	m.Close()
	return ceiling{
		Name: "trivial Fiber POST", Command: fmt.Sprintf("in process, same load generator, %d workers", o.workers),
		Rate: m.Throughput, P99Ms: ms(m.Latencies.P99),
	}, ctx.Err()
}

var pgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbenchCeiling runs pgbench with the ingest script on the same database.
func pgbenchCeiling(ctx context.Context, o ceilingOptions) ceiling {
	c := ceiling{Name: "pgbench ingest transaction"}
	if !strings.HasPrefix(o.dsn, "postgres") {
		c.Skipped = "SQLite: no pgbench"
		return c
	}
	f, err := os.CreateTemp("", "parley-ingest-*.sql")
	if err != nil {
		c.Skipped = err.Error()
		return c
	}
	defer os.Remove(f.Name())
	_, _ = f.Write(pgbenchIngest)
	f.Close()
	args := []string{"-n", "-M", "simple", "-f", f.Name(), "-c", strconv.Itoa(o.workers), "-j", "2",
		"-T", strconv.Itoa(max(1, int(o.duration.Seconds()))), o.dsn}
	c.Command = "pgbench " + strings.Join(args[:4], " ") + " app/bench/ingest.pgbench.sql " + strings.Join(args[5:len(args)-1], " ") + " " + store.RedactDSN(o.dsn)
	out, err := exec.CommandContext(ctx, "pgbench", args...).CombinedOutput()
	m := pgbenchTPS.FindSubmatch(out)
	if err != nil || m == nil {
		c.Skipped = fmt.Sprintf("pgbench failed: %v: %s", err, lastLines(out, 3))
		return c
	}
	c.Rate, _ = strconv.ParseFloat(string(m[1]), 64)
	return c
}

// redisCeiling runs redis-benchmark's PUBLISH at the same concurrency.
func redisCeiling(ctx context.Context, o ceilingOptions) ceiling {
	c := ceiling{Name: "redis-benchmark PUBLISH"}
	host, port, err := net.SplitHostPort(o.redis)
	if err != nil {
		c.Skipped = err.Error()
		return c
	}
	args := []string{"-h", host, "-p", port, "-c", strconv.Itoa(o.workers), "-n", "200000", "--csv",
		"PUBLISH", "parley:bench:ceiling", "conversation.updated 1 2"}
	c.Command = "redis-benchmark " + strings.Join(args[:len(args)-1], " ") + ` "conversation.updated 1 2"`
	out, err := exec.CommandContext(ctx, "redis-benchmark", args...).CombinedOutput()
	if err != nil {
		c.Skipped = fmt.Sprintf("redis-benchmark failed: %v: %s", err, lastLines(out, 3))
		return c
	}
	// --csv: a header line, then "PUBLISH ...","rps","avg","min","p50","p95","p99","max".
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Split(line, ",")
		if len(f) < 7 || !strings.Contains(f[0], "PUBLISH") {
			continue
		}
		c.Rate, _ = strconv.ParseFloat(strings.Trim(f[1], `"`), 64)
		c.P99Ms, _ = strconv.ParseFloat(strings.Trim(f[6], `"`), 64)
	}
	if c.Rate == 0 {
		c.Skipped = "redis-benchmark printed no PUBLISH figure: " + lastLines(out, 3)
	}
	return c
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
