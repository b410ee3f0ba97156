package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

// Main is one running Parley: every part, wired. Only this package knows
// them all.
type Main struct {
	Config config.Config
	Log    *slog.Logger
	Store  *store.Store
	Bus    live.Bus
	Inbox  *inbox.Service
	Web    *fiber.App
}

// NewMain opens the store (migrating it), connects the bus and builds the
// web app.
func NewMain(ctx context.Context, cfg config.Config, log *slog.Logger) (*Main, error) {
	m := &Main{Config: cfg, Log: log}
	var err error
	if m.Store, err = store.Open(ctx, cfg.DatabaseURL, store.Options{}); err != nil {
		return nil, err
	}
	applied, err := m.Store.Migrate(ctx)
	if err != nil {
		m.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated database", "applied", strings.Join(applied, ", "))
	}
	if cfg.RedisURL != "" {
		if m.Bus, err = live.NewRedis(ctx, cfg.RedisURL, live.RedisOptions{Logger: log}); err != nil {
			m.Close()
			return nil, err
		}
	} else {
		m.Bus = live.NewMemory()
	}
	m.Inbox = inbox.NewService(inbox.Options{
		Store: m.Store, Users: m.Store, Publisher: live.NewPublisher(m.Bus, log),
		Access: inbox.AccessPolicy{AdminEmails: cfg.AdminEmails, AllowedDomains: cfg.AllowedEmailDomains},
	})
	m.Web = web.NewServer(web.Deps{
		Inbox: m.Inbox,
		Checks: []web.Check{
			{Name: "database", Required: true, Probe: m.Store.Ping},
			{Name: "bus", Probe: m.Bus.Ping},
		},
	}, web.Options{
		PublicURL:       cfg.PublicURL,
		PlivoAuthTokens: cfg.PlivoAuthTokens,
		Development:     cfg.Development(),
		Log:             log,
	})
	return m, nil
}

// Serve answers requests on ln until Shutdown.
func (m *Main) Serve(ln net.Listener) error { return m.Web.Listener(ln) }

// Shutdown stops taking requests, lets those in flight finish within
// timeout, then closes the bus and the store.
func (m *Main) Shutdown(timeout time.Duration) error {
	err := m.Web.ShutdownWithTimeout(timeout)
	m.Close()
	return err
}

// Close releases the bus and the store.
func (m *Main) Close() {
	if m.Bus != nil {
		m.Bus.Close()
	}
	if m.Store != nil {
		m.Store.Close()
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func serve(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	log := newLogger(cfg, stderr)
	log.Info("starting parley", append([]any{"version", version}, cfg.Redacted()...)...)
	m, err := NewMain(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.Port))
	if err != nil {
		m.Close()
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	fmt.Fprintf(stdout, "Parley is running at http://localhost:%d (Plivo calls %s/api/sms/webhook)\n", cfg.Port, cfg.PublicURL)
	fmt.Fprintf(stdout, "Send a test text: go run ./app simulate --text hello\n")
	errc := make(chan error, 1)
	go func() { errc <- m.Serve(ln) }()
	select {
	case err := <-errc:
		m.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return m.Shutdown(10 * time.Second)
}

func migrate(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	s, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	}
	fmt.Fprintf(stdout, "applied %d migration(s): %s\n", len(applied), strings.Join(applied, ", "))
	return nil
}
