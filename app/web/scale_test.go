package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

// BenchmarkInboxAtScale measures the inbox screens' server time against a
// database filled by `go run ./app seed --conversations 100000 --messages
// 1000000`, named by PARLEY_BENCH_DATABASE_URL. It reports p50 and p95 in
// milliseconds per screen:
//
//	PARLEY_BENCH_DATABASE_URL=postgres://…/parley_bench go test ./app/web -run '^$' -bench InboxAtScale -benchtime 200x
func BenchmarkInboxAtScale(b *testing.B) {
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
	var convID int64
	if err := s.DB().NewRaw("SELECT id FROM conversations ORDER BY last_message_at DESC LIMIT 1").Scan(ctx, &convID); err != nil {
		b.Fatal(err)
	}
	screens := []struct{ name, path string }{
		{"inbox", "/"},
		{"list open", "/conversations?filter=open"},
		{"list all", "/conversations?filter=all"},
		{"search word", "/conversations?filter=all&q=parcel"},
		{"search rare words", "/conversations?filter=all&q=invoice+damaged+tomorrow"},
		{"search number", "/conversations?filter=all&q=555"},
		{"search no match", "/conversations?filter=all&q=zanzibar"},
		{"search name", "/conversations?q=whitfield"},
		{"search formatted number", "/conversations?q=%2B1+(555)+01"},
		{"open thread", fmt.Sprintf("/conversations/%d", convID)},
	}
	// Every screen both ways: a full page runs the layout's queries (the
	// title's unread count) that an htmx partial skips, so a regression
	// there shows only in the page rows.
	for _, sc := range screens {
		for _, partial := range []bool{false, true} {
			if partial && sc.path == "/" {
				continue // the inbox answers htmx with the whole page too
			}
			name := sc.name + " page"
			if partial {
				name = sc.name + " (htmx)"
			}
			b.Run(name, func(b *testing.B) { benchScreen(b, br, sc.path, partial) })
		}
	}
}

// benchScreen requests path b.N times and reports the p50 and p95 server
// time.
func benchScreen(b *testing.B, br *browser, path string, partial bool) {
	times := make([]time.Duration, 0, b.N)
	for b.Loop() {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if partial {
			r.Header.Set("HX-Request", "true")
		}
		start := time.Now()
		if p := br.do(r); p.status != http.StatusOK {
			b.Fatalf("%s=%d", path, p.status)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[len(times)*95/100]), "p95-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
