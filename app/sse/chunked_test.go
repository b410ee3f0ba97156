package sse

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// What a ChunkWriter sends over TCP is a well-formed HTTP/1.1 response
// that Go's client reads back, frame by frame.
func TestChunkWriter(t *testing.T) {
	for _, chunked := range []bool{true, false} {
		name := "HTTP/1.1 chunked"
		if !chunked {
			name = "HTTP/1.0 until close"
		}
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
				head := "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n"
				if chunked {
					head += "Transfer-Encoding: chunked\r\n"
				}
				w := NewChunkWriter(conn, chunked, []byte(head+"\r\n"))
				shared := []byte("id: 7\n\n")
				_, _ = w.WriteString("retry: 3000\n\n")
				_ = w.Flush() // head and first chunk
				_ = w.Flush() // nothing to send
				w.WriteShared(shared)
				_ = w.Flush()
				_, _ = w.Write([]byte("id: 8\n\n"))
				w.WriteShared(shared)
				_ = w.Close()
			}()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("body: %v", err)
			}
			if want := "retry: 3000\n\nid: 7\n\nid: 8\n\nid: 7\n\n"; string(body) != want {
				t.Fatalf("body=%q, want %q", body, want)
			}
			if got := strings.Join(resp.TransferEncoding, ","); chunked != (got == "chunked") {
				t.Errorf("Transfer-Encoding=%q", got)
			}
		})
	}
}

// A flush sends everything written since the last one, or nothing at all.
func TestChunkWriterFlush(t *testing.T) {
	conn := &recordingConn{}
	w := NewChunkWriter(conn, true, nil)
	if err := w.Flush(); err != nil || len(conn.writes) != 0 {
		t.Fatalf("empty Flush: %v, %d writes; want none", err, len(conn.writes))
	}
	w.WriteShared([]byte("data: a\n\n"))
	_, _ = w.WriteString("data: bc\n\n")
	if w.Buffered() != 19 {
		t.Fatalf("Buffered()=%d, want 19", w.Buffered())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(conn.writes, ""), "13\r\ndata: a\n\ndata: bc\n\n\r\n"; got != want {
		t.Fatalf("sent %q, want %q", got, want)
	}
	if w.Buffered() != 0 {
		t.Fatalf("Buffered() after Flush=%d, want 0", w.Buffered())
	}
}

type recordingConn struct {
	net.Conn
	writes []string
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

// A write cut short by the connection's deadline (a client that reads
// slowly) keeps what it did not send; FlushPending, or the next Flush,
// sends it first, so the client still reads a well-formed response with
// every frame in order.
func TestChunkWriterResumesAWriteCutShort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	const frames, size = 40, 64 << 10
	frame := func(i int) string {
		return "data: " + strings.Repeat(string(rune('a'+i%26)), size) + "\n\n"
	}
	cut := make(chan bool, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		// A small send buffer, so that a reader that has not begun
		// holds the writes back.
		_ = conn.(*net.TCPConn).SetWriteBuffer(16 << 10)
		head := "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
		w := NewChunkWriter(conn, true, []byte(head))
		wasCut := false
		for i := range frames {
			w.WriteShared([]byte(frame(i)))
			// Far too short for 2.5 MB to a reader that has not begun.
			_ = conn.SetWriteDeadline(time.Now().Add(time.Millisecond))
			if err := w.Flush(); err != nil {
				if !errors.Is(err, os.ErrDeadlineExceeded) || !w.Pending() {
					t.Errorf("flush %d: %v (pending %v), want a deadline with bytes kept", i, err, w.Pending())
					return
				}
				wasCut = true
			}
		}
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if w.Pending() {
			if err := w.FlushPending(); err != nil {
				t.Errorf("flush pending: %v", err)
			}
		}
		_ = w.Close()
		cut <- wasCut
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(200 * time.Millisecond) // let the writer's buffer fill
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	var want strings.Builder
	for i := range frames {
		want.WriteString(frame(i))
	}
	if string(body) != want.String() {
		t.Fatalf("body of %d bytes, want the %d frames in order (%d bytes)", len(body), frames, want.Len())
	}
	if !<-cut {
		t.Fatal("no write was cut short: the test proves nothing")
	}
}
