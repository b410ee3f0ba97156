package config

import (
	"math"
	"strconv"
	"strings"
)

// readSending reads how fast each sending number sends: SEND_PACE (auto,
// the default: each number at its kind's rate; off: no pacing) and
// SEND_RATES, a comma-separated list of number=rate in messages per second
// (+14155550199=0.5, 12345=100; 0 unpaces a number).
func (r *reader) readSending(c *Config) {
	switch r.lower("SEND_PACE") {
	case "", "auto":
	case "off":
		c.SendPaceOff = true
	default:
		r.bad("SEND_PACE", "must be auto or off, got %q", r.get("SEND_PACE"))
	}
	for _, entry := range splitList(r.get("SEND_RATES")) {
		n, rate, ok := strings.Cut(entry, "=")
		n, rate = strings.TrimSpace(n), strings.TrimSpace(rate)
		v, err := strconv.ParseFloat(rate, 64)
		switch {
		case !ok || n == "":
			r.bad("SEND_RATES", "%q is not number=rate, like +14155550199=1", entry)
			continue
		case !isE164(n) && !isShortCode(n):
			r.bad("SEND_RATES", "%q is not an E.164 number like +14155550199 or a short code like 12345", n)
			continue
		case err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v > 10000:
			r.bad("SEND_RATES", "the rate of %s must be messages per second from 0 (unpaced) to 10000, got %q", n, rate)
			continue
		}
		if c.SendRates == nil {
			c.SendRates = map[string]float64{}
		}
		c.SendRates[n] = v
	}
}

// isShortCode reports whether s is 3 to 8 digits without "+".
func isShortCode(s string) bool {
	if len(s) < 3 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
