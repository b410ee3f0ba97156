package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// statementLog records the SQL the store runs while it is on.
type statementLog struct {
	mu   sync.Mutex
	on   bool
	sqls []string
}

func (l *statementLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (l *statementLog) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.sqls = append(l.sqls, ev.Query)
	}
}

// during returns the statements run by f.
func (l *statementLog) during(f func()) []string {
	l.mu.Lock()
	l.on, l.sqls = true, nil
	l.mu.Unlock()
	f()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.sqls
}

// Each screen runs a fixed number of statements, whatever the number of
// conversations: a new query on a page, or one per row, changes the count
// here before it shows at a million messages (BENCHMARKS.md, "Inbox at a
// million messages"). When a count changes on purpose, re-run the scale
// benchmark on both databases and update BENCHMARKS.md with this table.
// Every list, page or partial, counts its tabs' unread conversations in
// one statement (a full page's title reuses the Open tab's count); a
// search instead counts its matches per tab, and reads what each row
// matched (one statement each), while the page's title still counts the
// unread conversations; a search that does not fill its page from the
// newest conversations asks each index in turn (numbers, words, and now
// contacts' names and notes: one more statement). A search's count first
// checks the newest conversations for how common its words are (one more
// statement), to count a common word from them rather than the index.
func TestScreenStatementCounts(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		log := &statementLog{}
		// The webhook subscriptions are cached as in serve, so an admin's
		// page reads whether an endpoint is paused from the cache, at no
		// statement once it is warm.
		screenStatementCounts(t, newTestServerWith(t, testOptions{dsn: dsn, queryHook: log, webhookCacheTTL: time.Minute}), log)
	})
}

func screenStatementCounts(t *testing.T, ts *testServer, log *statementLog) {
	texts := map[string]string{}
	for i := range 5 {
		texts[fmt.Sprintf("+1415555010%d", i)] = "Where is my parcel?"
	}
	ts.receiveTexts(t, texts)
	b := ts.signedIn(t)
	var convID int64
	if err := ts.store.DB().NewRaw("SELECT id FROM conversations ORDER BY id LIMIT 1").Scan(context.Background(), &convID); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		path    string
		partial bool
		want    int
	}{
		{"/", false, 6},
		{"/conversations?filter=open", false, 6},
		{"/conversations?filter=open", true, 6},
		{"/conversations?filter=all", false, 6},
		{"/conversations?filter=all", true, 6},
		{"/conversations?filter=all&q=parcel", false, 12},
		{"/conversations?filter=all&q=parcel", true, 11},
		// A thread reads its activity lines (who closed, assigned…) with
		// one query of their own, and its scheduled messages with another.
		{fmt.Sprintf("/conversations/%d", convID), false, 17},
		{fmt.Sprintf("/conversations/%d", convID), true, 13},
	} {
		get := func() {
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			if tt.partial {
				r.Header.Set("HX-Request", "true")
			}
			if p := b.do(r); p.status != http.StatusOK {
				t.Fatalf("GET %s (htmx %v)=%d", tt.path, tt.partial, p.status)
			}
		}
		get() // the first request may fill caches
		sqls := log.during(get)
		unread := 0
		for _, q := range sqls {
			if strings.Contains(q, "c.unread_count > 0") {
				unread++
			}
		}
		if len(sqls) != tt.want {
			t.Errorf("GET %s (htmx %v) ran %d statements, want %d:\n%s", tt.path, tt.partial, len(sqls), tt.want, strings.Join(sqls, "\n"))
		}
		wantUnread := 1
		if tt.partial && (strings.Contains(tt.path, "q=") || !strings.Contains(tt.path, "filter=")) {
			wantUnread = 0 // a search's tabs count matches; a thread alone has no tabs
		}
		if unread != wantUnread {
			t.Errorf("GET %s (htmx %v) counted unread conversations %d times, want %d", tt.path, tt.partial, unread, wantUnread)
		}
	}
}

// A page reads the team and the labels once, however many of its parts
// show them: the thread, its header and the list rows beside it share one
// read (pageData). An assigned conversation is the case that matters: its
// list row names the assignee too.
func TestPagesReadTeamAndLabelsOnce(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		log := &statementLog{}
		ts := newTestServerWith(t, testOptions{dsn: dsn, queryHook: log})
		ts.receiveTexts(t, map[string]string{"+14155550100": "Where is my parcel?", "+14155550101": "Hello?"})
		b := ts.signedIn(t)
		var convID int64
		if err := ts.store.DB().NewRaw("SELECT id FROM conversations ORDER BY id LIMIT 1").Scan(context.Background(), &convID); err != nil {
			t.Fatal(err)
		}
		thread := fmt.Sprintf("/conversations/%d", convID)
		if p := b.htmxPost(thread+"/assign", url.Values{"assignee": {"me"}}); p.status != http.StatusOK {
			t.Fatalf("assign=%d:\n%.300s", p.status, p.body)
		}

		for _, tt := range []struct {
			path    string
			partial bool
		}{
			{thread, false},
			{thread, true},
			{thread + "/header", true},
			{"/conversations?filter=all", false},
		} {
			sqls := log.during(func() {
				r := httptest.NewRequest(http.MethodGet, tt.path, nil)
				if tt.partial {
					r.Header.Set("HX-Request", "true")
				}
				if p := b.do(r); p.status != http.StatusOK {
					t.Fatalf("GET %s (htmx %v)=%d", tt.path, tt.partial, p.status)
				}
			})
			users, labels := 0, 0
			for _, q := range sqls {
				if strings.Contains(q, "role = 'admin' DESC") {
					users++
				}
				if strings.Contains(q, "lower(l.name)") {
					labels++
				}
			}
			if users != 1 || labels != 1 {
				t.Errorf("GET %s (htmx %v) read the team %d times and the labels %d times, want once each:\n%s",
					tt.path, tt.partial, users, labels, strings.Join(sqls, "\n"))
			}
		}
	})
}
