package inbox

import (
	"math"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// NumberKind is the kind of sending number, which sets how fast Plivo lets
// it send.
type NumberKind string

// Kinds of sending number.
const (
	KindLongCode  NumberKind = "long code"
	KindTollFree  NumberKind = "toll-free"
	KindShortCode NumberKind = "short code"
)

// Default sending rates in messages per second, from Plivo's published
// throughput (support.plivo.com article 18193230900633 and
// plivo.com/docs/faq/messaging/messaging-api): a US long code without registered (10DLC)
// throughput sends 1 SMS/s; a verified US toll-free number 25 SMS/s; a US
// short code 100 SMS/s. Plivo queues what exceeds these rather than
// refusing it, and fails what waited over 3 h (error 420), so pacing here
// keeps the queue, and its age, visible in Parley instead.
const (
	DefaultLongCodeRate  = 1.0
	DefaultTollFreeRate  = 25.0
	DefaultShortCodeRate = 100.0
)

// KindOf tells a sending number's kind: a short code is digits without
// "+"; a toll-free number is one its numbering plan says is; anything else
// is a long code.
func KindOf(n Number) NumberKind {
	if !n.IsE164() {
		if isDigits(string(n)) {
			return KindShortCode
		}
		return KindLongCode
	}
	pn, err := phonenumbers.Parse(string(n), "")
	if err == nil && phonenumbers.GetNumberType(pn) == phonenumbers.TOLL_FREE {
		return KindTollFree
	}
	return KindLongCode
}

// SendPace says how fast each sending number may send. The zero value
// paces nothing; DefaultSendPace paces each number at its kind's rate.
type SendPace struct {
	// Rates sets the rate of some numbers, in messages per second; 0
	// means the number is not paced at all.
	Rates map[Number]float64
	// KindRates sets the rate of every other number by its kind; a kind
	// missing here is not paced.
	KindRates map[NumberKind]float64
}

// DefaultSendPace paces every number at the default rate of its kind.
func DefaultSendPace() SendPace {
	return SendPace{KindRates: map[NumberKind]float64{
		KindLongCode: DefaultLongCodeRate, KindTollFree: DefaultTollFreeRate, KindShortCode: DefaultShortCodeRate,
	}}
}

// Rate is n's rate in messages per second; 0 when n is not paced.
func (p SendPace) Rate(n Number) float64 {
	if r, ok := p.Rates[n]; ok {
		return r
	}
	return p.KindRates[KindOf(n)]
}

// Interval is the least time between two sends from n; 0 when n is not
// paced.
func (p SendPace) Interval(n Number) time.Duration {
	r := p.Rate(n)
	if r <= 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		return 0
	}
	return time.Duration(float64(time.Second) / r)
}

// Burst is how many messages n may send at once before its rate applies:
// one second's worth (its rate, rounded down), at least one. Plivo queues
// what a number sends above its rate rather than refusing it, so a burst
// of a second costs at most a second's wait there, and it spares the
// outbox's workers a claim apiece that only finds the number's slot taken.
func (p SendPace) Burst(n Number) int {
	return max(1, int(p.Rate(n)))
}

// paceAfter is when a number may next send after it sends at now, its
// previous next-send time being next: a generic cell rate algorithm over
// the number's interval, whose tolerance lets burst messages go at once.
func paceAfter(next, now time.Time, interval time.Duration, burst int) time.Time {
	tolerance := time.Duration(burst-1) * interval
	if earliest := now.Add(-tolerance); next.Before(earliest) {
		next = earliest
	}
	return next.Add(interval)
}
