package plivo_test

import (
	"math/rand"
	"net/url"
	"strings"
	"testing"

	plivogo "github.com/plivo/plivo-go/v7"

	"github.com/parleyhq/parley/app/plivo"
)

// TestSignaturesMatchPlivoGo uses plivo-go as an oracle on random callbacks.
// Values never end in "." or "&": plivo-go trims those from the end of the
// whole signed string (TrimRight), which our version deliberately does not.
func TestSignaturesMatchPlivoGo(t *testing.T) {
	rng := rand.New(rand.NewSource(20240601))
	keys := []string{"From", "To", "Text", "Body", "Type", "MessageUUID", "Units", "MessageIntent", "Media0", "a", "B", "z z", "ü"}
	urls := []string{
		"https://inbox.example.com/plivo/sms/inbound",
		"https://inbox.example.com:8443/plivo/sms/inbound",
		"http://127.0.0.1:3000/hook/",
		"https://inbox.example.com/plivo/sms/status?ref=42",
		"https://inbox.example.com/plivo/sms/status?ref=42&tenant=acme&From=x",
	}
	for i := range 400 {
		params := map[string]string{}
		for range rng.Intn(8) {
			k := keys[rng.Intn(len(keys))]
			if rng.Intn(4) == 0 {
				k = randomValue(rng, 1+rng.Intn(6))
			}
			params[k] = randomValue(rng, rng.Intn(24))
		}
		u := urls[rng.Intn(len(urls))]
		if rng.Intn(3) == 0 {
			q := url.Values{}
			q.Set(randomValue(rng, 1+rng.Intn(5)), randomValue(rng, rng.Intn(10)))
			sep := "?"
			if strings.Contains(u, "?") {
				sep = "&"
			}
			u += sep + q.Encode()
		}
		method := []string{"POST", "GET"}[rng.Intn(2)]
		nonce := randomValue(rng, 20)
		token := randomValue(rng, 1+rng.Intn(40))

		want := plivogo.ComputeSignatureV3(token, u, method, nonce, params)
		got, err := plivo.SignatureV3(token, u, method, nonce, params)
		if err != nil || got != want {
			s, _ := plivo.StringToSignV3(u, method, params)
			t.Fatalf("case %d: SignatureV3(%q, %q, %q)=%v, %v, want %v (signed %q)", i, u, method, params, got, err, want, s)
		}
		if got, want := plivo.SignatureV2(token, u, nonce), plivogo.ComputeSignatureV2(token, u, nonce); got != want {
			t.Fatalf("case %d: SignatureV2(%q)=%v, want %v", i, u, got, want)
		}
	}
}

// randomValue returns n printable ASCII characters that do not end in "."
// or "&".
func randomValue(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0x20 + rng.Intn(0x7f-0x20))
	}
	for n > 0 && (b[n-1] == '.' || b[n-1] == '&') {
		b[n-1] = 'x'
	}
	return string(b)
}
