package plivo

import (
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds on what a callback form may put into storage. Plivo sends about
// twenty short fields; anything beyond these is not from Plivo.
const (
	maxRawKeys  = 100     // keys kept in Raw, in sorted order
	maxRawKey   = 64      // longer keys are skipped
	maxRawValue = 8 << 10 // longer values are truncated (at a rune boundary)
	maxField    = 256     // longer scalar fields (codes, times, amounts) are truncated
)

// first returns the first value of key in form, or "".
func first(form map[string][]string, key string) string {
	if vs := form[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// field returns the first value of key, trimmed, cleaned and bounded: for
// short machine-written values such as codes, amounts and timestamps.
func field(form map[string][]string, key string) string {
	return truncate(cleanText(strings.TrimSpace(first(form, key))), maxField)
}

// rawFields keeps every key of form with its first value, for storage and
// debugging. It is bounded: keys longer than maxRawKey are skipped, only the
// first maxRawKeys keys in sorted order are kept, and values are truncated to
// maxRawValue bytes. Keys and values are cleaned like message text, so they
// are valid UTF-8 without NUL bytes and safe for any database.
func rawFields(form map[string][]string) map[string]string {
	raw := make(map[string]string, min(len(form), maxRawKeys))
	for _, k := range slices.Sorted(maps.Keys(form)) {
		if len(raw) == maxRawKeys {
			break
		}
		vs := form[k]
		key := cleanText(k) // before measuring: U+FFFD is 3 bytes
		if key == "" || len(key) > maxRawKey || len(vs) == 0 {
			continue
		}
		v := vs[0]
		if len(v) > maxRawValue {
			v = v[:maxRawValue]
		}
		raw[key] = truncate(cleanText(v), maxRawValue)
	}
	return raw
}

// cleanText makes s valid UTF-8 without control characters: invalid
// bytes become U+FFFD, and NUL, the other C0 controls but tab, line feed
// and carriage return, and DEL are dropped (no phone shows them, HTML and
// XML refuse most of them, and a terminal obeys them). A customer's text
// is never refused for its encoding. Clean input is returned without
// copying.
func cleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}

// truncate cuts s to at most n bytes without splitting a rune of valid
// UTF-8.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// validID reports whether s is 1 to 64 letters, digits or dashes, the shape
// of Plivo's UUIDs and of our own message ids.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// count parses a small non-negative count such as Units or Sequence; it
// reports false for anything else, including values above limit.
func count(s string, limit int) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n <= limit
}
