package web

import (
	"runtime"
	"time"

	"github.com/parleyhq/parley/app/sse"
)

// fanoutSlice is how long a live stream may hold a fan-out slot for one
// write. A client that takes longer (its socket full: a slow network, or a
// browser that stopped reading) gives the slot up and finishes its write
// under the stream's own deadline, outside the budget, so it never holds
// the other streams back.
const fanoutSlice = 50 * time.Millisecond

// fanoutSlots is how many live streams write at once: all the CPUs but
// one, which is left to the webhooks. Without a bound every stream's write
// was runnable at once, and with 5,000 streams a webhook's answer waited
// behind them (p99 3.5 s against 0.6 s bounded; BENCHMARKS.md). Streams
// that wait for a slot gather more events into their next write.
func fanoutSlots() chan struct{} {
	return make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))
}

// takeSlot waits for a fan-out slot and reports whether it got one: a
// stream the hub ends while it waits writes its last bytes without one,
// under endGrace.
func (st *stream) takeSlot() bool {
	select {
	case st.srv.fanout <- struct{}{}:
		return true
	case <-st.client.Done():
		return false
	}
}

// flushInSlot is a flush holding a slot, which it gives back however the
// flush ends: a slot lost to a panic would stall every stream.
func (st *stream) flushInSlot(w *sse.ChunkWriter) error {
	defer func() { <-st.srv.fanout }()
	if err := st.setSliceDeadline(); err != nil {
		return err
	}
	return w.Flush()
}

// setSliceDeadline bounds the write a stream makes holding a slot to
// fanoutSlice (endGrace once the hub has ended the client), and makes the
// next setDeadline arm the stream's own deadline again.
func (st *stream) setSliceDeadline() error {
	st.deadlineMu.Lock()
	defer st.deadlineMu.Unlock()
	if st.connGone {
		return nil
	}
	st.armed = time.Time{}
	d := fanoutSlice
	select {
	case <-st.client.Done():
		d = endGrace
	default:
	}
	return st.conn.SetWriteDeadline(time.Now().Add(d))
}
