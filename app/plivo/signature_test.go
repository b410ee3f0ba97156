package plivo_test

import (
	"maps"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
)

// Vectors from /work/shared/plivo.md §2.4, strings copied exactly.
const (
	vecToken   = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"
	vecURL     = "https://inbox.example.com/plivo/sms/inbound"
	vecNonceV2 = "05429567804466091622"
	vecNonceV3 = "31627761595286130198"
	vecBody    = "From=14155550100&MessageIntent=&MessageUUID=3d9a7a1c-5c7e-11ee-8c99-0242ac120002&PowerpackUUID=&Text=Hi+there+%26+welcome%21&To=14155550199&TotalAmount=0.00000&TotalRate=0.00000&Type=sms&Units=1"
	vecSigned  = "https://inbox.example.com/plivo/sms/inbound?From14155550100MessageIntentMessageUUID3d9a7a1c-5c7e-11ee-8c99-0242ac120002PowerpackUUIDTextHi there & welcome!To14155550199TotalAmount0.00000TotalRate0.00000TypesmsUnits1.31627761595286130198"
	vecSigV3   = "6bc0/8uPXCr+tCl97tRp1KXvhpDSIrMY5JuDcE4fDZo="
	// sdkToken signs plivo-go's own TestValidateSignatureV3Pass1..4.
	sdkToken = "Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4"
	sdkURL   = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml"
)

// vecParams are the V3-1 form params.
func vecParams() map[string]string {
	return map[string]string{
		"From": "14155550100", "To": "14155550199", "Text": "Hi there & welcome!", "Type": "sms",
		"MessageUUID": "3d9a7a1c-5c7e-11ee-8c99-0242ac120002", "Units": "1", "TotalRate": "0.00000",
		"TotalAmount": "0.00000", "MessageIntent": "", "PowerpackUUID": "",
	}
}

func dlrParams() map[string]string {
	return map[string]string{
		"ErrorCode": "000", "From": "14155550199", "MCC": "310", "MNC": "410",
		"MessageUUID": "db3ce55a-7f1d-11e1-8ea7-1231380bc196", "ParentMessageUUID": "db3ce55a-7f1d-11e1-8ea7-1231380bc196",
		"PartInfo": "1 of 1", "Sequence": "3", "Status": "delivered", "To": "14155550100",
		"TotalAmount": "0.0050", "TotalRate": "0.0050", "Units": "1",
	}
}

func sdkParams() map[string]string {
	return map[string]string{
		"Direction":       "outbound",
		"From":            "19792014278",
		"ALegUUID":        "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
		"CallStatus":      "in-progress",
		"BillRate":        "0.002",
		"ParentAuthID":    "MANWVLYTK4ZWU1YTY4QA",
		"To":              "sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com",
		"ALegRequestUUID": "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
		"CallUUID":        "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
		"RequestUUID":     "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
		"SIP-H-To":        "<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1",
		"SessionStart":    "2020-04-08 11:34:33.238707",
		"Event":           "StartApp",
	}
}

func TestSignatureV2Vectors(t *testing.T) {
	tests := []struct {
		name, token, url, nonce, want string
	}{
		{"V2-1", vecToken, vecURL, vecNonceV2, "Hl3SXfNeh5a5l8EXy030oEkrBapKKPDvR9f9aBAa4jc="},
		{"V2-1 query ignored", vecToken, "https://inbox.example.com/plivo/sms/inbound?tenant=acme&x=1", vecNonceV2, "Hl3SXfNeh5a5l8EXy030oEkrBapKKPDvR9f9aBAa4jc="},
		{"V2 delivery report", vecToken, "https://inbox.example.com/plivo/sms/status", vecNonceV3, "6c0YXY0CSSSXQsUnabC9VZAbtW0tQ3goH0Jcxc9DqC0="},
		{"upstream SDK", "my_auth_token", "https://answer.url", "12345", "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc="},
		{"unparsable URL", vecToken, "https://inbox.example.com/%zz", vecNonceV2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plivo.SignatureV2(tt.token, tt.url, tt.nonce); got != tt.want {
				t.Errorf("SignatureV2=%v, want %v", got, tt.want)
			}
		})
	}
}

func TestSignatureV3Vectors(t *testing.T) {
	tests := []struct {
		name, token, url, method string
		params                   map[string]string
		wantPrefix               string // of the string to sign
		want                     string
	}{
		{"V3-1 POST", vecToken, vecURL, "POST", vecParams(), vecSigned, vecSigV3},
		{"V3 POST with query", vecToken, vecURL + "?tenant=acme&x=1", "POST", vecParams(),
			"https://inbox.example.com/plivo/sms/inbound?tenant=acme&x=1.From14155550100", "wzO2bma2OvxxEP5xY1RRH8QrVpE1Rla4/uIcztTD9mU="},
		{"V3 GET", vecToken, vecURL, "GET", vecParams(),
			"https://inbox.example.com/plivo/sms/inbound?From=14155550100&MessageIntent=&MessageUUID=3d9a7a1c-5c7e-11ee-8c99-0242ac120002&PowerpackUUID=&Text=Hi there & welcome!&To=14155550199&TotalAmount=0.00000&TotalRate=0.00000&Type=sms&Units=1",
			"PPAypSothFMxgtPEgMF+mbG1N7mVcSjM+zQxc4QD/6U="},
		{"V3 delivery report", vecToken, "https://inbox.example.com/plivo/sms/status", "POST", dlrParams(),
			"https://inbox.example.com/plivo/sms/status?ErrorCode000", "zuqfGdGudEDh7SMqsIkzDC97JuOKSQALS8jh3B7y9Zg="},
		{"SDK Pass1 POST query", sdkToken, sdkURL + "/?a=b&c=d", "POST", sdkParams(), sdkURL + "/?a=b&c=d.ALegRequestUUID", "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c="},
		{"SDK Pass2 GET query", sdkToken, sdkURL + "/?a=b&c=d", "GET", sdkParams(), sdkURL + "/?ALegRequestUUID=", "UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ="},
		{"SDK Pass3 POST", sdkToken, sdkURL, "POST", sdkParams(), sdkURL + "?ALegRequestUUID", "iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0="},
		{"SDK Pass4 GET", sdkToken, sdkURL, "GET", sdkParams(), sdkURL + "?ALegRequestUUID=", "i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := plivo.StringToSignV3(tt.url, tt.method, tt.params)
			if err != nil {
				t.Fatalf("StringToSignV3 err=%v, want nil", err)
			}
			if got := s + "." + vecNonceV3; len(got) < len(tt.wantPrefix) || got[:len(tt.wantPrefix)] != tt.wantPrefix {
				t.Errorf("signed=%q, want prefix %q", got, tt.wantPrefix)
			}
			got, err := plivo.SignatureV3(tt.token, tt.url, tt.method, vecNonceV3, tt.params)
			if err != nil || got != tt.want {
				t.Errorf("SignatureV3=%v, %v, want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestSignatureV3Rules(t *testing.T) {
	tests := []struct {
		name, url, method string
		params            map[string]string
		want              string
	}{
		{"no params no query", "https://h/p", "POST", nil, "https://h/p"},
		{"GET no params no query", "https://h/p", "GET", nil, "https://h/p"},
		{"fragment dropped, port kept", "https://h:8443/p#frag", "POST", map[string]string{"a": "1"}, "https://h:8443/p?a1"},
		{"POST query only has no dot", "https://h/p?b=2&a=1", "POST", nil, "https://h/p?a=1&b=2"},
		{"POST query keeps trailing dot", "https://h/p?a=x.", "POST", nil, "https://h/p?a=x."},
		{"POST params keep trailing dot", "https://h/p?q=1", "POST", map[string]string{"a": "x."}, "https://h/p?q=1.ax."},
		{"GET params win over query", "https://h/p?a=query&z=9", "GET", map[string]string{"a": "param"}, "https://h/p?a=param&z=9"},
		{"GET first query value", "https://h/p?a=1&a=2", "GET", nil, "https://h/p?a=1"},
		{"GET decoded query", "https://h/p?t=a+b%26c", "GET", nil, "https://h/p?t=a b&c"},
		{"byte order upper first", "https://h/p", "POST", map[string]string{"b": "1", "B": "2", "a": ""}, "https://h/p?B2ab1"},
		{"empty query mark ignored", "https://h/p?", "POST", nil, "https://h/p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plivo.StringToSignV3(tt.url, tt.method, tt.params)
			if err != nil || got != tt.want {
				t.Errorf("StringToSignV3=%q, %v, want %q, nil", got, err, tt.want)
			}
		})
	}
}

func TestSignatureV3BadURL(t *testing.T) {
	sig, err := plivo.SignatureV3(vecToken, "https://h/%zz", "POST", vecNonceV3, vecParams())
	if sig != "" || err == nil {
		t.Fatalf("SignatureV3=%q, %v, want \"\", an error", sig, err)
	}
	if code := inboxCode(err); code != "invalid" {
		t.Errorf("code=%v, want invalid", code)
	}
}

func TestSignatureV3DoesNotChangeParams(t *testing.T) {
	p := vecParams()
	before := maps.Clone(p)
	if _, err := plivo.SignatureV3(vecToken, vecURL+"?a=1", "GET", vecNonceV3, p); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(p, before) {
		t.Errorf("params=%v, want %v", p, before)
	}
}
