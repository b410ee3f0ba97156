package live

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// panicRestartDelay is how long a unit of this package (the hub's
// subscription, the Redis subscriber's loop) waits after a panic before it
// starts again, so one that panics every time logs once a second rather
// than spinning.
const panicRestartDelay = time.Second

// recovered calls fn and reports whether it panicked; a panic is logged
// at error with its stack and reported to onPanic(unit).
func recovered(log *slog.Logger, unit string, onPanic func(string), fn func()) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
			log.Error("live: panic recovered; restarting", slog.String("unit", unit),
				slog.String("panic", fmt.Sprint(r)), slog.String("stack", string(debug.Stack())))
			if onPanic != nil {
				onPanic(unit)
			}
		}
	}()
	fn()
	return false
}
