package main

import (
	"context"
	"time"
)

// snoozeWakeEvery is how often due snoozes are announced. A due
// conversation is back in the Open list at once (the list asks the
// clock); this only brings it into open pages without a reload.
const snoozeWakeEvery = 30 * time.Second

// wakeSnoozes announces snoozes that are over until ctx ends.
func (m *Main) wakeSnoozes(ctx context.Context) {
	tick := time.NewTicker(snoozeWakeEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n, err := m.Inbox.WakeDueSnoozes(ctx); err != nil && ctx.Err() == nil {
			m.Log.Warn("wake snoozed conversations", "err", err)
		} else if n > 0 {
			m.Log.Info("woke snoozed conversations", "count", n)
		}
	}
}
