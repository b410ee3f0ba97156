package simulator_test

import (
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
)

const token = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"

func TestSignHeaders(t *testing.T) {
	a := simulator.SignHeaders(token, "https://h/p", "POST", map[string]string{"a": "1"})
	b := simulator.SignHeaders(token, "https://h/p", "POST", map[string]string{"a": "1"})
	for _, name := range []string{plivo.HeaderSignatureV2, plivo.HeaderSignatureMaV2, plivo.HeaderNonceV2,
		plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3} {
		if a.Get(name) == "" {
			t.Errorf("%s=%q, want a value", name, a.Get(name))
		}
	}
	if n := a.Get(plivo.HeaderNonceV3); len(n) != 20 || n == b.Get(plivo.HeaderNonceV3) || n == a.Get(plivo.HeaderNonceV2) {
		t.Errorf("nonces=%v, %v, %v, want fresh 20-digit nonces", n, b.Get(plivo.HeaderNonceV3), a.Get(plivo.HeaderNonceV2))
	}
	want, _ := plivo.SignatureV3(token, "https://h/p", "POST", a.Get(plivo.HeaderNonceV3), map[string]string{"a": "1"})
	if got := a.Get(plivo.HeaderSignatureV3); got != want {
		t.Errorf("V3=%v, want %v", got, want)
	}
}
