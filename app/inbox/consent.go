package inbox

// The opt-out law. Carriers and regulators (CTIA in the US) require that a
// contact who texts STOP gets one confirmation and nothing more until they
// opt back in, and that HELP is always answered.

var optOutWords = map[string]bool{
	"STOP": true, "STOP ALL": true, "STOPALL": true, "UNSUBSCRIBE": true,
	"UNSUB": true, "CANCEL": true, "END": true, "QUIT": true,
}

var optInWords = map[string]bool{
	"START": true, "UNSTOP": true, "YES": true, "RESUME": true,
}

var helpWords = map[string]bool{"HELP": true, "INFO": true}

// Replies the law requires. They are fixed so that compliance does not depend
// on an admin's edits; HELP's text comes from the keyword rules when a rule
// matches and from DefaultHelpReply otherwise.
const (
	OptOutReply      = "You have been unsubscribed and will receive no more messages from this number. Reply START to resubscribe."
	OptInReply       = "You have been resubscribed. Reply STOP to unsubscribe, HELP for help."
	DefaultHelpReply = "Reply to this message to reach our team. Reply STOP to unsubscribe."
)

// Decision is what Parley does with one inbound text.
type Decision struct {
	// Consent is the change to make, or "" for none.
	Consent ConsentKind
	// ConsentSource is "keyword" or "intent".
	ConsentSource string
	// Keyword is the normalised keyword or intent that decided, if any.
	Keyword string
	// Reply is the automatic answer, or "" to stay silent.
	Reply string
}

// Decide applies the opt-out law and then the keyword rules to a text from a
// contact whose current consent is optedOut. Rules must be sorted by
// Position. It is a pure function.
//
//   - An opt-out keyword or MessageIntent=optout opts a subscribed contact
//     out and confirms once; a repeated STOP changes and says nothing.
//   - An opt-in keyword or MessageIntent=optin opts an opted-out contact back
//     in and confirms; from a subscribed contact it is an ordinary text.
//   - HELP and INFO (or MessageIntent=help) are answered even when opted out.
//   - Nothing else is answered while opted out.
func Decide(text, intent string, optedOut bool, rules []KeywordRule) Decision {
	n := NormaliseKeyword(text)
	switch {
	case optOutWords[n] || intent == "optout":
		if optedOut {
			return Decision{}
		}
		return Decision{Consent: ConsentOptOut, ConsentSource: source(optOutWords[n]), Keyword: keywordOr(n, intent, optOutWords), Reply: OptOutReply}
	case optInWords[n] || intent == "optin":
		if optedOut {
			return Decision{Consent: ConsentOptIn, ConsentSource: source(optInWords[n]), Keyword: keywordOr(n, intent, optInWords), Reply: OptInReply}
		}
	}
	rule, matched := MatchRule(rules, text)
	if helpWords[n] || intent == "help" {
		reply := DefaultHelpReply
		if matched {
			reply = rule.Reply
		}
		return Decision{Keyword: keywordOr(n, intent, helpWords), Reply: reply}
	}
	if optedOut || !matched {
		return Decision{}
	}
	return Decision{Keyword: n, Reply: rule.Reply}
}

func source(byKeyword bool) string {
	if byKeyword {
		return "keyword"
	}
	return "intent"
}

func keywordOr(n, intent string, words map[string]bool) string {
	if words[n] {
		return n
	}
	return "intent:" + intent
}
