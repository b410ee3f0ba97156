package static_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/static"
)

func TestPath(t *testing.T) {
	for _, tc := range []struct {
		name string
		want *regexp.Regexp
	}{
		{"css/app.css", regexp.MustCompile(`^/static/css/app\.[0-9a-f]{8}\.css$`)},
		{"js/htmx.min.js", regexp.MustCompile(`^/static/js/htmx\.min\.[0-9a-f]{8}\.js$`)},
		{"js/sse.min.js", regexp.MustCompile(`^/static/js/sse\.min\.[0-9a-f]{8}\.js$`)},
		{"js/app.js", regexp.MustCompile(`^/static/js/app\.[0-9a-f]{8}\.js$`)},
		{"/img/favicon.svg", regexp.MustCompile(`^/static/img/favicon\.[0-9a-f]{8}\.svg$`)},
	} {
		got := static.Path(tc.name)
		if !tc.want.MatchString(got) {
			t.Errorf("Path(%q)=%q, want to match %s", tc.name, got, tc.want)
		}
		content, err := fs.ReadFile(static.FS, strings.TrimPrefix(tc.name, "/"))
		if err != nil {
			t.Fatalf("read %s: %v", tc.name, err)
		}
		sum := sha256.Sum256(content)
		if hash := hex.EncodeToString(sum[:])[:8]; !strings.Contains(got, "."+hash+".") {
			t.Errorf("Path(%q)=%q, want the hash %s of the content", tc.name, got, hash)
		}
	}
	if got := static.Path("js/missing.js"); got != "/static/js/missing.js" {
		t.Errorf("Path(missing)=%q, want the plain URL", got)
	}
}

func TestLookup(t *testing.T) {
	css, err := fs.ReadFile(static.FS, "css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	hashed := static.Path("css/app.css")
	for _, tc := range []struct {
		path       string
		ok, hashed bool
	}{
		{hashed, true, true},
		{strings.TrimPrefix(hashed, "/static/"), true, true},
		{"/static/css/app.css", true, false},
		{"/static/css/app.00000000.css", false, false},
		{"/static/css/missing.css", false, false},
		{"/static/../static.go", false, false},
		{"/static/", false, false},
	} {
		content, ct, ok := static.Lookup(tc.path)
		if ok != tc.ok {
			t.Errorf("Lookup(%q) ok=%v, want %v", tc.path, ok, tc.ok)
			continue
		}
		if got := static.Hashed(tc.path); got != tc.hashed {
			t.Errorf("Hashed(%q)=%v, want %v", tc.path, got, tc.hashed)
		}
		if !ok {
			continue
		}
		if !bytes.Equal(content, css) {
			t.Errorf("Lookup(%q) content differs from css/app.css", tc.path)
		}
		if ct != "text/css; charset=utf-8" {
			t.Errorf("Lookup(%q) content type=%q", tc.path, ct)
		}
	}
}

func TestEveryAssetResolves(t *testing.T) {
	want := map[string]string{
		"css/app.css":     "text/css; charset=utf-8",
		"js/htmx.min.js":  "text/javascript; charset=utf-8",
		"js/sse.min.js":   "text/javascript; charset=utf-8",
		"js/app.js":       "text/javascript; charset=utf-8",
		"img/favicon.svg": "image/svg+xml",
	}
	seen := 0
	err := fs.WalkDir(static.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		seen++
		content, ct, ok := static.Lookup(static.Path(name))
		if !ok || len(content) == 0 {
			t.Errorf("%s: Lookup(Path) ok=%v len=%d", name, ok, len(content))
		}
		if w, listed := want[name]; listed && ct != w {
			t.Errorf("%s: content type=%q, want %q", name, ct, w)
		}
		delete(want, name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range want {
		t.Errorf("%s is not embedded", name)
	}
	if seen < 5 {
		t.Errorf("embedded %d files, want at least 5", seen)
	}
}

func TestBuiltCSSHasOurClasses(t *testing.T) {
	css, err := fs.ReadFile(static.FS, "css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	// Classes the templates use; if they are missing the CSS was built
	// before the templates changed (run `sh static/build.sh css`).
	for _, class := range []string{".btn-primary", `.md\:flex`, `.group\/inbox[data-selected=true]`, ".htmx-indicator", ".bg-accent-600"} {
		if !bytes.Contains(css, []byte(class)) {
			t.Errorf("app.css lacks %s", class)
		}
	}
}

// The script pages load is the minified build of js/app.js, well under the
// source's size. (CI rebuilds it and fails when it is not the source's.)
func TestAppScriptIsMinified(t *testing.T) {
	source, err := os.ReadFile("js/app.js")
	if err != nil {
		t.Fatal(err)
	}
	minified, _, ok := static.Lookup(static.Path("js/app.min.js"))
	if !ok {
		t.Fatal("js/app.min.js is not embedded")
	}
	if len(minified)*10 > len(source)*6 {
		t.Errorf("js/app.min.js is %d bytes, want under 60%% of the source's %d", len(minified), len(source))
	}
	if bytes.Contains(minified, []byte("// ")) || bytes.Count(minified, []byte("\n")) > 2 {
		t.Errorf("js/app.min.js keeps comments or line breaks")
	}
}
