package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

// BenchmarkWebhook measures one signed inbound webhook end to end through
// the Fiber app (signature check, parse, the transaction, the XML answer),
// on SQLite always and on PostgreSQL when PARLEY_TEST_POSTGRES_URL is set:
//
//	go test ./app/web -run '^$' -bench Webhook -benchmem
func BenchmarkWebhook(b *testing.B) {
	dsns := map[string]string{"sqlite": filepath.Join(b.TempDir(), "bench.db")}
	if pg := os.Getenv("PARLEY_TEST_POSTGRES_URL"); pg != "" {
		dsns["postgres"] = benchSchema(b, pg)
	}
	for name, dsn := range dsns {
		b.Run(name, func(b *testing.B) {
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
				web.Options{PublicURL: publicURL, PlivoAuthTokens: []string{token}, Auth: a, Log: slog.New(slog.DiscardHandler), Webhooks: s})
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				text := "Where is my order?"
				if i%4 == 0 {
					text = "hello"
				}
				form := inboundForm(fmt.Sprintf("bench-%s-%d", name, i), text)
				form.Set("From", fmt.Sprintf("1415555%04d", i%10000))
				resp, err := app.Test(plivotest.SignedRequest(token, webhookURL, http.MethodPost, form), -1)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("webhook: %v %v", resp, err)
				}
				resp.Body.Close()
			}
		})
	}
}

// benchSchema makes a schema of its own on the PostgreSQL server at dsn.
func benchSchema(b *testing.B, dsn string) string {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	schema := fmt.Sprintf("bench_%d", os.Getpid())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
