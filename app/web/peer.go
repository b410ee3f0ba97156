package web

import (
	"net"
	"time"
)

// watchPeer notices at once that the browser closed a live stream's
// connection, and calls gone; a heartbeat would notice only up to 15 s
// later, and meanwhile the closed tab holds one of its user's stream
// slots. A browser sends nothing after its request on an event stream,
// so a read that fails (EOF, a reset, keep-alive probes unanswered) means
// the peer is gone; bytes that do arrive are discarded.
//
// conn is the connection the hijack handler was given: its reads return
// first what fasthttp's reader had buffered past the request. The
// returned stop ends the watch (a read deadline in the past unblocks the
// read) and waits for it, and must run before the hijack handler returns:
// fasthttp then recycles its reader and closes raw.
func watchPeer(conn, raw net.Conn, gone func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var buf [64]byte
		for {
			if _, err := conn.Read(buf[:]); err != nil {
				gone()
				return
			}
		}
	}()
	return func() {
		_ = raw.SetReadDeadline(time.Unix(1, 0))
		<-done
	}
}
