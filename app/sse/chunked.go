package sse

import (
	"errors"
	"net"
	"os"
	"strconv"
)

// ChunkWriter writes a live stream's response straight to its connection:
// the response head with the first flush, then everything written between
// two flushes in one write (writev), as one chunk of HTTP/1.1's chunked
// encoding (or, for an HTTP/1.0 client, as plain bytes of a body that ends
// when the connection closes). Frames rendered once for every stream are
// sent from where they are, not copied; so a stream that fell behind by
// several frames catches up in one write, and a quiet stream holds no
// buffer. It replaces fasthttp's body stream writer, which copies every
// write through a pipe to a second goroutine per stream.
type ChunkWriter struct {
	conn    net.Conn
	chunked bool
	head    []byte      // the response head, until the first flush sends it
	parts   net.Buffers // what the next Flush sends, in order
	n       int         // bytes in parts
	vec     net.Buffers // reused by Flush
	size    [20]byte    // the chunk-size line
	// pending is what a Flush cut short by the connection's deadline did
	// not send (see FlushPending).
	pending net.Buffers
}

// NewChunkWriter returns a writer to conn that sends head, the response
// head up to and including its blank line, with the first Flush; chunked
// is false for an HTTP/1.0 client, whose body ends when conn closes.
func NewChunkWriter(conn net.Conn, chunked bool, head []byte) *ChunkWriter {
	return &ChunkWriter{conn: conn, chunked: chunked, head: head}
}

// Write copies p (ids, comments, frames of a single stream).
func (w *ChunkWriter) Write(p []byte) (int, error) {
	w.parts = append(w.parts, append([]byte(nil), p...))
	w.n += len(p)
	return len(p), nil
}

func (w *ChunkWriter) WriteString(s string) (int, error) {
	w.parts = append(w.parts, []byte(s))
	w.n += len(s)
	return len(s), nil
}

// WriteShared queues frame without copying it: frame must not change
// afterwards (frames rendered for every stream never do).
func (w *ChunkWriter) WriteShared(frame []byte) {
	w.parts = append(w.parts, frame)
	w.n += len(frame)
}

// Buffered reports how many bytes the next Flush sends as a chunk.
func (w *ChunkWriter) Buffered() int { return w.n }

// Flush sends what was written as one chunk (and the head, the first
// time), in one write; with nothing written it sends only a pending head.
// A write cut short by the connection's write deadline
// (os.ErrDeadlineExceeded) keeps what it did not send for FlushPending;
// any other error ends the stream.
func (w *ChunkWriter) Flush() error {
	if len(w.pending) > 0 {
		if err := w.FlushPending(); err != nil {
			return err
		}
	}
	vec := w.vec[:0]
	if w.head != nil {
		vec = append(vec, w.head)
		w.head = nil
	}
	if w.n > 0 {
		if w.chunked {
			line := append(strconv.AppendInt(w.size[:0], int64(w.n), 16), '\r', '\n')
			vec = append(vec, line)
			vec = append(vec, w.parts...)
			vec = append(vec, crlf)
		} else {
			vec = append(vec, w.parts...)
		}
	}
	clear(w.parts)
	w.parts, w.n, w.vec = w.parts[:0], 0, vec
	if len(vec) == 0 {
		return nil
	}
	_, err := vec.WriteTo(w.conn) // consumes its copy of the slice, not w.vec
	if errors.Is(err, os.ErrDeadlineExceeded) && len(vec) > 0 {
		// vec is now what was not written: the shared frames it points
		// into never change, and the chunk line and parts stay alive
		// until it is sent.
		w.pending = append(net.Buffers(nil), vec...)
		w.vec = nil
		return err
	}
	clear(w.vec)
	return err
}

// Pending reports whether a Flush left bytes unsent at its deadline.
func (w *ChunkWriter) Pending() bool { return len(w.pending) > 0 }

// FlushPending sends what a Flush cut short left unsent.
func (w *ChunkWriter) FlushPending() error {
	_, err := w.pending.WriteTo(w.conn)
	if len(w.pending) == 0 {
		w.pending = nil
	}
	return err
}

var crlf = []byte("\r\n")

// Close ends the body, after what was written, with the last chunk (an
// HTTP/1.0 body ends when the connection closes).
func (w *ChunkWriter) Close() error {
	if err := w.Flush(); err != nil || !w.chunked {
		return err
	}
	_, err := w.conn.Write([]byte("0\r\n\r\n"))
	return err
}
