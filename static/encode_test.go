package static_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/parleyhq/parley/static"
)

// Every text asset has brotli and gzip forms that are smaller and decode
// to its content; no other encoding is offered.
func TestEncoded(t *testing.T) {
	static.Precompress()
	for _, name := range []string{"css/app.css", "js/htmx.min.js", "js/sse.min.js", "js/app.min.js", "img/favicon.svg"} {
		a, ok := static.Find(static.Path(name))
		if !ok || !a.Compressible() {
			t.Fatalf("%s: found=%v, want a compressible asset", name, ok)
		}
		for _, tc := range []struct {
			enc    string
			reader func(io.Reader) (io.Reader, error)
		}{
			{"br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
			{"gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		} {
			enc := a.Encoded(tc.enc)
			if len(enc) == 0 || len(enc) >= len(a.Content) {
				t.Errorf("%s %s: %d bytes, want fewer than %d", name, tc.enc, len(enc), len(a.Content))
				continue
			}
			r, err := tc.reader(bytes.NewReader(enc))
			if err != nil {
				t.Fatalf("%s %s: %v", name, tc.enc, err)
			}
			if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, a.Content) {
				t.Errorf("%s %s: decodes to %d bytes (%v), want the %d of the content", name, tc.enc, len(got), err, len(a.Content))
			}
		}
		if got := a.Encoded("deflate"); got != nil {
			t.Errorf("%s deflate: %d bytes, want none offered", name, len(got))
		}
	}
}

// An If-None-Match names the asset when one of its tags is the ETag,
// strong or weak, or when it is "*".
func TestMatches(t *testing.T) {
	a, _ := static.Find(static.Path("css/app.css"))
	strong := a.ETag[len("W/"):]
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{a.ETag, true},
		{strong, true},
		{`"x", ` + a.ETag, true},
		{"*", true},
		{"", false},
		{`W/"0000000000000000"`, false},
	} {
		if got := a.Matches(tc.header); got != tc.want {
			t.Errorf("Matches(%q)=%v, want %v", tc.header, got, tc.want)
		}
	}
}
