package inbox

// Direction says which way a message travelled.
type Direction string

const (
	DirectionInbound  Direction = "inbound"
	DirectionOutbound Direction = "outbound"
)

// Status is where a message is in its life. Outbound messages move
// queued -> sending -> sent -> delivered | undelivered, or to failed at any
// point; inbound messages are received and stay so. Delivered is final over
// the other outcomes: carriers do report undelivered (or failed) and then
// delivered for one message, and the handset having it is the fact that
// counts, so a delivered report settles it whichever came first.
type Status string

const (
	StatusReceived    Status = "received"
	StatusQueued      Status = "queued"
	StatusSending     Status = "sending"
	StatusSent        Status = "sent"
	StatusDelivered   Status = "delivered"
	StatusUndelivered Status = "undelivered"
	StatusFailed      Status = "failed"
	StatusRejected    Status = "rejected"
)

// rank orders statuses; a message only ever moves to a higher rank.
func (s Status) rank() int {
	switch s {
	case StatusQueued:
		return 1
	case StatusSending:
		return 2
	case StatusSent:
		return 3
	case StatusReceived, StatusUndelivered, StatusFailed, StatusRejected:
		return 4
	case StatusDelivered:
		return 5
	}
	return 0
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.rank() > 0 }

// Terminal reports whether s is an outcome: only delivered moves a message
// out of one (and nothing out of delivered).
func (s Status) Terminal() bool { return s.rank() >= 4 }

// CanBecome reports whether a message in status s may move to next. Moves
// are forward only, so a late "sent" report never overwrites "delivered",
// and outcomes stay, except that delivered replaces undelivered, failed or
// rejected. An inbound message stays received.
func (s Status) CanBecome(next Status) bool {
	return s != StatusReceived && next.Valid() && next.rank() > s.rank()
}
