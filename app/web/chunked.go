package web

import (
	"net"
	"strconv"
)

// chunkHeadroom is the space kept in front of a chunk's data for its
// size line: up to 16 hex digits and CRLF.
const chunkHeadroom = 18

// asChunk frames b[chunkHeadroom:] as one chunk of HTTP/1.1's chunked
// encoding, in place: it writes the size line into the headroom and
// appends the CRLF, and returns the chunk (a sub-slice of b, or of its
// growth).
func asChunk(b []byte) []byte {
	n := len(b) - chunkHeadroom
	var size [chunkHeadroom]byte
	line := append(strconv.AppendInt(size[:0], int64(n), 16), '\r', '\n')
	start := chunkHeadroom - len(line)
	copy(b[start:], line)
	return append(b[start:], '\r', '\n')
}

// chunkWriter writes a live stream's response straight to its connection:
// the response head with the first flush, then each flush in one write, as
// one chunk of HTTP/1.1's chunked encoding (or, for an HTTP/1.0 client, as
// plain bytes of a body that ends when the connection closes). It replaces
// fasthttp's body stream writer, which copies every write through a pipe
// to a second goroutine per stream. A quiet stream holds no buffer.
type chunkWriter struct {
	conn    net.Conn
	chunked bool
	head    []byte // the response head, until the first flush sends it
	buf     []byte // chunkHeadroom bytes, then the data; nil when empty
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.grow(len(p))
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *chunkWriter) WriteString(s string) (int, error) {
	w.grow(len(s))
	w.buf = append(w.buf, s...)
	return len(s), nil
}

func (w *chunkWriter) grow(n int) {
	if w.buf == nil {
		w.buf = make([]byte, chunkHeadroom, chunkHeadroom+n+64)
	}
}

// WriteFramed writes a frame that was framed once for every stream, as
// chunk (asChunk's result) and as frame (its data): straight to the
// connection, with no copy, when nothing is waiting to be flushed (the
// common case); otherwise after what is.
func (w *chunkWriter) WriteFramed(chunk, frame []byte) error {
	if w.buf != nil || w.head != nil {
		_, err := w.Write(frame)
		return err
	}
	if !w.chunked {
		chunk = frame
	}
	_, err := w.conn.Write(chunk)
	return err
}

// Buffered reports how many bytes the next Flush sends as a chunk.
func (w *chunkWriter) Buffered() int {
	return max(0, len(w.buf)-chunkHeadroom)
}

// Flush sends what was written as one chunk (and the head, the first
// time), in one write; with nothing written it sends only a pending head.
func (w *chunkWriter) Flush() error {
	var out []byte
	switch {
	case w.Buffered() == 0:
	case w.chunked:
		out = asChunk(w.buf)
	default:
		out = w.buf[chunkHeadroom:]
	}
	if w.head != nil {
		out = append(w.head, out...)
		w.head = nil
	}
	w.buf = nil
	if len(out) == 0 {
		return nil
	}
	_, err := w.conn.Write(out)
	return err
}

// Close ends the body, after what was written, with the last chunk (an
// HTTP/1.0 body ends when the connection closes).
func (w *chunkWriter) Close() error {
	if err := w.Flush(); err != nil || !w.chunked {
		return err
	}
	_, err := w.conn.Write([]byte("0\r\n\r\n"))
	return err
}
