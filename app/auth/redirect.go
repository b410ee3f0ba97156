package auth

import (
	"net/url"
	"strings"
)

// SafeNext returns next when it is a path on this site ("/conversations/4"),
// and "/" otherwise, so a crafted sign-in link cannot send people elsewhere
// (no scheme, no host, no "//" or "/\" that browsers treat as another host,
// no control characters).
func SafeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' {
		return "/"
	}
	if strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if strings.HasPrefix(u.Path, "/auth/") {
		return "/"
	}
	return next
}
