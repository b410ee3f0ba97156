package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// minCompress is the smallest body worth compressing: below it the
// encoding's own framing eats the gain (a probe's JSON, Plivo's XML
// reply, an htmx toast).
const minCompress = 512

// compress answers HTML, JSON, CSS and JavaScript brotli- or
// gzip-compressed to a client that accepts it. It runs first, so error
// pages and the 500s of recovered panics are compressed too. The live
// stream (/events, under any spelling the router accepts) is left alone:
// it takes its connection over and writes events as they happen, which a
// compressor would hold back; streamed exports too. Static assets come
// compressed already (handleStatic), which Content-Encoding tells. The
// levels are the default ones (brotli 4, gzip 6), quick enough per
// request: an inbox page of 112 KB goes out as 10 KB.
func (s *server) compress(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	resp := c.Response()
	// A hijacked connection (the live stream) writes the head it finds
	// when the middleware is done: Content-Encoding must not be on it.
	if c.Context().Hijacked() || resp.IsBodyStream() || len(resp.Header.ContentEncoding()) > 0 || !compressibleType(resp.Header.ContentType()) {
		return nil
	}
	body := resp.Body()
	if len(body) < minCompress {
		return nil
	}
	// Whether or not this client gets it compressed, the next may: a
	// cache must key on both headers the choice reads.
	resp.Header.Add(fiber.HeaderVary, fiber.HeaderAcceptEncoding+", "+headerFetchSite)
	if fromAnotherSite(c.Get(headerFetchSite)) {
		return nil
	}
	enc := acceptedEncoding(c.Get(fiber.HeaderAcceptEncoding))
	var out []byte
	switch enc {
	case "br":
		out = fasthttp.AppendBrotliBytesLevel(nil, body, fasthttp.CompressBrotliDefaultCompression)
	case "gzip":
		out = fasthttp.AppendGzipBytesLevel(nil, body, fasthttp.CompressDefaultCompression)
	default:
		return nil
	}
	resp.SetBodyRaw(out)
	resp.Header.Set(fiber.HeaderContentEncoding, enc)
	return nil
}

// headerFetchSite is the fetch-metadata header browsers send to say
// where a request comes from.
const headerFetchSite = "Sec-Fetch-Site"

// fromAnotherSite reports whether a request was made by another site's
// page (a sibling subdomain included). Such an answer goes out plain:
// compressing it would let that site learn secrets of the page (the
// session's CSRF token, customers' texts) from the size of answers
// holding text it chose, such as a search (BREACH). Parley's own pages,
// and addresses typed or bookmarked ("none"), are compressed; a client
// that sends no fetch metadata is too, for old browsers and tools.
func fromAnotherSite(site string) bool {
	return site == "cross-site" || site == "same-site"
}

// compressibleType reports whether a Content-Type is one Parley
// compresses: pages and fragments, JSON, stylesheets, scripts and SVG.
// Plivo's XML replies, CSV exports and images go as they are.
func compressibleType(ct []byte) bool {
	t := string(ct)
	for _, prefix := range []string{"text/html", "application/json", "text/css", "text/javascript", "application/javascript", "image/svg+xml"} {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

// acceptedEncoding picks the encoding to answer in from an
// Accept-Encoding header: brotli (smaller) over gzip, either only when
// the client accepts it (a q of 0 refuses; "*" accepts both), and ""
// for none.
func acceptedEncoding(header string) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		weight := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				weight = f
			}
		}
		q[name] = weight
	}
	for _, enc := range []string{"br", "gzip"} {
		w, ok := q[enc]
		if !ok {
			w, ok = q["*"]
		}
		if ok && w > 0 {
			return enc
		}
	}
	return ""
}
