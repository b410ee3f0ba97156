package static

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Asset is one embedded file as the web layer serves it.
type Asset struct {
	Content     []byte
	ContentType string
	// ETag is a weak validator made from the content's hash: every
	// encoding of the same content shares it, as weak validators may.
	ETag   string
	hashed string

	once     sync.Once
	br, gzip []byte
}

// Compressible reports whether the asset is text that compression
// shrinks (CSS, scripts, SVG), so its answer varies on Accept-Encoding.
// Images such as PNG are compressed already.
func (a *Asset) Compressible() bool {
	t := a.ContentType
	return strings.HasPrefix(t, "text/") || strings.HasPrefix(t, "image/svg+xml") ||
		strings.HasPrefix(t, "application/json") || strings.HasPrefix(t, "application/javascript")
}

// Encoded returns the content compressed with encoding ("br" or "gzip"),
// or nil when the asset is not compressible, the encoding is another, or
// compressing does not make it smaller. Each asset is compressed once, at
// the best (slowest) levels, on first use: assets never change while the
// process runs, and a few hundred milliseconds once beat a few per
// request.
func (a *Asset) Encoded(encoding string) []byte {
	if !a.Compressible() {
		return nil
	}
	a.once.Do(a.compress)
	switch encoding {
	case "br":
		return a.br
	case "gzip":
		return a.gzip
	}
	return nil
}

func (a *Asset) compress() {
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	_, _ = bw.Write(a.Content) // a bytes.Buffer does not fail
	_ = bw.Close()
	var gz bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // a valid level
	_, _ = gw.Write(a.Content)
	_ = gw.Close()
	a.br, a.gzip = smaller(br.Bytes(), a.Content), smaller(gz.Bytes(), a.Content)
}

// smaller returns encoded when it is smaller than plain, nil otherwise.
func smaller(encoded, plain []byte) []byte {
	if len(encoded) >= len(plain) {
		return nil
	}
	return encoded
}

// Matches reports whether an If-None-Match header value names the asset's
// ETag, by the weak comparison RFC 9110 prescribes for it.
func (a *Asset) Matches(ifNoneMatch string) bool {
	if strings.TrimSpace(ifNoneMatch) == "*" {
		return true
	}
	want := strings.TrimPrefix(a.ETag, "W/")
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		if strings.TrimPrefix(strings.TrimSpace(tag), "W/") == want {
			return true
		}
	}
	return false
}

// Precompress compresses every asset now rather than on its first
// request, so the first visitor after a start does not wait (about a
// second in all on a slow CPU). Serve runs it in the background.
func Precompress() {
	for _, a := range byName {
		a.Encoded("br")
	}
}
