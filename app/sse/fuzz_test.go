package sse

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// readSSEFrame reads one frame as an EventSource does (lines end at CR, LF or
// CRLF; one space after the colon is dropped) and fails the test unless it
// is exactly one event ended by one blank line.
func readSSEFrame(t *testing.T, frame string) (id, event string, data []string) {
	t.Helper()
	if frame == "\n" {
		return "", "", nil // no fields: a blank line dispatches nothing
	}
	if !strings.HasSuffix(frame, "\n\n") {
		t.Fatalf("frame %q does not end with a blank line", frame)
	}
	lines := strings.Split(strings.TrimSuffix(frame, "\n\n"), "\n")
	for _, line := range lines {
		if strings.ContainsRune(line, '\r') {
			t.Fatalf("frame %q has a CR inside a line: it would split the field", frame)
		}
		if line == "" {
			t.Fatalf("frame %q has a blank line before its end: it would dispatch early", frame)
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "id":
			id = value
		case "event":
			event = value
		case "data":
			data = append(data, value)
		default:
			t.Fatalf("frame %q has a field %q", frame, name)
		}
	}
	return id, event, data
}

func FuzzWrite(f *testing.F) {
	f.Add(int64(7), "message", "<div>\n  <p>hi</p>\r\n</div>\n")
	f.Add(int64(0), "", "a\r\rb\n\n\nc")
	f.Add(int64(-1), "x\ny", " leading space")
	f.Add(int64(1), "", "\r\n")
	f.Add(int64(9), "e", "data: id: event:\x00\xff")
	f.Fuzz(func(t *testing.T, id int64, event, data string) {
		var b bytes.Buffer
		err := Write(&b, id, event, data)
		if strings.ContainsAny(event, "\r\n") {
			if !errors.Is(err, ErrEventName) || b.Len() != 0 {
				t.Fatalf("event %q: err=%v, wrote %q; want ErrEventName and nothing written", event, err, b.String())
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		gotID, gotEvent, gotData := readSSEFrame(t, b.String())
		wantID := ""
		if id > 0 {
			wantID = strconv.FormatInt(id, 10)
		}
		if gotID != wantID || gotEvent != event {
			t.Fatalf("id=%q event=%q, want %q %q", gotID, gotEvent, wantID, event)
		}
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(strings.TrimRight(data, "\r\n"))
		if got := strings.Join(gotData, "\n"); got != want {
			t.Fatalf("data read back=%q, want %q", got, want)
		}
		var c bytes.Buffer
		if err := WriteComment(&c, data); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c.String(), ":") || strings.Count(c.String(), "\n") != 2 || strings.ContainsRune(c.String(), '\r') {
			t.Fatalf("comment %q is not one comment line", c.String())
		}
	})
}
