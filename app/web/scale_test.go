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
	br := (&testServer{app: app, store: s}).browser(b)
	br.get("/login")
	if p := br.post("/auth/dev", nil, true); p.status != http.StatusSeeOther {
		b.Fatalf("dev sign-in=%d", p.status)
	}
	var convID int64
	if err := s.DB().NewRaw("SELECT id FROM conversations ORDER BY last_message_at DESC LIMIT 1").Scan(ctx, &convID); err != nil {
		b.Fatal(err)
	}
	screens := []struct{ name, path string }{
		{"inbox page", "/"},
		{"list all (htmx)", "/conversations?filter=all"},
		{"search word", "/conversations?filter=all&q=parcel"},
		{"search rare words", "/conversations?filter=all&q=invoice+damaged+tomorrow"},
		{"search number", "/conversations?filter=all&q=555"},
		{"search no match", "/conversations?filter=all&q=zanzibar"},
		{"open thread", fmt.Sprintf("/conversations/%d", convID)},
	}
	for _, sc := range screens {
		b.Run(sc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, sc.path, nil)
				if sc.path != "/" {
					r.Header.Set("HX-Request", "true")
				}
				start := time.Now()
				if p := br.do(r); p.status != http.StatusOK {
					b.Fatalf("%s=%d", sc.path, p.status)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
			b.ReportMetric(ms(times[len(times)*95/100]), "p95-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
