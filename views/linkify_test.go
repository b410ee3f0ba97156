package views

import (
	"net/url"
	"strings"
	"testing"
)

func TestLinkParts(t *testing.T) {
	tests := []struct {
		body string
		want []bodyPart
	}{
		{"no links here", []bodyPart{{text: "no links here"}}},
		{"", nil},
		{"https://example.com", []bodyPart{{text: "https://example.com", href: "https://example.com"}}},
		{"see https://example.com/a?b=1&c=2.", []bodyPart{{text: "see "}, {text: "https://example.com/a?b=1&c=2", href: "https://example.com/a?b=1&c=2"}, {text: "."}}},
		{"(http://example.com/x)", []bodyPart{{text: "("}, {text: "http://example.com/x", href: "http://example.com/x"}, {text: ")"}}},
		{"https://en.wikipedia.org/wiki/Foo_(bar) ok", []bodyPart{{text: "https://en.wikipedia.org/wiki/Foo_(bar)", href: "https://en.wikipedia.org/wiki/Foo_(bar)"}, {text: " ok"}}},
		{"go to example.com/path, now", []bodyPart{{text: "go to "}, {text: "example.com/path", href: "https://example.com/path"}, {text: ", now"}}},
		{"Shop.Example.CO.UK!", []bodyPart{{text: "Shop.Example.CO.UK", href: "https://Shop.Example.CO.UK"}, {text: "!"}}},
		{"HTTPS://EXAMPLE.COM", []bodyPart{{text: "HTTPS://EXAMPLE.COM", href: "HTTPS://EXAMPLE.COM"}}},
		// Not addresses: files, versions, e-mail, other schemes, no host.
		{"open report.txt or v1.2", []bodyPart{{text: "open report.txt or v1.2"}}},
		{"mail bob@example.com", []bodyPart{{text: "mail bob@example.com"}}},
		{"javascript:alert(1)//example.com", []bodyPart{{text: "javascript:alert(1)//example.com"}}},
		{"https:// nothing", []bodyPart{{text: "https:// nothing"}}},
		{`<a href="https://example.com">x</a>`, []bodyPart{{text: `<a href="`}, {text: "https://example.com", href: "https://example.com"}, {text: `">x</a>`}}},
		{"line one\nhttps://example.com/x\nline three", []bodyPart{{text: "line one\n"}, {text: "https://example.com/x", href: "https://example.com/x"}, {text: "\nline three"}}},
	}
	for _, tt := range tests {
		got := linkParts(tt.body)
		if len(got) != len(tt.want) {
			t.Errorf("linkParts(%q)=%q, want %q", tt.body, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("linkParts(%q)=%q, want %q", tt.body, got, tt.want)
				break
			}
		}
	}
}

// The linker keeps every character of the text, in order, and links only
// to http(s) URLs with a host.
func FuzzLinkParts(f *testing.F) {
	for _, s := range []string{"see https://example.com/a.", "example.org/x)", "bob@example.com", "javascript:x//example.com", "http://[::1]:80/", "ftp://example.com", "https://ex ample.com", "é.com/ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var joined strings.Builder
		for _, p := range linkParts(body) {
			joined.WriteString(p.text)
			if p.href == "" {
				continue
			}
			if p.text == "" {
				t.Fatalf("linkParts(%q) made an empty link", body)
			}
			u, err := url.Parse(p.href)
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("linkParts(%q) links %q, want an http(s) URL with a host", body, p.href)
			}
		}
		if joined.String() != body {
			t.Fatalf("linkParts(%q) joined=%q, want the body unchanged", body, joined.String())
		}
	})
}
