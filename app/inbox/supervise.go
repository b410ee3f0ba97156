package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// PanicRestartDelay is how long a background unit that panicked waits
// before it starts again: long enough that a unit panicking on every run
// logs once a second, not in a tight loop.
const PanicRestartDelay = time.Second

// supervise runs fn until ctx ends. A panic in fn is logged at error with
// its stack and reported to onPanic(unit), and fn starts again after
// PanicRestartDelay; a normal return ends supervise.
func supervise(ctx context.Context, log *slog.Logger, unit string, onPanic func(string), fn func(context.Context)) {
	for {
		if !panicked(log, unit, onPanic, func() { fn(ctx) }) {
			return
		}
		t := time.NewTimer(PanicRestartDelay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// panicked calls fn and reports whether it panicked, logging and counting
// the panic.
func panicked(log *slog.Logger, unit string, onPanic func(string), fn func()) (did bool) {
	defer func() {
		if r := recover(); r != nil {
			did = true
			log.Error("panic recovered; restarting", "unit", unit, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			if onPanic != nil {
				onPanic(unit)
			}
		}
	}()
	fn()
	return false
}
