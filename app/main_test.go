package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/app/config"
)

// startParley runs a whole Parley on 127.0.0.1 with the given environment
// and returns its base URL.
func startParley(t *testing.T, env map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env["PORT"] = fmt.Sprint(port)
	env["PUBLIC_URL"] = base
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMain(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ln) }()
	t.Cleanup(func() {
		if err := m.Shutdown(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return base
}

func simulateText(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"simulate"}, args...), func(k string) string { return env[k] }, &out, &errOut)
	if err != nil {
		t.Fatalf("simulate %v: %v\n%s%s", args, err, out.String(), errOut.String())
	}
	return out.String()
}

func TestSimulateAgainstRunningParley(t *testing.T) {
	databases := map[string]string{"sqlite": filepath.Join(t.TempDir(), "parley.db")}
	if pg := os.Getenv("PARLEY_TEST_POSTGRES_URL"); pg != "" {
		databases["postgres"] = freshPostgresDatabase(t, pg)
	}
	for name, dsn := range databases {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": dsn, "PLIVO_AUTH_TOKEN": "sim-token-123"}
			startParley(t, env)
			out := simulateText(t, env, "--text", "hello")
			if !strings.Contains(out, "200 OK") || !strings.Contains(out, "<Message") || !strings.Contains(out, "Hello!") {
				t.Fatalf("simulate hello printed %q, want 200 and the greeting as XML", out)
			}
			out = simulateText(t, env, "--text", "nothing to match", "--uuid", "fixed-uuid-1")
			if !strings.Contains(out, "<Response></Response>") {
				t.Fatalf("simulate ordinary text printed %q, want an empty Response", out)
			}
			out = simulateText(t, env, "--text", "hello", "--uuid", "fixed-uuid-1")
			if !strings.Contains(out, "<Response></Response>") {
				t.Fatalf("duplicate delivery printed %q, want an empty Response", out)
			}
			// A wrong token is refused: the signature really is checked.
			wrong := map[string]string{"PUBLIC_URL": env["PUBLIC_URL"], "PORT": env["PORT"], "PLIVO_AUTH_TOKEN": "not-the-token"}
			var o, e bytes.Buffer
			err := run(context.Background(), []string{"simulate", "--text", "hello"}, func(k string) string { return wrong[k] }, &o, &e)
			if err == nil || !strings.Contains(o.String(), "403") {
				t.Fatalf("simulate with a wrong token: err=%v out=%q, want a 403", err, o.String())
			}
		})
	}
}

// freshPostgresDatabase creates a database of its own for a whole Parley
// and drops it at cleanup.
func freshPostgresDatabase(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("parley_main_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("PARLEY_TEST_POSTGRES_URL is set but PostgreSQL refused: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "parley ") {
		t.Fatalf("version printed %q", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Fatal("unknown command succeeded, want an error")
	}
}

func TestMigrateCommand(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(t.TempDir(), "m.db")}
	for i, want := range []string{"applied ", "up to date"} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &errOut); err != nil {
			t.Fatalf("migrate run %d: %v", i, err)
		}
		if !strings.Contains(out.String(), want) {
			t.Fatalf("migrate run %d printed %q, want %q", i, out.String(), want)
		}
	}
}

func TestProductionRefusesIncompleteConfig(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve"}, func(k string) string {
		return map[string]string{"PARLEY_ENV": "production"}[k]
	}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "PLIVO_AUTH_TOKEN: is required") {
		t.Fatalf("production without credentials: err=%v, want it to name PLIVO_AUTH_TOKEN", err)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	startParley(t, env)
	var out, errOut bytes.Buffer
	// PORT alone finds it: PUBLIC_URL and the rest are not needed.
	if err := run(context.Background(), []string{"healthcheck"}, func(k string) string { return map[string]string{"PORT": env["PORT"]}[k] }, &out, &errOut); err != nil {
		t.Fatalf("healthcheck of a running Parley: %v (%s)", err, out.String())
	}
	if err := run(context.Background(), []string{"healthcheck", "--url", env["PUBLIC_URL"] + "/healthz"}, func(string) string { return "" }, &out, &errOut); err != nil {
		t.Fatalf("healthcheck --url: %v", err)
	}
	if err := run(context.Background(), []string{"healthcheck", "--url", env["PUBLIC_URL"] + "/nothing-here"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Fatal("healthcheck of a 404 succeeded, want an error (exit 1)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	if err := run(context.Background(), []string{"healthcheck"}, func(k string) string { return map[string]string{"PORT": closed}[k] }, &out, &errOut); err == nil {
		t.Fatal("healthcheck with nothing listening succeeded, want an error (exit 1)")
	}
}
