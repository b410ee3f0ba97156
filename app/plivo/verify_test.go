package plivo_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
)

const (
	msgMissing  = "missing Plivo signature"
	msgNonce    = "missing signature nonce"
	msgMismatch = "Plivo signature does not match"
	sigV2       = "Hl3SXfNeh5a5l8EXy030oEkrBapKKPDvR9f9aBAa4jc=" // V2-1
)

func with(m map[string]string, k, v string) map[string]string {
	m = maps.Clone(m)
	if v == "" {
		delete(m, k)
	} else {
		m[k] = v
	}
	return m
}

func TestVerify(t *testing.T) {
	const (
		v3, maV3, n3 = plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3
		v2, maV2, n2 = plivo.HeaderSignatureV2, plivo.HeaderSignatureMaV2, plivo.HeaderNonceV2
	)
	getURL := vecURL + "?From=14155550100&Text=hi&To=14155550199"
	getSig, err := plivo.SignatureV3(vecToken, getURL, "GET", vecNonceV3, nil)
	if err != nil {
		t.Fatal(err)
	}
	onlyV3 := map[string]string{v3: vecSigV3, n3: vecNonceV3}
	onlyV2 := map[string]string{v2: sigV2, n2: vecNonceV2}
	tests := []struct {
		name    string
		tokens  []string
		url     string
		method  string
		params  map[string]string
		headers map[string]string
		want    string // "" for accepted, else the error message
	}{
		{"V3 only", nil, vecURL, "POST", vecParams(), onlyV3, ""},
		{"Ma-V3 only", nil, vecURL, "POST", vecParams(), map[string]string{maV3: vecSigV3, n3: vecNonceV3}, ""},
		{"V3 wrong, Ma-V3 right", nil, vecURL, "POST", vecParams(), map[string]string{v3: "bogus=", maV3: vecSigV3, n3: vecNonceV3}, ""},
		{"comma list", nil, vecURL, "POST", vecParams(), with(onlyV3, v3, "bogus=,"+vecSigV3), ""},
		{"comma list with space", nil, vecURL, "POST", vecParams(), with(onlyV3, v3, "bogus=, "+vecSigV3), ""},
		{"ninth piece not tried", nil, vecURL, "POST", vecParams(), with(onlyV3, v3, strings.Repeat("x,", 8)+vecSigV3), msgMismatch},
		{"header names any case", nil, vecURL, "POST", vecParams(), map[string]string{"x-plivo-signature-v3": vecSigV3, "X-PLIVO-SIGNATURE-V3-NONCE": vecNonceV3}, ""},
		{"wrong token", []string{"other-token"}, vecURL, "POST", vecParams(), onlyV3, msgMismatch},
		{"second token right", []string{"", "  ", "old-token", vecToken}, vecURL, "POST", vecParams(), onlyV3, ""},
		{"blank tokens only", []string{"", " "}, vecURL, "POST", vecParams(), onlyV3, msgMismatch},
		{"no tokens", []string{}, vecURL, "POST", vecParams(), onlyV3, msgMismatch},
		{"tampered body param", nil, vecURL, "POST", with(vecParams(), "Text", "Hi there & welcome?"), onlyV3, msgMismatch},
		{"extra param", nil, vecURL, "POST", with(vecParams(), "Extra", "1"), onlyV3, msgMismatch},
		{"missing param", nil, vecURL, "POST", with(vecParams(), "Units", ""), onlyV3, msgMismatch},
		{"V3 other host", nil, "https://evil.example.com/plivo/sms/inbound", "POST", vecParams(), onlyV3, msgMismatch},
		{"V3 other path", nil, vecURL + "/x", "POST", vecParams(), onlyV3, msgMismatch},
		{"V3 other port", nil, "https://inbox.example.com:8443/plivo/sms/inbound", "POST", vecParams(), onlyV3, msgMismatch},
		{"V3 http not https", nil, "http://inbox.example.com/plivo/sms/inbound", "POST", vecParams(), onlyV3, msgMismatch},
		{"V3 extra query", nil, vecURL + "?x=1", "POST", vecParams(), onlyV3, msgMismatch},
		{"V3 as GET", nil, vecURL, "GET", vecParams(), onlyV3, msgMismatch},
		{"V3 missing nonce", nil, vecURL, "POST", vecParams(), map[string]string{v3: vecSigV3}, msgNonce},
		{"V3 uses its own nonce", nil, vecURL, "POST", vecParams(), map[string]string{v3: vecSigV3, n2: vecNonceV3}, msgNonce},
		{"V3 wrong, V2 right: refused", nil, vecURL, "POST", vecParams(), map[string]string{v3: "bogus=", n3: vecNonceV3, v2: sigV2, n2: vecNonceV2}, msgMismatch},
		{"V3 empty nonce, V2 right: refused", nil, vecURL, "POST", vecParams(), map[string]string{maV3: vecSigV3, v2: sigV2, n2: vecNonceV2}, msgNonce},
		{"V3 and V2 right", nil, vecURL, "POST", vecParams(), map[string]string{v3: vecSigV3, n3: vecNonceV3, v2: sigV2, n2: vecNonceV2}, ""},
		{"only V2 right", nil, vecURL, "POST", vecParams(), onlyV2, ""},
		{"only Ma-V2 right", nil, vecURL, "POST", vecParams(), map[string]string{maV2: "a, " + sigV2, n2: vecNonceV2}, ""},
		{"V2 ignores query and body", nil, vecURL + "?tenant=acme", "POST", with(vecParams(), "Text", "changed"), onlyV2, ""},
		{"V2 wrong token", []string{"other"}, vecURL, "POST", nil, onlyV2, msgMismatch},
		{"V2 other host", nil, "https://evil.example.com/plivo/sms/inbound", "POST", nil, onlyV2, msgMismatch},
		{"V2 other path", nil, "https://inbox.example.com/plivo/sms/status", "POST", nil, onlyV2, msgMismatch},
		{"V2 other port", nil, "https://inbox.example.com:443/plivo/sms/inbound", "POST", nil, onlyV2, msgMismatch},
		{"V2 http not https", nil, "http://inbox.example.com/plivo/sms/inbound", "POST", nil, onlyV2, msgMismatch},
		{"V2 missing nonce", nil, vecURL, "POST", nil, map[string]string{v2: sigV2}, msgNonce},
		{"V2 empty piece only", nil, vecURL, "POST", nil, map[string]string{v2: " , ", n2: vecNonceV2}, msgMismatch},
		{"no headers", nil, vecURL, "POST", vecParams(), nil, msgMissing},
		{"nonce but no signature", nil, vecURL, "POST", vecParams(), map[string]string{n3: vecNonceV3, n2: vecNonceV2}, msgMissing},
		{"unparsable URL V3", nil, "https://inbox.example.com/%zz", "POST", vecParams(), onlyV3, msgMismatch},
		{"unparsable URL V2", nil, "https://inbox.example.com/%zz", "POST", nil, onlyV2, msgMismatch},
		{"GET callback", nil, getURL, "GET", nil, map[string]string{maV3: getSig, n3: vecNonceV3}, ""},
		{"GET callback tampered query", nil, strings.Replace(getURL, "hi", "ho", 1), "GET", nil, map[string]string{maV3: getSig, n3: vecNonceV3}, msgMismatch},
		{"GET callback without query", nil, vecURL, "GET", nil, map[string]string{maV3: getSig, n3: vecNonceV3}, msgMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokens := tt.tokens
			if tokens == nil {
				tokens = []string{vecToken}
			}
			cb := plivo.Callback{URL: tt.url, Method: tt.method, Params: tt.params, Header: headerFunc(tt.headers)}
			err := plivo.Verify(tokens, cb)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Verify=%v, want nil", err)
				}
				return
			}
			var e *inbox.Error
			if !errors.As(err, &e) {
				t.Fatalf("Verify=%v, want *inbox.Error", err)
			}
			if e.Code != inbox.EFORBIDDEN || e.Message != tt.want {
				t.Errorf("Verify=%v %q, want %v %q", e.Code, e.Message, inbox.EFORBIDDEN, tt.want)
			}
		})
	}
}

func TestVerifyNilHeader(t *testing.T) {
	err := plivo.Verify([]string{vecToken}, plivo.Callback{URL: vecURL, Method: "POST"})
	if inbox.ErrorMessage(err) != msgMissing || !errors.Is(err, inbox.ErrForbidden) {
		t.Errorf("Verify=%v, want %v", err, msgMissing)
	}
}

// TestVerifyWireBody runs V3-1 through form parsing as the web layer will:
// the wire body decoded, first value per key.
func TestVerifyWireBody(t *testing.T) {
	form, err := parseQuery(vecBody)
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{}
	for k, vs := range form {
		params[k] = vs[0]
	}
	cb := plivo.Callback{URL: vecURL, Method: "POST", Params: params,
		Header: headerFunc(map[string]string{plivo.HeaderSignatureV3: vecSigV3, plivo.HeaderNonceV3: vecNonceV3})}
	if err := plivo.Verify([]string{vecToken}, cb); err != nil {
		t.Errorf("Verify=%v, want nil", err)
	}
}

func TestNoncesAreEveryNonceCarried(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   []string
	}{
		{"v3 and v2", map[string]string{plivo.HeaderSignatureV3: "s", plivo.HeaderNonceV3: "3", plivo.HeaderNonceV2: "2"}, []string{"v2:2", "v3:3"}},
		{"ma-v3", map[string]string{plivo.HeaderSignatureMaV3: "s", plivo.HeaderNonceV3: "3"}, []string{"v3:3"}},
		{"same digits, two versions", map[string]string{plivo.HeaderNonceV3: "7", plivo.HeaderNonceV2: "7"}, []string{"v2:7", "v3:7"}},
		{"v2 only", map[string]string{plivo.HeaderSignatureV2: "s", plivo.HeaderNonceV2: "2"}, []string{"v2:2"}},
		{"none", map[string]string{}, nil},
	}
	for _, tt := range tests {
		if got := plivo.Nonces(func(n string) string { return tt.header[n] }); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Nonces=%q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVerifyVersionAndReason(t *testing.T) {
	form, err := parseQuery(vecBody)
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{}
	for k, vs := range form {
		params[k] = vs[0]
	}
	v2 := map[string]string{plivo.HeaderSignatureV2: plivo.SignatureV2(vecToken, vecURL, "n2"), plivo.HeaderNonceV2: "n2"}
	both := map[string]string{plivo.HeaderSignatureV3: vecSigV3, plivo.HeaderNonceV3: vecNonceV3}
	maps.Copy(both, v2)
	tests := []struct {
		name    string
		header  map[string]string
		version plivo.Version
		reason  error
	}{
		{"v3 and v2", both, plivo.V3, nil},
		{"v2 only", v2, plivo.V2, nil},
		{"none", map[string]string{}, 0, plivo.ErrNoSignature},
		{"no nonce", map[string]string{plivo.HeaderSignatureV3: vecSigV3}, 0, plivo.ErrNoSignature},
		{"wrong", map[string]string{plivo.HeaderSignatureV3: "AAAA", plivo.HeaderNonceV3: vecNonceV3}, 0, plivo.ErrBadSignature},
	}
	for _, tt := range tests {
		cb := plivo.Callback{URL: vecURL, Method: "POST", Params: params, Header: headerFunc(tt.header)}
		v, err := plivo.VerifyVersion([]string{vecToken}, cb)
		if v != tt.version || (tt.reason == nil) != (err == nil) || (tt.reason != nil && !errors.Is(err, tt.reason)) {
			t.Errorf("%s: VerifyVersion=%d, %v; want %d, %v", tt.name, v, err, tt.version, tt.reason)
		}
	}
}
