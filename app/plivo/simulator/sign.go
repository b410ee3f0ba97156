package simulator

import (
	"crypto/rand"
	"net/http"

	"github.com/parleyhq/parley/app/plivo"
)

// SignHeaders returns the six signature headers Plivo puts on a callback to
// fullURL (with its query): V2, Ma-V2 and the V2 nonce, V3, Ma-V3 and the V3
// nonce, each nonce fresh and random: the headers of a webhook as Plivo
// sends it, for the simulated carrier's reports, simulate and the load
// tools. token signs both the plain and the Ma variants. params are the
// POST form params (first value per key); pass nil for a GET, whose fields
// are in fullURL. It panics when fullURL cannot be parsed, a mistake in the
// caller.
func SignHeaders(token, fullURL, method string, params map[string]string) http.Header {
	n2, n3 := Nonce(), Nonce()
	v3, err := plivo.SignatureV3(token, fullURL, method, n3, params)
	if err != nil {
		panic("simulator: " + err.Error())
	}
	v2 := plivo.SignatureV2(token, fullURL, n2)
	h := http.Header{}
	h.Set(plivo.HeaderSignatureV2, v2)
	h.Set(plivo.HeaderSignatureMaV2, v2)
	h.Set(plivo.HeaderNonceV2, n2)
	h.Set(plivo.HeaderSignatureV3, v3)
	h.Set(plivo.HeaderSignatureMaV3, v3)
	h.Set(plivo.HeaderNonceV3, n3)
	return h
}

// Nonce returns a fresh random nonce shaped like Plivo's: 20 decimal
// digits.
func Nonce() string {
	var b [20]byte
	rand.Read(b[:]) // never fails
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b[:])
}
