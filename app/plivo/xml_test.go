package plivo_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/plivo"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestWriteResponseGolden(t *testing.T) {
	const cb = "https://inbox.example.com/plivo/sms/status?ref=42&x=1"
	tests := []struct {
		name string
		msgs []plivo.XMLMessage
	}{
		{"empty", nil},
		{"one", []plivo.XMLMessage{{Src: "14155550199", Dst: "14155550100", CallbackURL: cb, Text: "Thanks, we got your message."}}},
		{"no_callback", []plivo.XMLMessage{{Src: "14155550199", Dst: "14155550100", Text: "Hi"}}},
		{"escaping", []plivo.XMLMessage{{Src: "14155550199", Dst: "14155550100<14155550101", CallbackURL: cb, Text: `<3 & "quotes" 'too' > all`}}},
		{"newline", []plivo.XMLMessage{{Src: "14155550199", Dst: "14155550100", Text: "line one\nline two\r\n\ttabbed"}}},
		{"invalid", []plivo.XMLMessage{{Src: "1\x00", Dst: "2\x1b", Text: "bad \xff byte, bell \a, nul \x00, \uFFFE end"}}},
		{"two", []plivo.XMLMessage{{Src: "14155550199", Dst: "14155550100", Text: "one"}, {Src: "14155550199", Dst: "14155550101", Text: "two"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := plivo.WriteResponse(&b, tt.msgs...); err != nil {
				t.Fatalf("WriteResponse err=%v, want nil", err)
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
				t.Errorf("WriteResponse=%s, want %s", got, want)
			}
			if _, err := decodeResponse(b.Bytes()); err != nil {
				t.Errorf("decode err=%v, want nil", err)
			}
		})
	}
}

func TestWriteResponseWriteError(t *testing.T) {
	boom := errors.New("boom")
	err := plivo.WriteResponse(failWriter{boom}, plivo.XMLMessage{Text: "x"})
	if !errors.Is(err, boom) {
		t.Errorf("WriteResponse err=%v, want %v", err, boom)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// TestWriteResponseRoundTrip decodes the output of random valid text and
// checks that every attribute and the text come back unchanged.
func TestWriteResponseRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alphabet := []rune("aZ09 <>&\"';:/?=#%\t\n\r€é漢😀\u00a0\u2028\uFFFD]]>-")
	random := func() string {
		r := make([]rune, rng.Intn(40))
		for i := range r {
			r[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return string(r)
	}
	for i := range 500 {
		msgs := make([]plivo.XMLMessage, rng.Intn(3))
		for j := range msgs {
			msgs[j] = plivo.XMLMessage{Src: random(), Dst: random(), Text: random()}
			if rng.Intn(2) == 0 {
				msgs[j].CallbackURL = random()
			}
		}
		var b bytes.Buffer
		if err := plivo.WriteResponse(&b, msgs...); err != nil {
			t.Fatal(err)
		}
		got, err := decodeResponse(b.Bytes())
		if err != nil {
			t.Fatalf("case %d: decode err=%v, want nil; xml %s", i, err, b.String())
		}
		if len(got) != len(msgs) {
			t.Fatalf("case %d: messages=%d, want %d", i, len(got), len(msgs))
		}
		for j := range msgs {
			if got[j] != msgs[j] {
				t.Errorf("case %d: message=%+v, want %+v", i, got[j], msgs[j])
			}
		}
	}
}

// decodeResponse parses a reply strictly and returns its messages; it fails
// on anything but <Response> holding <Message> elements with the expected
// attributes.
func decodeResponse(data []byte) ([]plivo.XMLMessage, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var msgs []plivo.XMLMessage
	var cur *plivo.XMLMessage
	var text strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if depth != 0 {
				return nil, errors.New("unclosed element")
			}
			return msgs, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && tok.Name.Local == "Response":
			case depth == 2 && tok.Name.Local == "Message":
				cur = &plivo.XMLMessage{}
				text.Reset()
				method := ""
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "src":
						cur.Src = a.Value
					case "dst":
						cur.Dst = a.Value
					case "callbackUrl":
						cur.CallbackURL = a.Value
					case "callbackMethod":
						method = a.Value
					case "type":
						if a.Value != "sms" {
							return nil, errors.New("type is not sms")
						}
					}
				}
				if (cur.CallbackURL != "") != (method == "POST") {
					return nil, errors.New("callbackMethod without callbackUrl or the reverse")
				}
			default:
				return nil, errors.New("unexpected element " + tok.Name.Local)
			}
		case xml.CharData:
			if depth != 2 {
				return nil, errors.New("text outside <Message>")
			}
			text.Write(tok)
		case xml.EndElement:
			if depth == 2 {
				cur.Text = text.String()
				msgs = append(msgs, *cur)
			}
			depth--
		default:
			return nil, errors.New("unexpected token")
		}
	}
}

// validXMLText reports whether s survives XML unchanged: valid UTF-8 and
// only characters XML 1.0 allows.
func validXMLText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\t', r == '\n', r == '\r':
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// TestWriteResponseAllocs keeps the reply cheap: one buffer for plain
// numbers, URL and text.
func TestWriteResponseAllocs(t *testing.T) {
	m := plivo.XMLMessage{Src: "14155550199", Dst: "14155550100", CallbackURL: "https://h/s?ref=1", Text: "Thanks, we got it."}
	if n := testing.AllocsPerRun(100, func() { _ = plivo.WriteResponse(io.Discard, m) }); n > 1 {
		t.Errorf("allocs=%v, want <= 1", n)
	}
}
