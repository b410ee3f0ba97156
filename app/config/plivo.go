package config

import "strings"

// readPlivo reads the carrier account, its numbers and how its webhooks
// are checked.
func (r *reader) readPlivo(c *Config) {
	c.PlivoAuthID = r.get("PLIVO_AUTH_ID")
	c.PlivoAuthTokens = splitList(r.get("PLIVO_AUTH_TOKEN"))
	for _, entry := range splitList(r.get("PLIVO_PHONE_NUMBER")) {
		n, name, _ := strings.Cut(entry, "=")
		n, name = strings.TrimSpace(n), strings.TrimSpace(name)
		if !isE164(n) {
			r.bad("PLIVO_PHONE_NUMBER", "%q is not an E.164 number like +14155550199 (optionally with a name: +14155550199=Support)", n)
			continue
		}
		c.PlivoPhoneNumbers = append(c.PlivoPhoneNumbers, n)
		if name != "" {
			if c.PlivoNumberNames == nil {
				c.PlivoNumberNames = map[string]string{}
			}
			c.PlivoNumberNames[n] = name
		}
	}
	c.PlivoAPIURL = r.get("PLIVO_API_URL")
	if _, ok := httpURL(c.PlivoAPIURL); c.PlivoAPIURL != "" && !ok {
		r.bad("PLIVO_API_URL", "must be an absolute http:// or https:// URL")
	}

	c.PlivoSignature = r.lower("PLIVO_SIGNATURE")
	switch c.PlivoSignature {
	case "":
		c.PlivoSignature = "auto"
	case "auto", "v3", "v2":
	default:
		r.bad("PLIVO_SIGNATURE", "must be auto, v3 or v2, got %q", c.PlivoSignature)
	}
}

func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
