package simulator_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
)

// What the builders write is what Parley's parsers read back, so the tools
// and tests that use them speak the carrier's forms as Plivo does.
func TestFormsParseBack(t *testing.T) {
	long := strings.Repeat("a", 161)
	in, err := plivo.ParseInbound(simulator.InboundForm("+14155550100", "14155550199", long, "u-1"))
	if err != nil {
		t.Fatal(err)
	}
	if in.From != "+14155550100" || in.To != "+14155550199" || in.Text != long || in.ProviderUUID != "u-1" || in.Units != 2 {
		t.Fatalf("parsed %+v, want the text of two units from +14155550100 to +14155550199 as u-1", in)
	}
	s := simulator.Send{UUID: "u-2", Src: "+14155550199", Dst: "+14155550100", Type: "sms"}
	d, err := plivo.ParseDelivery(simulator.DeliveryForm(s, "undelivered", 2, "80"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.MessageUUID != "u-2" || d.Status != "undelivered" || d.Sequence != 2 || d.ErrorCode != "80" {
		t.Fatalf("parsed %+v, want u-2 undelivered, sequence 2, error 80", d)
	}
}
