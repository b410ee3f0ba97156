package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"testing"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

// BenchmarkReportsAtScale times the reports screen on a seeded database
// (go run ./app seed --conversations 100000 --messages 1000000, then
// PARLEY_BENCH_DATABASE_URL=<db> go test ./app/web -run '^$' -bench
// ReportsAtScale -benchtime 20x) and reports p50 and p95 server time.
func BenchmarkReportsAtScale(b *testing.B) {
	dsn := os.Getenv("PARLEY_BENCH_DATABASE_URL")
	if dsn == "" {
		b.Skip("PARLEY_BENCH_DATABASE_URL names no seeded database")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	a, err := auth.New(auth.Options{PublicURL: publicURL, Secret: secret})
	if err != nil {
		b.Fatal(err)
	}
	app := web.NewServer(web.Deps{Inbox: inbox.NewService(inbox.Options{Store: s, Users: s})},
		web.Options{PublicURL: publicURL, Development: true, Auth: a, Log: slog.New(slog.DiscardHandler)})
	br := (&testServer{app: app, store: s, host: "localhost:8443"}).browser(b)
	br.get("/login")
	if p := br.post("/auth/dev", nil, true); p.status != http.StatusSeeOther {
		b.Fatalf("dev sign-in=%d", p.status)
	}
	for _, sc := range []struct{ name, path string }{
		{"today", "/reports?range=today"},
		{"7 days", "/reports?range=7d"},
		{"30 days", "/reports?range=30d"},
		{"30 days csv", "/reports?range=30d&format=csv"},
	} {
		b.Run(sc.name, func(b *testing.B) { benchScreen(b, br, sc.path, false) })
	}
}
