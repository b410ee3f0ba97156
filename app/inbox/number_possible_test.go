package inbox

import (
	"fmt"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The remembered answer is the one the library gives: for possible and
// impossible numbers alike, asked twice (the second time from memory).
func TestCheckPossibleAgreesWithTheLibrary(t *testing.T) {
	for _, n := range []string{"+15306658721", "+447946095800", "+49201000", "+1530665872", "+999123456789", "+4420", "+12345678901234567"} {
		want := false
		if len(n) >= 8 && len(n) <= 16 {
			pn, err := phonenumbers.Parse(n, "")
			want = err == nil && phonenumbers.IsPossibleNumber(pn)
		}
		for try := range 2 {
			if got := checkPossible(n) == nil; got != want {
				t.Errorf("checkPossible(%q) try %d: possible=%v, want %v", n, try+1, got, want)
			}
		}
	}
}

// The memory stays bounded whatever numbers arrive.
func TestPossibleNumbersStayBounded(t *testing.T) {
	for i := range 3 * possibleSize {
		if err := checkPossible(fmt.Sprintf("+1415%07d", i)); err != nil {
			t.Fatal(err)
		}
	}
	possibleNumbers.mu.Lock()
	n := len(possibleNumbers.seen)
	possibleNumbers.mu.Unlock()
	if n == 0 || n > possibleSize {
		t.Fatalf("remembered %d numbers, want 1 to %d", n, possibleSize)
	}
}
