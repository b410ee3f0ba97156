package plivo

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

const (
	maxUnits    = 255  // a 1,600-character text is at most 25 units; more is garbage
	maxMedia    = 20   // Plivo forwards at most 10 attachments
	maxMediaURL = 4096 // longer media URLs are dropped
)

// ParseInbound turns the form of an inbound SMS or MMS webhook (POST body,
// or the query of a GET) into an inbox.Inbound. It reads every documented
// field: From and To become numbers (E.164, short codes and alphanumeric
// senders kept); the text is Text, or Body for MMS, made valid UTF-8 with
// control characters but tab and line breaks dropped; Media<n> keys with any index base become the attachments in
// index order (http and https URLs only); MessageIntent is kept only when it
// is optout, optin or help; Units defaults to 1 when absent or garbage.
// TotalRate, TotalAmount, PowerpackUUID, MediaCount and any other key are
// kept only in Raw, which is bounded: at most 100 keys, keys over 64 bytes
// skipped, values cut to 8 KiB. ParseInbound is pure, so it is idempotent.
//
// Errors: EINVALID with Field "From", "To" or "MessageUUID" when one is
// missing or malformed (a MessageUUID must be 1 to 64 letters, digits or
// dashes).
func ParseInbound(form map[string][]string) (inbox.Inbound, error) {
	from, err := carrierNumber(form, "From")
	if err != nil {
		return inbox.Inbound{}, err
	}
	to, err := carrierNumber(form, "To")
	if err != nil {
		return inbox.Inbound{}, err
	}
	id := first(form, "MessageUUID")
	if id == "" {
		return inbox.Inbound{}, inbox.FieldError("MessageUUID", "missing")
	}
	if !validID(id) {
		return inbox.Inbound{}, inbox.FieldError("MessageUUID", "must be 1 to 64 letters, digits or dashes")
	}
	units, ok := count(first(form, "Units"), maxUnits)
	if !ok || units < 1 {
		units = 1
	}
	return inbox.Inbound{
		ProviderUUID: id,
		From:         from,
		To:           to,
		Type:         messageType(first(form, "Type")),
		Text:         cleanText(cmp.Or(first(form, "Text"), first(form, "Body"))),
		Media:        media(form),
		Units:        units,
		Intent:       intent(first(form, "MessageIntent")),
		Raw:          rawFields(form),
	}, nil
}

func carrierNumber(form map[string][]string, key string) (inbox.Number, error) {
	raw := first(form, key)
	if strings.TrimSpace(raw) == "" {
		return "", inbox.FieldError(key, "missing")
	}
	n, err := inbox.ParseCarrierNumber(raw)
	if err != nil {
		e := inbox.FieldError(key, "%s", inbox.ErrorMessage(err))
		e.Err = err
		return "", e
	}
	return n, nil
}

// messageType is Type lower-cased: "sms" when absent, and "sms" for
// anything that is not a short word (the original stays in Raw).
func messageType(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 16 {
		return "sms"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return "sms"
		}
	}
	return s
}

func intent(s string) string {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "optout", "optin", "help":
		return s
	}
	return ""
}

// media returns the attachments named by keys Media<n>, ordered by n
// whatever the base (Plivo's docs say Media1.., a support article Media0..).
func media(form map[string][]string) []inbox.Media {
	type keyed struct{ key, index string }
	var keys []keyed
	for k := range form {
		if idx, ok := strings.CutPrefix(k, "Media"); ok && idx != "" && isDigits(idx) {
			keys = append(keys, keyed{k, strings.TrimLeft(idx, "0")})
		}
	}
	// Compare indexes as numbers of any length: shorter is smaller.
	slices.SortFunc(keys, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(len(a.index), len(b.index)), strings.Compare(a.index, b.index), strings.Compare(a.key, b.key))
	})
	var out []inbox.Media
	for _, k := range keys {
		if len(out) == maxMedia {
			break
		}
		if u, ok := mediaURL(first(form, k.key)); ok {
			out = append(out, inbox.Media{URL: u})
		}
	}
	return out
}

// mediaURL accepts an absolute http or https URL of valid UTF-8, with its
// scheme in lower case (the rest as given).
func mediaURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxMediaURL || cleanText(s) != s {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.Scheme + s[len(u.Scheme):], true // url.Parse lowered the scheme, which s starts with
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
