package plivo

import "strings"

var errorCodes = map[string]string{
	"10":   "The message was refused as invalid: empty, too long, or rejected by the carrier.",
	"20":   "The carrier's network had a temporary problem. Sending again later may work.",
	"30":   "The carrier filtered the message as spam.",
	"40":   "The sending number is invalid, unassigned, or cannot send SMS.",
	"50":   "The recipient's number is invalid, a landline, or cannot receive SMS.",
	"60":   "The message was stopped because it looked like a loop between two numbers.",
	"70":   "The recipient's number is permanently unavailable.",
	"80":   "The recipient's phone is temporarily unavailable (for example switched off). Sending again later may work.",
	"90":   "There is no route to the recipient's carrier.",
	"100":  "The carrier does not allow this message.",
	"110":  "The message is too long (over 1,600 plain characters or 737 characters with emoji or accents).",
	"120":  "The picture message is larger than 5 MB.",
	"200":  "The recipient has opted out (replied STOP) of messages from this number.",
	"201":  "Messages from US toll-free numbers to Canadian numbers are blocked.",
	"420":  "The message waited over 3 hours in Plivo's queue and expired without being sent.",
	"1000": "The carrier reported an unknown error.",
}

// ExplainErrorCode says in plain words what a Plivo messaging ErrorCode
// means, for support agents: "" for "" and "000" (no error), "Carrier error
// <code>." for a code not in the table, and "Carrier error." when the code
// is not a short word that is safe to repeat. It returns no error.
func ExplainErrorCode(code string) string {
	code = strings.TrimSpace(code)
	if code == "" || code == "000" {
		return ""
	}
	if s, ok := errorCodes[code]; ok {
		return s
	}
	if len(code) > 16 || !isAlnum(code) {
		return "Carrier error."
	}
	return "Carrier error " + code + "."
}

// ErrorCodeWords is ExplainErrorCode for the codes Plivo documents; ok is
// false for any other code.
func ErrorCodeWords(code string) (words string, ok bool) {
	words, ok = errorCodes[strings.TrimSpace(code)]
	return words, ok
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
