package inbox

import "time"

// Message is one SMS or MMS, either way.
type Message struct {
	ID             int64
	ConversationID int64
	// ProviderUUID is Plivo's MessageUUID; empty until the carrier names it.
	ProviderUUID string
	Direction    Direction
	From         Number
	To           Number
	Body         string
	Media        []Media
	Encoding     Encoding
	Segments     int
	Status       Status
	ErrorCode    string
	// SentBy is the agent who wrote an outbound message; 0 for automatic
	// replies and for inbound messages.
	SentBy int64
	// Via says how an outbound message leaves: ViaXML in the webhook's
	// answer, ViaAPI through the outbox and Plivo's Message API.
	Via string
	// NextAttemptAt is when the outbox may next try an API send.
	NextAttemptAt *time.Time
	Raw           map[string]string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Attempts counts the outbox's tries to hand the message to Plivo.
	Attempts int
	// ErrorMessage says in Parley's words why a send is being retried or
	// failed; "" when ErrorCode (Plivo's) says it all.
	ErrorMessage string
	// RetriedAs is the message an agent queued to send this failed one
	// again; 0 when none.
	RetriedAs int64
	// ClaimedAt is when the outbox last claimed the message to send it:
	// where a search of Plivo's message list for it begins.
	ClaimedAt *time.Time
	// Reconcile is how far the lookup of an unconfirmed message got:
	// ReconcilePending, ReconcileResent or ReconcilePerson.
	Reconcile string
}

// How an outbound message leaves.
const (
	ViaXML = "xml"
	ViaAPI = "api"
)

// Media is one MMS attachment. URL is where it came from (the carrier's
// URL of an inbound file, or the URL an API caller gave); Key, when set,
// is the file in Parley's own media store (media.go).
type Media struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type,omitempty"`
	MediaFile
}

// Automatic reports whether m is an outbound reply Parley wrote itself.
func (m Message) Automatic() bool { return m.Direction == DirectionOutbound && m.SentBy == 0 }

// Inbound is a text as the carrier delivered it, already validated.
type Inbound struct {
	ProviderUUID string
	From         Number
	To           Number
	Type         string
	Text         string
	Media        []Media
	Units        int
	// Intent is Plivo's MessageIntent: "optout", "optin", "help" or "".
	Intent string
	Raw    map[string]string
	// Nonces are the one-time values of the signed request that carried
	// the text. Receive claims them in the text's own transaction: a
	// request played again changes nothing (ErrNonceReused), and one
	// whose text was not stored may come again.
	Nonces []string
}

// Preview returns the first line of text, cut to n runes, for lists.
func Preview(text string, n int) string {
	out := make([]rune, 0, n)
	for _, r := range text {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		if len(out) == n {
			return string(out[:n-1]) + "…"
		}
		out = append(out, r)
	}
	return string(out)
}
