// Package static embeds Parley's browser assets (built CSS, htmx, our
// script, images) and names each by a hash of its content, so pages can
// link to URLs that are safe to cache forever.
//
// css/app.css is built by Tailwind, js/htmx.min.js and js/sse.min.js are
// copied from npm and js/app.min.js is minified from js/app.js by
// static/build.sh; all are committed, so building Parley needs no npm.
// Text assets are also kept brotli- and gzip-compressed (encode.go).
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Prefix is the URL path under which the web layer serves these files.
const Prefix = "/static/"

//go:embed css js img
var files embed.FS

// FS is every embedded asset, by its unhashed name ("css/app.css").
var FS fs.FS = files

var (
	byName   = map[string]*Asset{}
	byHashed = map[string]*Asset{}
)

func init() {
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		digest := hex.EncodeToString(sum[:])
		a := &Asset{
			Content:     content,
			ContentType: contentType(name),
			ETag:        `W/"` + digest[:16] + `"`,
			hashed:      hashedName(name, digest[:8]),
		}
		byName[name] = a
		byHashed[a.hashed] = a
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
}

// hashedName puts hash before the last extension: css/app.css becomes
// css/app.3f2a9c1b.css and js/htmx.min.js becomes js/htmx.min.3f2a9c1b.js.
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// Path returns the content-hashed URL of the named asset, for example
// Path("css/app.css") == "/static/css/app.3f2a9c1b.css". The hash is the
// first 8 hex digits of the SHA-256 of the content. For a name that is not
// embedded it returns the unhashed URL, which will answer 404.
func Path(name string) string {
	name = strings.TrimPrefix(name, "/")
	if a, ok := byName[name]; ok {
		return Prefix + a.hashed
	}
	return Prefix + name
}

// Lookup resolves a URL path, with or without the /static/ prefix, to the
// asset's content and Content-Type. Both the hashed form from Path and the
// plain name resolve; Hashed tells them apart. A hash that is not the
// current content's (a page from an older build) does not resolve.
func Lookup(urlPath string) (content []byte, contentType string, ok bool) {
	a, ok := Find(urlPath)
	if !ok {
		return nil, "", false
	}
	return a.Content, a.ContentType, true
}

// Find resolves a URL path as Lookup does, to the asset itself.
func Find(urlPath string) (*Asset, bool) {
	name := strings.TrimPrefix(strings.TrimPrefix(urlPath, Prefix), "/")
	a, ok := byHashed[name]
	if !ok {
		a, ok = byName[name]
	}
	return a, ok
}

// Hashed reports whether urlPath is the current content-hashed URL of an
// asset, which the caller may serve with
// "Cache-Control: public, max-age=31536000, immutable". Unhashed paths
// deserve a short cache.
func Hashed(urlPath string) bool {
	_, ok := byHashed[strings.TrimPrefix(strings.TrimPrefix(urlPath, Prefix), "/")]
	return ok
}

// contentType is fixed for the types we ship, so the answer does not depend
// on the host's /etc/mime.types.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
