package web

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// errSSEField reports an event name with a line break, which would end
// the field early and let the rest be read as other fields.
var errSSEField = errors.New("web: sse: event name contains a line break")

// writeSSE writes one Server-Sent Events frame: an "id:" line when id > 0,
// an "event:" line when event is set, one "data:" line per line of data
// (the format ends a field at CR, LF or CRLF, so multi-line HTML must be
// split; line breaks at the very end are dropped), and the blank line that
// dispatches the event. A frame with only an id dispatches nothing but
// still moves the browser's Last-Event-ID forward.
func writeSSE(w io.Writer, id int64, event, data string) error {
	if strings.ContainsAny(event, "\r\n") {
		return errSSEField
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

// writeSSEComment writes a comment line, which browsers ignore: a
// heartbeat that finds out whether the client is still there.
func writeSSEComment(w io.Writer, text string) error {
	_, err := io.WriteString(w, ": "+strings.NewReplacer("\r", " ", "\n", " ").Replace(text)+"\n\n")
	return err
}
