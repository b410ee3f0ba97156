package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// What a chunkWriter sends is a well-formed HTTP/1.1 response that Go's
// client reads back frame by frame, and each flush is one write.
func TestChunkWriter(t *testing.T) {
	for _, chunked := range []bool{true, false} {
		name := "HTTP/1.1 chunked"
		if !chunked {
			name = "HTTP/1.0 until close"
		}
		t.Run(name, func(t *testing.T) {
			server, client := net.Pipe()
			writes := &countingConn{Conn: server}
			head := "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n"
			if chunked {
				head += "Transfer-Encoding: chunked\r\n"
			}
			w := &chunkWriter{conn: writes, chunked: chunked, head: []byte(head + "\r\n")}
			shared := asChunk(append(make([]byte, chunkHeadroom), "id: 7\n\n"...))
			go func() {
				_, _ = w.WriteString("retry: 3000\n\n")
				_ = w.Flush()                                      // head and first chunk: one write
				_ = w.Flush()                                      // nothing to send: no write
				_ = w.WriteFramed(shared, shared[3:len(shared)-2]) // straight through: one write
				_, _ = w.Write([]byte("id: 8\n\n"))                // buffered...
				_ = w.WriteFramed(shared, shared[3:len(shared)-2]) // ...so this joins it
				_ = w.Close()                                      // one flush, and the last chunk
				_ = server.Close()
			}()
			resp, err := http.ReadResponse(bufio.NewReader(client), nil)
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
			if want := map[bool]int{true: 4, false: 3}[chunked]; writes.n != want {
				t.Errorf("%d writes, want %d", writes.n, want)
			}
			if got := strings.Join(resp.TransferEncoding, ","); chunked != (got == "chunked") {
				t.Errorf("Transfer-Encoding=%q", got)
			}
		})
	}
}

type countingConn struct {
	net.Conn
	n int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.n++
	return c.Conn.Write(p)
}

func TestAsChunk(t *testing.T) {
	for _, data := range []string{"x", strings.Repeat("a", 255), strings.Repeat("b", 4096)} {
		got := string(asChunk(append(make([]byte, chunkHeadroom), data...)))
		if want := strconv.FormatInt(int64(len(data)), 16) + "\r\n" + data + "\r\n"; got != want {
			t.Errorf("asChunk(%d bytes) starts %.12q, want %.12q", len(data), got, want)
		}
	}
}
