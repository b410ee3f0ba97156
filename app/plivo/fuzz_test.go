package plivo_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/plivo"
)

func FuzzParseInbound(f *testing.F) {
	f.Add(wireInbound)
	f.Add("From=12345&To=14155550199&MessageUUID=abc-1&Type=mms&Body=pic&Media0=https%3A%2F%2Fm.example%2Fa&Media1=ftp%3A%2F%2Fx&Units=%FF")
	f.Add("From=ACME&To=%2B14155550199&MessageUUID=x&Text=%00%FF%C3&MessageIntent=OPTOUT&Media99999999999999999999=http%3A%2F%2Fh%2F")
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body) // keeps what parses, as ParseForm does
		in, err := plivo.ParseInbound(form)
		if err != nil {
			return
		}
		if !utf8.ValidString(in.Text) || strings.ContainsFunc(in.Text, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f }) {
			t.Errorf("Text=%q, want valid UTF-8 without control characters", in.Text)
		}
		if in.ProviderUUID == "" || in.From == "" || in.To == "" || in.Units < 1 {
			t.Errorf("Inbound=%+v, want UUID, From, To and Units >= 1", in)
		}
		switch in.Intent {
		case "", "optout", "optin", "help":
		default:
			t.Errorf("Intent=%q, want optout, optin, help or empty", in.Intent)
		}
		for _, m := range in.Media {
			if !strings.HasPrefix(m.URL, "http://") && !strings.HasPrefix(m.URL, "https://") {
				t.Errorf("Media URL=%q, want http(s)", m.URL)
			}
		}
		if len(in.Raw) > 100 {
			t.Errorf("len(Raw)=%d, want <= 100", len(in.Raw))
		}
		for k, v := range in.Raw {
			if len(k) > 64 || len(v) > 8<<10 || !utf8.ValidString(k+v) || strings.IndexByte(k+v, 0) >= 0 {
				t.Errorf("Raw[%q]=%q, want bounded clean UTF-8", k, v)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add(vecURL, "POST", "Text", "Hi there", vecSigV3, vecNonceV3, sigV2, vecNonceV2, true)
	f.Add(vecURL+"?a=1&a=2", "GET", "", "", "bogus=, "+vecSigV3, "", ",,,", "x", false)
	f.Add("://%zz", "get", "\x00", "\xff", " ", "\n", "", "", true)
	f.Fuzz(func(t *testing.T, rawURL, method, key, value, v3, nonce3, v2, nonce2 string, ma bool) {
		params := map[string]string{key: value}
		h := map[string]string{
			plivo.HeaderSignatureV3: v3, plivo.HeaderNonceV3: nonce3,
			plivo.HeaderSignatureV2: v2, plivo.HeaderNonceV2: nonce2,
		}
		header := func(name string) string { return h[name] }
		cb := plivo.Callback{URL: rawURL, Method: method, Params: params, Header: header}
		err := plivo.Verify([]string{vecToken, ""}, cb)
		if err != nil && inboxCode(err) != "forbidden" {
			t.Errorf("Verify err=%v, want forbidden or nil", err)
		}

		// Whatever we sign must verify, with the signature in either header.
		sig, err := plivo.SignatureV3(vecToken, rawURL, method, nonce3, params)
		if err != nil || nonce3 == "" {
			return
		}
		name := plivo.HeaderSignatureV3
		if ma {
			name = plivo.HeaderSignatureMaV3
		}
		h = map[string]string{name: "bogus, " + sig, plivo.HeaderNonceV3: nonce3}
		if err := plivo.Verify([]string{"other", vecToken}, cb); err != nil {
			t.Errorf("Verify(own V3 signature)=%v, want nil", err)
		}
		h = map[string]string{plivo.HeaderSignatureMaV2: plivo.SignatureV2(vecToken, rawURL, nonce3), plivo.HeaderNonceV2: nonce3}
		if err := plivo.Verify([]string{vecToken}, cb); err != nil {
			t.Errorf("Verify(own V2 signature)=%v, want nil", err)
		}
	})
}

func FuzzWriteResponse(f *testing.F) {
	f.Add("14155550199", "14155550100", "https://h/s?ref=1&x=2", `<3 & "quotes"`)
	f.Add("\x00", "\xff\xfe", "", "]]><!-- \r\n\uFFFE\U0010FFFF")
	f.Fuzz(func(t *testing.T, src, dst, callback, text string) {
		m := plivo.XMLMessage{Src: src, Dst: dst, CallbackURL: callback, Text: text}
		var b bytes.Buffer
		if err := plivo.WriteResponse(&b, m, m); err != nil {
			t.Fatalf("WriteResponse err=%v, want nil", err)
		}
		got, err := decodeResponse(b.Bytes())
		if err != nil {
			t.Fatalf("decode err=%v, want nil; xml %q", err, b.String())
		}
		if len(got) != 2 {
			t.Fatalf("messages=%d, want 2", len(got))
		}
		// Checked one by one: invalid halves can join into a valid rune.
		valid := validXMLText(src) && validXMLText(dst) && validXMLText(callback) && validXMLText(text)
		if valid && got[0] != m {
			t.Errorf("message=%+v, want %+v", got[0], m)
		}
	})
}

func FuzzParseDelivery(f *testing.F) {
	f.Add("MessageUUID=db3ce55a-7f1d-11e1-8ea7-1231380bc196&Status=delivered&Sequence=3&Units=1&ErrorCode=000", "ref=42")
	f.Add("Status=SENT&Sequence=-1&Units=99999999999999999999", "ref=../etc")
	f.Add("MessageUUID=%00&Status=read&Sequence=1e9", "ref=&ref=7")
	f.Fuzz(func(t *testing.T, body, rawQuery string) {
		form, _ := url.ParseQuery(body)
		query, _ := url.ParseQuery(rawQuery)
		d, err := plivo.ParseDelivery(form, query)
		if err != nil {
			if inboxCode(err) != "invalid" {
				t.Errorf("err=%v, want invalid", err)
			}
			return
		}
		switch d.Status {
		case "queued", "sent", "delivered", "undelivered", "failed", "rejected", "read":
		default:
			t.Errorf("Status=%q, want a known one", d.Status)
		}
		if d.MessageUUID == "" && d.Ref == "" {
			t.Error("neither MessageUUID nor ref, want one")
		}
		if d.Sequence < 0 || d.Units < 0 {
			t.Errorf("Sequence=%d Units=%d, want >= 0", d.Sequence, d.Units)
		}
		for _, r := range d.Ref {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				t.Errorf("Ref=%q, want letters, digits and dashes", d.Ref)
			}
		}
		if !utf8.ValidString(d.MessageUUID + d.ErrorCode + d.From + d.To) {
			t.Errorf("Delivery=%+v, want valid UTF-8", d)
		}
	})
}
