package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// reader reads variables and collects every complaint, so one start names
// all that is wrong at once.
type reader struct {
	getenv func(string) string
	errs   []error
}

// get returns the variable with surrounding space trimmed.
func (r *reader) get(name string) string { return strings.TrimSpace(r.getenv(name)) }

// lower returns the variable trimmed and lower-cased.
func (r *reader) lower(name string) string { return strings.ToLower(r.get(name)) }

// bad records that name is wrong and why.
func (r *reader) bad(name, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

// intRange reads a whole number from lo to hi. Unset or wrong it is zero,
// which every Options struct reads as "use the default".
func (r *reader) intRange(name string, lo, hi int) int {
	v := r.get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.bad(name, "must be a whole number from %d to %d, got %q", lo, hi, v)
		return 0
	}
	return n
}

// duration reads a Go duration of at least a minute, def when unset or
// wrong; example shows a valid value in the complaint.
func (r *reader) duration(name string, def time.Duration, example string) time.Duration {
	v := r.get(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		r.bad(name, "must be a duration of at least 1m, like %s, got %q", example, v)
		return def
	}
	return d
}

// list reads a comma-separated list, dropping blanks; each item that valid
// refuses is reported with format, which takes the item as %q.
func (r *reader) list(value, name string, valid func(string) bool, format string) []string {
	items := splitList(value)
	for _, it := range items {
		if valid != nil && !valid(it) {
			r.bad(name, format, it)
		}
	}
	return items
}

// httpURL reports whether s parses as an absolute http or https URL.
func httpURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	return u, true
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
