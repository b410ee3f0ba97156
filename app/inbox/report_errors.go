package inbox

// carrierErrorWords says in plain words what Plivo's delivery error codes
// and Parley's own failure codes mean. It is the one place such words
// live, so the thread's delivery timeline can use it too.
var carrierErrorWords = map[string]string{
	"10":                 "The message was not valid for the carrier",
	"20":                 "A network error at the carrier",
	"30":                 "The carrier took it for spam",
	"40":                 "Our sending number was not accepted",
	"50":                 "The contact's number is not valid",
	"60":                 "The carrier detected a message loop",
	"70":                 "The contact's phone cannot receive texts",
	"80":                 "The contact's phone was unreachable for a while",
	"90":                 "The carrier had no route to the contact",
	"100":                "The carrier does not allow this message",
	"110":                "The message was too long",
	CarrierOptOutCode:    "The contact opted out with the carrier",
	"300":                "The carrier could not send it",
	"420":                "It expired before it could be delivered",
	"900":                "The Plivo account ran out of credit",
	"1000":               "The carrier did not say why",
	ErrorCodeUnconfirmed: "Parley could not tell whether Plivo took it",
	ErrorCodeRefused:     "Plivo's API refused to send it",
	ErrorCodeGaveUp:      "Every try to reach Plivo failed",
	ErrorCodeOptedOut:    "Not sent: the contact had opted out",
	ErrorCodeBlocked:     "Not sent: the contact was blocked",
}

// CarrierErrorWords returns what an error code on a failed or undelivered
// text means, in words a team lead understands.
func CarrierErrorWords(code string) string {
	if w, ok := carrierErrorWords[code]; ok {
		return w
	}
	return "Error code " + code + " (not one Parley knows)"
}
