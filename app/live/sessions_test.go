package live

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

// One user.sessions_ended on the bus ends that person's streams on every
// instance at once, and nobody else's; the others never see the event.
func TestHub_SessionsEndedEndsStreamsOnEveryInstance(t *testing.T) {
	instances := map[string]func(t *testing.T) (Bus, Bus){
		"memory": func(t *testing.T) (Bus, Bus) {
			bus := NewMemory()
			t.Cleanup(func() { _ = bus.Close() })
			return bus, bus
		},
		"redis": func(t *testing.T) (Bus, Bus) {
			a := mustRedis(t, RedisOptions{})
			return a, mustRedis(t, RedisOptions{Channel: a.opts.Channel})
		},
	}
	for name, open := range instances {
		t.Run(name, func(t *testing.T) {
			busA, busB := open(t)
			hubA, _ := startHub(t, busA, HubOptions{})
			hubB, _ := startHub(t, busB, HubOptions{})
			anaA, anaB := mustRegister(t, hubA, 7), mustRegister(t, hubB, 7)
			bobA, bobB := mustRegister(t, hubA, 8), mustRegister(t, hubB, 8)

			mustPublish(t, busA, inbox.Event{Kind: inbox.EventSessionsEnded, UserID: 7})
			expectEnded(t, anaA, ErrSessionsEnded)
			expectEnded(t, anaB, ErrSessionsEnded)

			// Bob's streams go on, and the next thing they see is the next
			// event: the sessions_ended itself is not fanned out.
			mustPublish(t, busA, testEvent(1))
			for _, c := range []*Client{bobA, bobB} {
				if got := recvClient(t, c); !sameEvent(got, testEvent(1)) {
					t.Fatalf("bob got %+v, want %+v", got, testEvent(1))
				}
			}
			if n := hubA.Clients() + hubB.Clients(); n != 2 {
				t.Fatalf("clients left=%d, want bob's 2", n)
			}
		})
	}
}

// A sign-out names its session: only that browser's streams end, and the
// person's other sessions (another device) keep theirs.
func TestHub_SessionsEndedNamingASessionEndsOnlyIt(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		h, _ := startHub(t, bus, HubOptions{})
		laptop, err := h.RegisterSession(7, "s-laptop")
		if err != nil {
			t.Fatal(err)
		}
		phone, err := h.RegisterSession(7, "s-phone")
		if err != nil {
			t.Fatal(err)
		}
		mustPublish(t, bus, inbox.Event{Kind: inbox.EventSessionsEnded, UserID: 7, SessionID: "s-laptop"})
		expectEnded(t, laptop, ErrSessionsEnded)
		mustPublish(t, bus, testEvent(1))
		if got := recvClient(t, phone); !sameEvent(got, testEvent(1)) {
			t.Fatalf("the other session got %+v, want %+v", got, testEvent(1))
		}
	})
}
