package plivo

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
)

// XMLMessage is one <Message> of a Plivo XML reply. Src and Dst are written
// as given: pass inbox.Number.Carrier() (digits without "+").
type XMLMessage struct {
	Src, Dst string
	// CallbackURL receives the delivery reports; empty for none.
	CallbackURL string
	Text        string
}

// WriteResponse writes a Plivo XML reply holding msgs, in one Write:
//
//	<Response><Message src="…" dst="…" type="sms" callbackUrl="…" callbackMethod="POST">text</Message></Response>
//
// callbackUrl and callbackMethod are left out when CallbackURL is empty, and
// no msgs gives <Response></Response>. Every attribute and text goes through
// xml.EscapeText, so the output is well-formed for any input: markup is
// escaped, newlines become &#xA;, and invalid UTF-8 and characters XML 1.0
// forbids (most control characters) become U+FFFD.
//
// Errors: only those of w, wrapped.
func WriteResponse(w io.Writer, msgs ...XMLMessage) error {
	size := len("<Response></Response>")
	for _, m := range msgs {
		size += 128 + len(m.Src) + len(m.Dst) + len(m.CallbackURL) + len(m.Text)
	}
	b := make([]byte, 0, size)
	b = append(b, "<Response>"...)
	for _, m := range msgs {
		b = append(b, `<Message src="`...)
		b = appendEscaped(b, m.Src)
		b = append(b, `" dst="`...)
		b = appendEscaped(b, m.Dst)
		b = append(b, `" type="sms"`...)
		if m.CallbackURL != "" {
			b = append(b, ` callbackUrl="`...)
			b = appendEscaped(b, m.CallbackURL)
			b = append(b, `" callbackMethod="POST"`...)
		}
		b = append(b, '>')
		b = appendEscaped(b, m.Text)
		b = append(b, "</Message>"...)
	}
	b = append(b, "</Response>"...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("plivo: write response: %w", err)
	}
	return nil
}

// appendEscaped appends s escaped for text and attribute values. Plain
// printable ASCII without markup characters, the common case for numbers
// and URLs, is appended as is; everything else goes through xml.EscapeText.
func appendEscaped(b []byte, s string) []byte {
	if plainXML(s) {
		return append(b, s...)
	}
	buf := bytes.NewBuffer(b)
	_ = xml.EscapeText(buf, []byte(s)) // a bytes.Buffer never fails
	return buf.Bytes()
}

func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '&', c == '<', c == '>', c == '"', c == '\'':
			return false
		}
	}
	return true
}
