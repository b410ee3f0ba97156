package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/parleyhq/parley/app/store"
)

// benchToken signs the webhooks of the Parley that a bench starts.
const benchToken = "bench-token"

// executable is the Parley binary a bench starts: this one, whose serve
// command is Parley. Tests point it at a binary they built.
var executable = os.Executable

// server is a Parley that a bench started as a child process (the
// binary's plain serve command), so its CPU and memory are measured apart
// from the load generator's.
type server struct {
	base  string // http://127.0.0.1:PORT
	pid   int
	dsn   string
	token string
	stop  func()
}

// startServer runs Parley on a free port of this machine, in development
// mode with the in-process bus and the simulated carrier, and waits until
// its /healthz answers. An empty dsn means a fresh SQLite file in a
// temporary folder, removed on stop; maxStreams, when above 0, is the live
// stream limit per user (LIVE_MAX_STREAMS_PER_USER).
func startServer(ctx context.Context, dsn string, maxStreams int, progress io.Writer) (*server, error) {
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
	exe, err := executable()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), dsn: dsn, token: benchToken}
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(os.Environ(),
		"PARLEY_ENV=development", "BIND_ADDRESS=127.0.0.1", "PORT="+strconv.Itoa(port), "PUBLIC_URL="+s.base,
		"DATABASE_URL="+dsn, "REDIS_URL=", "LOG_LEVEL=warn",
		"PLIVO_AUTH_TOKEN="+benchToken, "PLIVO_AUTH_ID=")
	if maxStreams > 0 {
		cmd.Env = append(cmd.Env, "LIVE_MAX_STREAMS_PER_USER="+strconv.Itoa(maxStreams))
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-exited
		_ = os.RemoveAll(dir)
	}
	if err := awaitHealthy(ctx, s.base, exited); err != nil {
		s.stop()
		return nil, fmt.Errorf("bench server did not start: %w", err)
	}
	s.pid = cmd.Process.Pid
	fmt.Fprintf(progress, "server: child pid %d at %s, database %s, in-process bus\n", s.pid, s.base, store.RedactDSN(dsn))
	return s, nil
}

// serverStartLimit is how long a child Parley may take to migrate its
// database and answer /healthz.
const serverStartLimit = time.Minute

// awaitHealthy polls base's /healthz until it answers 200, the process
// exits (its error arrives on exited, which is then refilled for stop),
// ctx ends or serverStartLimit passes.
func awaitHealthy(ctx context.Context, base string, exited chan error) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(serverStartLimit)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("it exited: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET %s/healthz did not answer 200 within %v", base, serverStartLimit)
		}
	}
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
