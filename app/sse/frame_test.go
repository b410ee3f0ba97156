package sse

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var sseCases = []struct {
	name  string
	id    int64
	event string
	data  string
}{
	{"sse_one_line", 7, "update", `<li id="message-1" hx-swap-oob="true">hi</li>`},
	{"sse_multiline_html", 42, "update", "<div hx-swap-oob=\"beforeend:#messages-3\">\n\t<li>\n\t\t<p>line one\nline two</p>\n\t</li>\n</div>\n<li id=\"conversation-3\" hx-swap-oob=\"true\"></li>\n"},
	{"sse_crlf", 43, "update", "<p>one\r\ntwo\r\n\r\nfour</p>\r\n"},
	{"sse_lone_cr", 44, "update", "<p>one\rtwo</p>"},
	{"sse_blank_lines_kept", 45, "update", "a\n\n\nb"},
	{"sse_leading_space", 46, "update", "  indented\n: not a comment\ndata: not a field"},
	{"sse_id_only", 47, "", ""},
	{"sse_no_id", 0, "update", "x"},
}

func TestWriteGolden(t *testing.T) {
	for _, tt := range sseCases {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.id, tt.event, tt.data); err != nil {
				t.Fatalf("Write err=%v, want nil", err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("Write=%q, want %q", got, want)
			}
		})
	}
}

// What a browser reads back from a frame is the data with its line breaks
// made LF and the trailing ones dropped, and the id and event as given.
func TestWriteRoundTrip(t *testing.T) {
	for _, tt := range sseCases {
		var b bytes.Buffer
		if err := Write(&b, tt.id, tt.event, tt.data); err != nil {
			t.Fatal(err)
		}
		got := parseSSE(t, b.String())
		if len(got) != 1 {
			t.Fatalf("%s: %d frames, want 1", tt.name, len(got))
		}
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(tt.data)
		want = strings.TrimRight(want, "\n")
		f := got[0]
		if f.data != want || f.event != tt.event || f.id != tt.id {
			t.Errorf("%s: read back id=%d event=%q data=%q, want %d %q %q", tt.name, f.id, f.event, f.data, tt.id, tt.event, want)
		}
	}
}

func TestWriteRefusesLineBreakInEvent(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, 1, "update\ndata: x", "y"); !errors.Is(err, ErrEventName) {
		t.Fatalf("Write(event with LF)=%v, want ErrEventName", err)
	}
	if b.Len() != 0 {
		t.Fatalf("wrote %q for a refused frame, want nothing", b.String())
	}
}

func TestWriteComment(t *testing.T) {
	var b bytes.Buffer
	if err := WriteComment(&b, "ping\nid: 9"); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != ": ping id: 9\n\n" {
		t.Fatalf("comment=%q, want one comment line", got)
	}
	if frames := parseSSE(t, b.String()); len(frames) != 0 {
		t.Fatalf("comment parsed as %d frames, want none", len(frames))
	}
}

type sseFrame struct {
	id    int64
	event string
	data  string
}

// parseSSE reads frames as the HTML standard's event-stream parser does
// (fields split at CR, LF or CRLF; one leading space after the colon
// dropped; comments ignored). A frame without data still counts when it
// carries an id, since that moves Last-Event-ID.
func parseSSE(t testing.TB, s string) []sseFrame {
	t.Helper()
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	var (
		frames  []sseFrame
		cur     sseFrame
		data    []string
		hasData bool
		hasID   bool
	)
	for line := range strings.SplitSeq(s, "\n") {
		if line == "" {
			if hasData || hasID {
				cur.data = strings.Join(data, "\n")
				frames = append(frames, cur)
			}
			cur, data, hasData, hasID = sseFrame{}, nil, false, false
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "id":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				t.Fatalf("id %q is not a number", value)
			}
			cur.id, hasID = n, true
		case "event":
			cur.event = value
		case "data":
			data, hasData = append(data, value), true
		default:
			t.Fatalf("unexpected field %q in %q", name, s)
		}
	}
	return frames
}

// A frame rendered for one id goes out under a higher one unchanged
// otherwise.
func TestReframe(t *testing.T) {
	var b strings.Builder
	if err := Write(&b, 41, "update", "<p>a</p>\n<p>b</p>"); err != nil {
		t.Fatal(err)
	}
	head, rest := Reframe([]byte(b.String()), 41, 1000)
	want := strings.Replace(b.String(), "id: 41\n", "id: 1000\n", 1)
	if got := head + string(rest); got != want {
		t.Fatalf("reframed %q, want %q", got, want)
	}
}
