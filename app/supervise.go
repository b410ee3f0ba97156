package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"
)

// restartDelay is how long a background loop that panicked waits before
// it starts again.
const restartDelay = time.Second

// keepRunning runs fn until ctx ends. A panic in fn is logged at error
// with its stack and counted under unit, and fn starts again after
// restartDelay; a normal return ends keepRunning.
func (m *Main) keepRunning(ctx context.Context, unit string, fn func(context.Context)) {
	for m.recovered(unit, func() { fn(ctx) }) {
		t := time.NewTimer(restartDelay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// recovered calls fn and reports whether it panicked, logging and
// counting the panic.
func (m *Main) recovered(unit string, fn func()) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
			m.Log.Error("panic recovered", "unit", unit, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			m.Metrics.CountPanic(unit)
		}
	}()
	fn()
	return false
}

// countPanic reports a panic another package recovered from to the
// metrics; they are set after the parts that take it are built.
func (m *Main) countPanic(unit string) { m.Metrics.CountPanic(unit) }
