package sse

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// ErrEventName reports an event name with a line break, which would end
// the field early and let the rest be read as other fields.
var ErrEventName = errors.New("sse: event name contains a line break")

// Write writes one Server-Sent Events frame: an "id:" line when id > 0,
// an "event:" line when event is set, one "data:" line per line of data
// (the format ends a field at CR, LF or CRLF, so multi-line HTML must be
// split; line breaks at the very end are dropped), and the blank line that
// dispatches the event. A frame with only an id dispatches nothing but
// still moves the browser's Last-Event-ID forward.
func Write(w io.Writer, id int64, event, data string) error {
	if strings.ContainsAny(event, "\r\n") {
		return ErrEventName
	}
	var b strings.Builder
	b.Grow(len(data) + len(event) + 48)
	if id > 0 {
		b.WriteString("id: ")
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte('\n')
	}
	if event != "" {
		b.WriteString("event: ")
		b.WriteString(event)
		b.WriteByte('\n')
	}
	if data = strings.TrimRight(data, "\r\n"); data != "" {
		for data != "" {
			line := data
			i := strings.IndexAny(data, "\r\n")
			if i >= 0 {
				line = data[:i]
				if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
					i++
				}
				data = data[i+1:]
			} else {
				data = ""
			}
			b.WriteString("data: ")
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteComment writes a comment line, which browsers ignore: a
// heartbeat that finds out whether the client is still there.
func WriteComment(w io.Writer, text string) error {
	_, err := io.WriteString(w, ": "+strings.NewReplacer("\r", " ", "\n", " ").Replace(text)+"\n\n")
	return err
}

// Reframe splits a frame that Write framed with the id announce into the
// id line for id instead and the rest, shared as it is: one frame rendered
// once goes out under a higher id without being copied.
func Reframe(frame []byte, announce, id int64) (head string, rest []byte) {
	return "id: " + strconv.FormatInt(id, 10) + "\n", frame[len("id: "+strconv.FormatInt(announce, 10)+"\n"):]
}
