package web_test

import (
	"net/http"
	"testing"
	"time"
)

// waitClients waits until the hub holds n clients.
func (ls *liveServer) waitClients(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(liveWait)
	for ls.hub.Clients() != n {
		if time.Now().After(deadline) {
			t.Fatalf("hub has %d clients after %v, want %d", ls.hub.Clients(), liveWait, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Tabs that go away give their stream slots back at once, not at the next
// heartbeat (an hour here): after every slot of a user was taken and then
// dropped by the client, a new stream is accepted.
func TestEventsClosedStreamsFreeTheirSlots(t *testing.T) {
	const slots = 3
	ls := newLiveServer(t, liveOptions{heartbeat: time.Hour, maxStreams: slots})
	var streams []*sseStream
	for range slots {
		streams = append(streams, ls.openStream(t, ls.client, "/events", ""))
	}
	ls.waitClients(t, slots)
	for _, s := range streams {
		s.close()
	}
	got := 0
	for deadline := time.Now().Add(liveWait); got != http.StatusOK && time.Now().Before(deadline); {
		if got = streamStatus(t, ls, ls.client); got != http.StatusOK {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if got != http.StatusOK {
		t.Fatalf("a new stream after %d closed ones answered %d for %v, want 200", slots, got, liveWait)
	}
}

// The hub counts a stream whose client closed it only until the server
// notices, which it does at once: the other stream goes on receiving.
func TestEventsClientCloseUnregisters(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: time.Hour})
	gone := ls.openStream(t, ls.client, "/events", "")
	stays := ls.openStream(t, ls.client, "/events", "")
	ls.waitClients(t, 2)
	gone.close()
	ls.waitClients(t, 1)
	ls.text(t, "slot-1", "14155550100", "after a tab closed")
	if f := stays.nextWith(t, "after a tab closed"); f.id <= 0 {
		t.Fatalf("the open stream got the text with id %d, want a positive id", f.id)
	}
}

// At the limit, a new stream takes the slot of the user's oldest stream
// (once that one is older than evictAfter), which ends; the browser of a
// tab still open reconnects and shares the slots with the rest.
func TestEventsNewStreamEvictsTheOldest(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: time.Hour, maxStreams: 2, evictAfter: time.Millisecond})
	oldest := ls.openStream(t, ls.client, "/events", "")
	ls.waitClients(t, 1)
	second := ls.openStream(t, ls.client, "/events", "")
	ls.waitClients(t, 2)
	time.Sleep(10 * time.Millisecond) // both are older than evictAfter
	fresh := ls.openStream(t, ls.client, "/events", "")
	select {
	case <-oldest.ended:
	case <-time.After(liveWait):
		t.Fatalf("the oldest stream still open %v after a third took its slot", liveWait)
	}
	ls.waitClients(t, 2)
	ls.text(t, "slot-2", "14155550100", "to the two left")
	for name, s := range map[string]*sseStream{"second": second, "fresh": fresh} {
		if f := s.nextWith(t, "to the two left"); f.id <= 0 {
			t.Fatalf("%s stream got the text with id %d, want a positive id", name, f.id)
		}
	}
}
