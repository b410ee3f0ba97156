package store

import (
	"fmt"
	"time"
)

// storedTime scans a timestamp as PostgreSQL's driver returns it
// (time.Time) or as SQLite stores it: text written by bun, "2006-01-02
// 15:04:05.999999+00:00" in UTC. That form is read by hand, several times
// faster than time.Parse on the hot path of a report; anything else goes
// to time.Parse.
type storedTime struct{ time.Time }

// Scan implements sql.Scanner.
func (t *storedTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		t.Time = v
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("store: a timestamp cannot be %T", v)
}

func (t *storedTime) parse(s string) error {
	if u, ok := parseUTCText(s); ok {
		t.Time = u
		return nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if u, err := time.Parse(layout, s); err == nil {
			t.Time = u.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: %q is not a timestamp", s)
}

// parseUTCText reads "YYYY-MM-DD HH:MM:SS[.f…]+00:00".
func parseUTCText(s string) (time.Time, bool) {
	n := len(s)
	if n < 25 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || s[n-6:] != "+00:00" {
		return time.Time{}, false
	}
	num := func(from, to int) (int, bool) {
		v := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	ns := 0
	if n > 25 {
		if s[19] != '.' || n-6-20 > 9 {
			return time.Time{}, false
		}
		frac, ok := num(20, n-6)
		if !ok {
			return time.Time{}, false
		}
		ns = frac
		for range 9 - (n - 6 - 20) {
			ns *= 10
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC), true
}
