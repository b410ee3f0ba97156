package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A stream that carried more lines than anyone read still ends when its
// connection does: the graceful shutdown test reads no line of the stream
// it holds open under load, only waits for its end.
func TestLiveStreamEndsUnread(t *testing.T) {
	const lines = 20000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range lines / 2 {
			fmt.Fprintf(w, "data: line %d\n\n", i)
		}
	}))
	defer srv.Close()
	stream := openLiveStream(t, srv.Client(), srv.URL)
	select {
	case <-stream.ended:
	case <-time.After(liveWait):
		t.Fatalf("the stream was still open %v after the server ended it, %d lines in", liveWait, lines)
	}
	// And what came is all there, in order, for a test that does read.
	stream.await(t, fmt.Sprintf("line %d", lines/2-1), liveWait)
}
