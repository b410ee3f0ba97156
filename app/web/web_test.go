package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/auth/authtest"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/ratelimit"
	"github.com/parleyhq/parley/app/replay"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

const (
	publicURL = "https://sms.example.com"
	token     = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"
	secret    = "a-test-session-secret-that-is-long-enough"
)

// testServer is a web app over a real, migrated SQLite store, with Google
// and GitHub sign-in pointed at a fake provider.
type testServer struct {
	app   *fiber.App
	store *store.Store
	svc   *inbox.Service
	pub   *inboxtest.Publisher
	fake  *authtest.Provider
}

type testOptions struct {
	tokens     []string
	production bool
	// numbers are our sending numbers; limits the per-agent send limits,
	// counted in process.
	numbers []inbox.Number
	limits  inbox.SendLimits
	// trustedProxies is web.Options.TrustedProxies.
	trustedProxies []string
	// nonces is web.Options.Nonces.
	nonces replay.Nonces
	// log receives the server's log (discarded when nil); onPanic is
	// web.Options.OnPanic.
	log     *slog.Logger
	onPanic func(unit string)
}

func newTestServer(tb testing.TB, tokens ...string) *testServer {
	tb.Helper()
	return newTestServerWith(tb, testOptions{tokens: tokens})
}

func newTestServerWith(tb testing.TB, o testOptions) *testServer {
	tb.Helper()
	s := mustOpenStore(tb, filepath.Join(tb.TempDir(), "parley.db"))
	fake := authtest.New(tb)
	a, err := auth.New(auth.Options{
		PublicURL: publicURL, Secret: secret,
		GitHub: &auth.GitHub{ClientID: fake.ClientID, ClientSecret: fake.ClientSecret, BaseURL: fake.URL},
		Google: &auth.Google{
			ClientID: fake.ClientID, ClientSecret: fake.ClientSecret, AuthURL: fake.URL + "/o/oauth2/v2/auth",
			TokenURL: fake.URL + "/token", UserInfoURL: fake.URL + "/v1/userinfo", Issuer: fake.Issuer(),
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	pub := &inboxtest.Publisher{}
	svc := inbox.NewService(inbox.Options{
		Store: s, Users: s, Publisher: pub,
		Access:  inbox.AccessPolicy{AdminEmails: []string{"boss@example.com"}, AllowedDomains: []string{"team.example.com"}},
		Numbers: o.numbers, Limiter: ratelimit.Checker{Limiter: ratelimit.NewMemory(nil)}, SendLimits: o.limits,
	})
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	app := web.NewServer(web.Deps{
		Inbox:  svc,
		Checks: []web.Check{{Name: "database", Required: true, Probe: s.Ping}},
	}, web.Options{
		PublicURL: publicURL, PlivoAuthTokens: o.tokens, Development: !o.production,
		Log: o.log, Auth: a, TrustedProxies: o.trustedProxies,
		Nonces: o.nonces, OnPanic: o.onPanic,
	})
	return &testServer{app: app, store: s, svc: svc, pub: pub, fake: fake}
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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// mustOpenStore opens and migrates the store at dsn, closing it at cleanup.
func mustOpenStore(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}
