package inbox

import (
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// possibleSize bounds the numbers possibleNumbers remembers: a few
// hundred KiB at most.
const possibleSize = 4096

// possibleNumbers remembers international numbers that passed the
// possible-number check. Every inbound text parses two carrier numbers,
// and phonenumbers.Parse is the dearest step of reading a webhook (about
// 35 allocations a number); the To number is always one of the team's own
// and the From number mostly a contact who texted before. The check is a
// pure function of the digits, so remembering its answer changes nothing
// but its cost. Only numbers that pass are kept, and when the memory is
// full it starts again, so it stays bounded whatever the carrier sends.
var possibleNumbers = possibleMemo{seen: make(map[string]struct{}, possibleSize)}

type possibleMemo struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

func (m *possibleMemo) has(e164 string) bool {
	m.mu.Lock()
	_, ok := m.seen[e164]
	m.mu.Unlock()
	return ok
}

func (m *possibleMemo) add(e164 string) {
	m.mu.Lock()
	if len(m.seen) >= possibleSize {
		clear(m.seen)
	}
	m.seen[e164] = struct{}{}
	m.mu.Unlock()
}

// checkPossible returns EINVALID unless e164 ("+" and digits) is a possible
// number: the right length for its country code. It is
// parseInternational with phonenumbers.IsPossibleNumber, without formatting
// the number again, whose digits the caller keeps as sent.
func checkPossible(e164 string) error {
	if possibleNumbers.has(e164) {
		return nil
	}
	if len(e164) < 8 || len(e164) > 16 {
		return &Error{Code: EINVALID, Message: "number has the wrong length"}
	}
	pn, err := phonenumbers.Parse(e164, "")
	if err != nil || !phonenumbers.IsPossibleNumber(pn) {
		return &Error{Code: EINVALID, Message: "not a valid phone number"}
	}
	possibleNumbers.add(e164)
	return nil
}
