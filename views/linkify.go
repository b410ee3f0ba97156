package views

import (
	"net/url"
	"regexp"
	"strings"
)

// bodyPart is a run of a text's body: plain text, or a web address with
// the URL it links to.
type bodyPart struct {
	text string
	href string // "" for plain text
}

// linkPattern finds web addresses: anything after http:// or https://
// up to a space, and bare domains (example.com/path) under a short list
// of well-known top-level domains, so "file.txt" or "v1.2" stay text.
var linkPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|org|net|io|co|app|dev|info|biz|me|ly|uk|us|ca|au|de|fr|es|it|nl|eu|ie|nz|in)\b(?:/[^\s<>"]*)?`)

// linkParts splits a text's body into plain text and links, for the
// template to render each as text or as <a>; it never produces HTML.
// Joined, the parts' text is body unchanged.
func linkParts(body string) []bodyPart {
	var parts []bodyPart
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(body, -1) {
		start, end := m[0], m[0]+len(trimLinkEnd(body[m[0]:m[1]]))
		if start > 0 && strings.ContainsRune("@.-_/:", rune(body[start-1])) {
			continue // part of an e-mail address or of a longer word
		}
		href, ok := linkHref(body[start:end])
		if !ok {
			continue
		}
		if start > last {
			parts = append(parts, bodyPart{text: body[last:start]})
		}
		parts = append(parts, bodyPart{text: body[start:end], href: href})
		last = end
	}
	if last < len(body) {
		parts = append(parts, bodyPart{text: body[last:]})
	}
	return parts
}

// trimLinkEnd drops what ends a sentence rather than an address: trailing
// punctuation, and a closing bracket the address did not open.
func trimLinkEnd(s string) string {
	for s != "" {
		last := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?'*", last) >= 0:
		case last == ')' && strings.Count(s, "(") < strings.Count(s, ")"):
		case last == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
		default:
			return s
		}
		s = s[:len(s)-1]
	}
	return s
}

// linkHref is the URL a found address links to: itself, or https:// in
// front of a bare domain; false when it does not parse as a web address
// with a host.
func linkHref(s string) (string, bool) {
	href := s
	lower := strings.ToLower(s)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		href = "https://" + s
	}
	u, err := url.Parse(href)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	return href, true
}
