package inbox

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Number is a phone number in E.164 form (+14155550100), or a short code or
// alphanumeric sender ID kept exactly as the carrier gave it.
//
// nyaruka/phonenumbers is the one import here beyond the standard library:
// what counts as a valid number is a domain rule, and the library is pure
// data and code with no I/O.
type Number string

// ParseCarrierNumber normalises a number as Plivo sends it (country code, no
// "+", e.g. 15306658721) to E.164. Short codes (3 to 8 digits) and
// alphanumeric sender IDs are kept as they are, except that seven or eight
// digits valid as an international number are that number. It returns EINVALID for an
// empty value or one that is neither.
func ParseCarrierNumber(raw string) (Number, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", &Error{Code: EINVALID, Message: "number is empty"}
	}
	if !isDigits(strings.TrimPrefix(s, "+")) {
		if isSenderID(s) {
			return Number(s), nil
		}
		return "", &Error{Code: EINVALID, Message: "number has characters that are not allowed"}
	}
	digits := strings.TrimPrefix(s, "+")
	if len(digits) >= 3 && len(digits) <= 8 && !strings.HasPrefix(s, "+") {
		// Seven or eight digits can also be a whole number in a country
		// with short numbers (+49 201000). One valid in its numbering plan
		// is that number, so a contact Parley texted as +49201000 answers
		// in the same conversation.
		if len(digits) >= 7 {
			// Only as sent: a number the library would write with other
			// digits is not the one the contact has.
			if n, err := parseInternational("+"+digits, phonenumbers.IsValidNumber); err == nil && string(n) == "+"+digits {
				return n, nil
			}
		}
		return Number(digits), nil
	}
	// The carrier has already routed this number, so possible is enough,
	// and its digits are kept as sent: reformatting could drop a digit
	// (a national prefix after the country code) and file the same sender
	// under two numbers.
	if err := checkPossible("+" + digits); err != nil {
		return "", err
	}
	return Number("+" + digits), nil
}

// ParseE164 parses a number typed by a person: "+" and the country code,
// optionally with spaces, dashes, dots or brackets. It returns EINVALID
// unless the result is a valid number in its country's numbering plan.
func ParseE164(raw string) (Number, error) {
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, "+") {
		return "", &Error{Code: EINVALID, Message: "number must start with + and the country code"}
	}
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", &Error{Code: EINVALID, Message: "number has characters that are not allowed"}
		}
	}
	return parseInternational(b.String(), phonenumbers.IsValidNumber)
}

func parseInternational(digits string, ok func(*phonenumbers.PhoneNumber) bool) (Number, error) {
	if len(digits) < 8 || len(digits) > 16 {
		return "", &Error{Code: EINVALID, Message: "number has the wrong length"}
	}
	pn, err := phonenumbers.Parse(digits, "")
	if err != nil || !ok(pn) {
		return "", &Error{Code: EINVALID, Message: "not a valid phone number"}
	}
	return Number(phonenumbers.Format(pn, phonenumbers.E164)), nil
}

// IsE164 reports whether n is a full international number.
func (n Number) IsE164() bool { return strings.HasPrefix(string(n), "+") }

// Carrier returns n in the form Plivo expects and sends: E.164 without "+".
func (n Number) Carrier() string { return strings.TrimPrefix(string(n), "+") }

// Display formats n for people: international format for E.164 numbers,
// unchanged otherwise.
func (n Number) Display() string {
	if !n.IsE164() {
		return string(n)
	}
	pn, err := phonenumbers.Parse(string(n), "")
	if err != nil {
		return string(n)
	}
	return phonenumbers.Format(pn, phonenumbers.INTERNATIONAL)
}

// Region returns the ISO 3166 region of an E.164 number ("US", "GB"), or ""
// when it cannot be told.
func (n Number) Region() string {
	if !n.IsE164() {
		return ""
	}
	pn, err := phonenumbers.Parse(string(n), "")
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(pn)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isSenderID reports whether s looks like an alphanumeric sender ID: 1 to
// 11 letters, digits and spaces with at least one letter.
func isSenderID(s string) bool {
	if len(s) > 11 {
		return false
	}
	letter := false
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			letter = true
		case r >= '0' && r <= '9', r == ' ', r == '-', r == '.':
		default:
			return false
		}
	}
	return letter
}
