package live

import "time"

// Backoff between attempts to reach the bus again.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// backoff is the wait between failed attempts to reach the bus: it
// doubles from minBackoff up to maxBackoff and starts over once an attempt
// succeeds. The zero value is ready to use.
type backoff struct{ wait time.Duration }

// next returns the wait before the next attempt and doubles the one after.
func (b *backoff) next() time.Duration {
	if b.wait == 0 {
		b.wait = minBackoff
	}
	d := b.wait
	b.wait = min(2*b.wait, maxBackoff)
	return d
}

// reset starts over after a success.
func (b *backoff) reset() { b.wait = 0 }
