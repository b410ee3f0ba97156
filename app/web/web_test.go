package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

const (
	publicURL = "https://sms.example.com"
	token     = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"
)

// testServer is a web app over a real, migrated SQLite store.
type testServer struct {
	app   *fiber.App
	store *store.Store
	pub   *inboxtest.Publisher
}

func newTestServer(tb testing.TB, tokens ...string) *testServer {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(tb.TempDir(), "parley.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	pub := &inboxtest.Publisher{}
	app := web.NewServer(web.Deps{
		Inbox:  inbox.NewService(inbox.Options{Store: s, Users: s, Publisher: pub}),
		Checks: []web.Check{{Name: "database", Required: true, Probe: s.Ping}},
	}, web.Options{PublicURL: publicURL, PlivoAuthTokens: tokens, Log: slog.New(slog.DiscardHandler)})
	return &testServer{app: app, store: s, pub: pub}
}

// MustDo sends req through the app and returns the status and body.
func (ts *testServer) MustDo(tb testing.TB, req *http.Request) (int, string) {
	tb.Helper()
	resp, err := ts.app.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func (ts *testServer) countMessages(tb testing.TB) int {
	tb.Helper()
	var n int
	if err := ts.store.DB().NewRaw("SELECT count(*) FROM messages").Scan(context.Background(), &n); err != nil {
		tb.Fatal(err)
	}
	return n
}
