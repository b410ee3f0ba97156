package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/testenv"
)

// testRedisChannel is a live channel of one test's own: other suites, run
// at the same time, may share the Redis.
func testRedisChannel() string { return "parley:test:" + strings.ToLower(rand.Text()) }

// liveWait bounds what should happen at once.
const liveWait = 10 * time.Second

// signInDev signs in to the Parley at base as the development admin, like
// a browser: the CSRF token from /login, then the dev sign-in form.
func signInDev(t *testing.T, base string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	_, rest, ok := strings.Cut(string(page), `<meta name="csrf-token" content="`)
	if !ok {
		t.Fatalf("no CSRF token on %s/login", base)
	}
	tok, _, _ := strings.Cut(rest, `"`)
	resp, err = c.PostForm(base+"/auth/dev", url.Values{"_csrf": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("dev sign-in at %s ended at %s with %d, want the inbox", base, resp.Request.URL, resp.StatusCode)
	}
	return c
}

// liveStream is an open /events response whose lines are read on a
// goroutine; ended closes when the response ends.
//
// The goroutine keeps every line it reads, however many, and never waits
// for a reader: a test that holds a stream open under load and only waits
// for its end (the graceful shutdown test) reads none of them, and a
// reader blocked on a full buffer would never see the end.
type liveStream struct {
	mu    sync.Mutex
	lines []string      // read and not yet looked at by await
	count int           // every line read
	endAt time.Time     // when the reader saw the end
	more  chan struct{} // has a value when lines grew since await last looked
	ended chan struct{}
	close func() // closes the connection, as a tab that goes away
}

func openLiveStream(t *testing.T, c *http.Client, base string) *liveStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	resp, err := c.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		resp.Body.Close()
		t.Fatalf("GET %s/events: %d %s, want an event stream", base, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &liveStream{more: make(chan struct{}, 1), ended: make(chan struct{})}
	s.close = func() {
		cancel()
		resp.Body.Close()
	}
	t.Cleanup(s.close)
	go func() {
		defer close(s.ended)
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				s.mu.Lock()
				s.endAt = time.Now()
				s.mu.Unlock()
				return
			}
			s.mu.Lock()
			s.lines = append(s.lines, strings.TrimRight(line, "\n"))
			s.count++
			s.mu.Unlock()
			select {
			case s.more <- struct{}{}:
			default:
			}
		}
	}()
	return s
}

// take hands over the lines read since the last call.
func (s *liveStream) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := s.lines
	s.lines = nil
	return lines
}

// received is how many lines the stream has carried so far.
func (s *liveStream) received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// endedAt is when the stream was seen to end; zero while it is open.
func (s *liveStream) endedAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endAt
}

// await reads the stream until a data line contains want. A stream that
// has ended is read to its last line before await gives up.
func (s *liveStream) await(t *testing.T, want string, within time.Duration) {
	t.Helper()
	timeout := time.After(within)
	found := func() bool {
		for _, line := range s.take() {
			if strings.HasPrefix(line, "data: ") && strings.Contains(line, want) {
				return true
			}
		}
		return false
	}
	for {
		if found() {
			return
		}
		select {
		case <-s.more:
		case <-s.ended:
			if found() {
				return
			}
			t.Fatalf("stream ended before %q arrived", want)
		case <-timeout:
			t.Fatalf("%q did not arrive within %v", want, within)
		}
	}
}

// sharedBackends returns a fresh PostgreSQL database and the Redis URL,
// skipping when either variable is unset; a set but unreachable one fails.
func sharedBackends(t *testing.T) (dsn, redisURL string) {
	t.Helper()
	// Two instances on shared PostgreSQL and Redis.
	pg, rd := testenv.URL(t, testenv.Postgres), testenv.URL(t, testenv.Redis)
	o, err := redis.ParseURL(rd)
	if err != nil {
		t.Fatalf("PARLEY_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(o)
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("PARLEY_TEST_REDIS_URL is set but Redis does not answer: %v", err)
	}
	return freshPostgresDatabase(t, pg), rd
}

// withClientName names the connections of a Redis URL, so a test can find
// its own among those of tests running beside it.
func withClientName(t *testing.T, raw, name string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("client_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// twoInstances starts two Parleys on one database and one Redis and
// returns the environment of each (for simulateText) and their URLs.
func twoInstances(t *testing.T) (envA, envB map[string]string) {
	t.Helper()
	dsn, rd := sharedBackends(t)
	rd = withClientName(t, rd, fmt.Sprintf("parley-live-test-%d", time.Now().UnixNano()))
	// A channel of the test's own: other suites may share this Redis.
	channel := testRedisChannel()
	envA = map[string]string{"DATABASE_URL": dsn, "REDIS_URL": rd, "REDIS_CHANNEL": channel, "PLIVO_AUTH_TOKEN": "sim-token-123"}
	envB = map[string]string{"DATABASE_URL": dsn, "REDIS_URL": rd, "REDIS_CHANNEL": channel, "PLIVO_AUTH_TOKEN": "sim-token-123"}
	startParley(t, envA)
	startParley(t, envB)
	return envA, envB
}

// A text that reaches one instance shows up on a stream held by the other:
// the instances share the database and Redis.
func TestLiveAcrossInstances(t *testing.T) {
	envA, envB := twoInstances(t)
	stream := openLiveStream(t, signInDev(t, envB["PUBLIC_URL"]), envB["PUBLIC_URL"])
	simulateText(t, envA, "--text", "sent to instance A", "--from", "+14155550123")
	stream.await(t, "sent to instance A", liveWait)
}

// When Redis drops the subscribers' connections, whatever the bus may have
// missed meanwhile still reaches the streams: the hub resubscribes, tells
// its streams to resync, and they replay the log. A text stored without
// being published at all stands for one published while disconnected.
func TestLiveResyncAfterPubsubKill(t *testing.T) {
	envA, envB := twoInstances(t)
	stream := openLiveStream(t, signInDev(t, envB["PUBLIC_URL"]), envB["PUBLIC_URL"])
	simulateText(t, envA, "--text", "before the kill", "--from", "+14155550124")
	stream.await(t, "before the kill", liveWait)

	ctx := context.Background()
	db, err := store.Open(ctx, envA["DATABASE_URL"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	unpublished := inbox.NewService(inbox.Options{Store: db, Users: db})
	in := inbox.Inbound{
		ProviderUUID: "only-in-the-log", From: "+14155550124", To: defaultSimulatedNumber,
		Type: "sms", Text: "only in the log", Units: 1,
	}
	if _, err := unpublished.Receive(ctx, in); err != nil {
		t.Fatal(err)
	}

	o, _ := redis.ParseURL(envA["REDIS_URL"])
	name := o.ClientName
	o.ClientName = ""
	admin := redis.NewClient(o)
	defer admin.Close()
	list, err := admin.Do(context.Background(), "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for line := range strings.SplitSeq(list, "\n") {
		fields := strings.Fields(line)
		if !slices.Contains(fields, "name="+name) {
			continue
		}
		for _, f := range fields {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				n, err := admin.Do(context.Background(), "CLIENT", "KILL", "TYPE", "pubsub", "ID", id).Int()
				if err != nil {
					t.Fatalf("CLIENT KILL TYPE pubsub ID %s: %v", id, err)
				}
				killed += n
			}
		}
	}
	if killed != 2 {
		t.Fatalf("killed %d pub/sub connections named %s, want both instances'", killed, name)
	}
	stream.await(t, "only in the log", liveWait)
	simulateText(t, envA, "--text", "after the kill", "--from", "+14155550124")
	stream.await(t, "after the kill", liveWait)
}

// SIGTERM with open streams: serve returns within 2 s, and every stream
// ends at once rather than when Fiber's shutdown times out.
func TestShutdownWithOpenStreams(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := map[string]string{
		"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db"),
		"PORT":         fmt.Sprint(port), "PUBLIC_URL": base, "LOG_LEVEL": "error",
	}
	ctx, sigterm := context.WithCancel(context.Background())
	defer sigterm()
	served := make(chan error, 1)
	go func() {
		served <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}()
	deadline := time.Now().Add(liveWait)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Parley did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	client := signInDev(t, base)
	var streams []*liveStream
	for range 4 {
		streams = append(streams, openLiveStream(t, client, base))
	}

	start := time.Now()
	sigterm()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve returned %v after SIGTERM, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatalf("serve still running 2 s after SIGTERM with open streams")
	}
	for i, s := range streams {
		select {
		case <-s.ended:
		case <-time.After(time.Second):
			t.Fatalf("stream %d still open after serve returned", i)
		}
	}
	t.Logf("shutdown with %d open streams took %v", len(streams), time.Since(start))
}
