package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// watch opens a stream that sees the texts about to be sent, for settle.
func (ls *liveServer) watch(t *testing.T) *sseStream {
	t.Helper()
	return ls.openStream(t, ls.client, "/events", "")
}

// settle waits until the hub has fanned out every logged event (w, opened
// before them, has seen the newest), so a stream opened next gets none of
// them from the bus and shows only what its own start sends.
func (ls *liveServer) settle(t *testing.T, w *sseStream) {
	t.Helper()
	latest, _ := ls.svc.LatestEventID(context.Background())
	for f := w.next(t); f.id < latest; f = w.next(t) {
	}
}

// age moves every logged event d into the past.
func (ls *liveServer) age(t *testing.T, d time.Duration) {
	t.Helper()
	var rows []struct {
		ID        int64     `bun:"id"`
		CreatedAt time.Time `bun:"created_at"`
	}
	ctx := context.Background()
	if err := ls.store.DB().NewRaw("SELECT id, created_at FROM events").Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := ls.store.DB().NewRaw("UPDATE events SET created_at = ? WHERE id = ?", r.CreatedAt.Add(-d).UTC(), r.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// A stream asked to resume from further back than the cap (here: events
// older than the default hour, from last_event_id=0 or Last-Event-ID) gets
// the refresh marker instead of a replay, then what happens next.
func TestEventsOldLastEventIDGetsRefresh(t *testing.T) {
	tests := []struct {
		name, path, lastID string
	}{
		{"query zero", "/events?last_event_id=0", ""},
		{"header zero", "/events", "0"},
		{"header, first event", "/events", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := newLiveServer(t, liveOptions{heartbeat: 300 * time.Millisecond})
			w := ls.watch(t)
			for i := range 3 {
				ls.text(t, "old-"+strconv.Itoa(i), "1415555010"+strconv.Itoa(i), "old text "+strconv.Itoa(i))
			}
			ls.settle(t, w)
			ls.age(t, 2*time.Hour)
			latest, _ := ls.svc.LatestEventID(context.Background())
			s := ls.openStream(t, ls.client, tt.path, tt.lastID)
			f := s.next(t)
			if !strings.Contains(f.data, "data-live-refresh") || strings.Contains(f.data, "old text") || f.id != latest {
				t.Fatalf("first frame id=%d data=%.120q, want the refresh marker with id %d and no replay", f.id, f.data, latest)
			}
			s.expectQuiet(t)
			ls.text(t, "new-1", "14155550109", "new text")
			if f := s.nextWith(t, "new text"); f.id <= latest {
				t.Fatalf("live after refresh: id=%d, want above %d", f.id, latest)
			}
		})
	}
}

// A first connect that names no event replays nothing: it starts at the
// newest.
func TestEventsFirstConnectWithoutIDReplaysNothing(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: 300 * time.Millisecond})
	w := ls.watch(t)
	ls.text(t, "n-1", "14155550100", "before the connect")
	ls.settle(t, w)
	s := ls.openStream(t, ls.client, "/events", "")
	s.expectQuiet(t)
}

// A page load's stream replays nothing the page already shows: it looks
// back below the page's newest event only over the seconds in which an
// event numbered earlier could still commit.
func TestEventsPageLoadReplaysNothingOld(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: 300 * time.Millisecond})
	w := ls.watch(t)
	ls.text(t, "pl-1", "14155550100", "a minute ago")
	ls.text(t, "pl-2", "14155550101", "also a minute ago")
	ls.settle(t, w)
	ls.age(t, time.Minute)
	feed := mustParseHTML(t, ls.mustGet(t, ls.client, "/")).Find("body").AttrOr("sse-connect", "")
	if !strings.Contains(feed, "last_event_id=") {
		t.Fatalf("sse-connect=%q, want the page's newest event id", feed)
	}
	s := ls.openStream(t, ls.client, feed, "")
	s.expectQuiet(t)
}

// The cap counts events too: a Last-Event-ID more than ReplayMaxEvents
// behind the newest gets the refresh marker; one within it replays what
// was missed.
func TestEventsReplayCapByCount(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: 300 * time.Millisecond, replayMaxEvents: 3})
	w := ls.watch(t)
	for i := range 3 {
		ls.text(t, "c-"+strconv.Itoa(i), "1415555010"+strconv.Itoa(i), "count text "+strconv.Itoa(i))
	}
	ls.settle(t, w)
	latest, _ := ls.svc.LatestEventID(context.Background())
	far := ls.openStream(t, ls.client, "/events", strconv.FormatInt(latest-4, 10))
	if f := far.next(t); !strings.Contains(f.data, "data-live-refresh") || strings.Contains(f.data, "count text") {
		t.Fatalf("4 behind with a cap of 3: first frame %.120q, want the refresh marker", f.data)
	}
	far.expectQuiet(t)
	near := ls.openStream(t, ls.client, "/events", strconv.FormatInt(latest-2, 10))
	if f := near.nextWith(t, "count text 2"); strings.Contains(f.data, "data-live-refresh") {
		t.Fatalf("2 behind with a cap of 3: %.120q, want a replay", f.data)
	}
}
