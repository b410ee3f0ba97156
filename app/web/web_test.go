package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/auth/authtest"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/ratelimit"
	"github.com/parleyhq/parley/app/replay"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
	"github.com/uptrace/bun"
)

const (
	publicURL = "https://localhost:8443"
	token     = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"
	secret    = "a-test-session-secret-that-is-long-enough"
	// sessionCookieName and csrfCookieName are the cookies' names at
	// publicURL (https: __Host- prefixed).
	sessionCookieName = "__Host-parley_session"
	csrfCookieName    = "__Host-parley_csrf"
)

// testServer is a web app over a real, migrated SQLite store, with Google
// and GitHub sign-in pointed at a fake provider.
type testServer struct {
	app   *fiber.App
	store *store.Store
	svc   *inbox.Service
	pub   *inboxtest.Publisher
	fake  *authtest.Provider
	// host is the Host relative test requests carry: PUBLIC_URL's, as a
	// browser's would.
	host string
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
	// webhooks is web.Options.Webhooks; nil means the server's own store.
	webhooks replay.Store
	// signature is web.Options.PlivoSignature.
	signature replay.Policy
	// dsn is the database; empty means a new SQLite file.
	dsn string
	// log receives the server's log; nil discards it.
	log *slog.Logger
	// publicURL replaces the package's publicURL.
	publicURL string
	// onPanic is web.Options.OnPanic.
	onPanic func(unit string)
	// queryHook is store.Options.QueryHook.
	queryHook bun.QueryHook
	// webhookCacheTTL is the webhook subscriptions cache's TTL; zero
	// reads them for every change and every admin's page.
	webhookCacheTTL time.Duration
	// apiLimit is web.Options.APIRequestsPerMinute.
	apiLimit int
	// outbox is web.Deps.Outbox, built over the server's store.
	outbox func(*store.Store) *inbox.Outbox
	// carrier builds web.Deps.Carrier; refusals is web.Options.Refusals.
	carrier  func(*inbox.Service, *store.Store) *inbox.Carrier
	refusals *inbox.RefusalTally
	// media is web.Deps.Media; zero turns attachments off.
	media web.MediaDeps
}

func newTestServer(tb testing.TB, tokens ...string) *testServer {
	tb.Helper()
	return newTestServerWith(tb, testOptions{tokens: tokens})
}

func newTestServerWith(tb testing.TB, o testOptions) *testServer {
	tb.Helper()
	if o.dsn == "" {
		o.dsn = filepath.Join(tb.TempDir(), "parley.db")
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	s := mustOpenStoreWith(tb, o.dsn, store.Options{QueryHook: o.queryHook})
	if o.webhooks == nil {
		o.webhooks = s
	}
	fake := authtest.New(tb)
	if o.publicURL == "" {
		o.publicURL = publicURL
	}
	a, err := auth.New(auth.Options{
		PublicURL: o.publicURL, Secret: secret,
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
		Store: s, Users: s, Tokens: s, Publisher: pub,
		Access:  inbox.AccessPolicy{AdminEmails: []string{"boss@example.com"}, AllowedDomains: []string{"team.example.com"}},
		Numbers: o.numbers, Limiter: ratelimit.Checker{Limiter: ratelimit.NewMemory(nil)}, SendLimits: o.limits,
		WebhookFanout: inbox.NewWebhookFanout(o.webhookCacheTTL), Webhooks: s,
		InboxNumbers: s,
	})
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	var ob *inbox.Outbox
	if o.outbox != nil {
		ob = o.outbox(s)
	}
	var carrier *inbox.Carrier
	if o.carrier != nil {
		carrier = o.carrier(svc, s)
	}
	app := web.NewServer(web.Deps{
		Inbox:   svc,
		Outbox:  ob,
		Checks:  []web.Check{{Name: "database", Required: true, Probe: s.Ping}},
		Carrier: carrier,
		Media:   o.media,
	}, web.Options{
		Refusals:  o.refusals,
		PublicURL: o.publicURL, PlivoAuthTokens: o.tokens, Development: !o.production,
		Log: o.log, Auth: a, TrustedProxies: o.trustedProxies,
		Webhooks: o.webhooks, PlivoSignature: o.signature, OnPanic: o.onPanic,
		APIRequestsPerMinute: o.apiLimit,
	})
	u, err := url.Parse(o.publicURL)
	if err != nil {
		tb.Fatal(err)
	}
	return &testServer{app: app, store: s, svc: svc, pub: pub, fake: fake, host: u.Host}
}

// MustDo sends req through the app and returns the status and body.
func (ts *testServer) MustDo(tb testing.TB, req *http.Request) (int, string) {
	tb.Helper()
	ts.setHost(req)
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

// setHost gives a request made with a relative target (httptest's
// example.com) the server's public host.
func (ts *testServer) setHost(req *http.Request) {
	if req.Host == "example.com" && ts.host != "" {
		req.Host = ts.host
	}
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
	return mustOpenStoreWith(tb, dsn, store.Options{})
}

func mustOpenStoreWith(tb testing.TB, dsn string, opts store.Options) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}

// eachDSN runs body over a new SQLite file always, and over PostgreSQL in
// a schema of its own when PARLEY_TEST_POSTGRES_URL is set.
func eachDSN(t *testing.T, body func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { body(t, filepath.Join(t.TempDir(), "parley.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("PARLEY_TEST_POSTGRES_URL")
		if dsn == "" {
			t.Skip("PARLEY_TEST_POSTGRES_URL is not set")
		}
		body(t, postgresSchema(t, dsn))
	})
}

// postgresSchema creates a schema of its own on the server at dsn, drops it
// at cleanup, and returns dsn confined to it.
func postgresSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	schema := fmt.Sprintf("web_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("PARLEY_TEST_POSTGRES_URL is set but PostgreSQL refused: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

var schemaSeq atomic.Int64

// logBuffer is a log sink that tests read back.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logger is a text logger at debug level writing to b.
func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
