package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/live"
)

// benchToken signs the webhooks of the Parley that a bench starts.
const benchToken = "bench-token"

// benchServer is a Parley that a bench started as a child process (this
// binary, "bench serve"), so its CPU and memory are measured apart from the
// load generator's.
type benchServer struct {
	base  string // http://127.0.0.1:PORT
	pid   int
	dsn   string
	token string
	stop  func()
}

// startBenchServer runs this binary's bench server on a free port. An
// empty dsn means a fresh SQLite file in a temporary folder, removed on
// stop; maxStreams raises the per-user live stream limit.
func startBenchServer(dsn string, maxStreams int, stdout io.Writer) (*benchServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "parley-bench-")
	if err != nil {
		return nil, err
	}
	if dsn == "" {
		dsn = "sqlite://" + filepath.Join(dir, "bench.db")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	s := &benchServer{base: fmt.Sprintf("http://127.0.0.1:%d", port), dsn: dsn, token: benchToken}
	cmd := exec.Command(exe, "bench", "serve", "--max-streams", strconv.Itoa(maxStreams))
	cmd.Env = append(os.Environ(),
		"PARLEY_ENV=development", "PORT="+strconv.Itoa(port), "PUBLIC_URL="+s.base,
		"DATABASE_URL="+dsn, "REDIS_URL=", "LOG_LEVEL=warn",
		"PLIVO_AUTH_TOKEN="+benchToken, "PLIVO_AUTH_ID=")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		s.stop()
		return nil, fmt.Errorf("bench server did not start: %q %v", line, err)
	}
	s.pid = cmd.Process.Pid
	fmt.Fprintf(stdout, "server: child pid %d at %s, database %s, in-process bus\n", s.pid, s.base, redactDSN(dsn))
	return s, nil
}

// benchServe is the child process: a Parley whose hub lets one user hold
// maxStreams streams.
func benchServe(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench serve", flag.ContinueOnError)
	fs.SetOutput(stdout)
	maxStreams := fs.Int("max-streams", 0, "per-user stream limit")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	log := newLogger(cfg, os.Stderr)
	m, err := newMain(ctx, cfg, log, live.HubOptions{MaxStreamsPerUser: *maxStreams})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if err != nil {
		m.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- m.Serve(ln) }()
	fmt.Fprintln(stdout, "ready")
	select {
	case err := <-errc:
		m.Close()
		return err
	case <-ctx.Done():
	}
	return m.Shutdown(5 * time.Second)
}

// redactDSN hides a database URL's password for printing.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite://") || !strings.Contains(dsn, "://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// raiseFileLimit lifts the soft open-file limit towards want (each client
// holds a connection, and the child server one per client).
func raiseFileLimit(want uint64, stdout io.Writer) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur >= want {
		return
	}
	lim.Cur = min(want, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Fprintf(stdout, "warning: cannot raise the open-file limit to %d: %v\n", want, err)
	}
}
