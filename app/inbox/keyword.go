package inbox

import (
	"strings"
	"time"
)

// KeywordRule is an automatic reply to a text that is exactly one of its
// keywords (case-insensitive, surrounding spaces ignored).
type KeywordRule struct {
	ID        int64
	Keywords  []string
	Reply     string
	Enabled   bool
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Matches reports whether the normalised text is one of r's keywords.
func (r KeywordRule) Matches(normalised string) bool {
	for _, k := range r.Keywords {
		if NormaliseKeyword(k) == normalised {
			return true
		}
	}
	return false
}

// NormaliseKeyword folds a text for keyword matching: trimmed, upper case,
// inner runs of white space collapsed to one space, trailing punctuation
// that phones add (".", "!") removed.
func NormaliseKeyword(text string) string {
	f := strings.Fields(strings.ToUpper(text))
	s := strings.Join(f, " ")
	return strings.TrimRight(s, ".!")
}

// MatchRule returns the first enabled rule, by position, whose keywords
// match text. Rules must be sorted by Position.
func MatchRule(rules []KeywordRule, text string) (KeywordRule, bool) {
	n := NormaliseKeyword(text)
	if n == "" {
		return KeywordRule{}, false
	}
	for _, r := range rules {
		if r.Enabled && r.Matches(n) {
			return r, true
		}
	}
	return KeywordRule{}, false
}

// ParseKeywords splits a comma-separated keyword list as an admin types it,
// dropping blanks and duplicates.
func ParseKeywords(list string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		k = NormaliseKeyword(k)
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
