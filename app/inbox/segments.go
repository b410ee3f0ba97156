package inbox

import (
	"slices"
	"strings"
	"unicode/utf16"
)

// Encoding is how a text travels over SMS.
type Encoding string

const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// Carrier limits (plivo.md §7.2).
const (
	MaxGSMChars  = 1600
	MaxUCS2Chars = 737
	gsmSingle    = 160
	gsmPart      = 153
	ucsSingle    = 70
	ucsPart      = 67
)

// gsmBasic is the GSM 03.38 default alphabet; each counts one septet.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtended is the extension table; each counts two septets (ESC + code).
const gsmExtended = "^{}\\[~]|€\f"

// Segmentation is what a text costs to send.
type Segmentation struct {
	Encoding Encoding
	// Characters is the length a person sees (runes).
	Characters int
	// Units is septets under GSM-7 and UTF-16 code units under UCS-2.
	Units int
	// Segments is how many SMS parts the carrier bills.
	Segments int
	// PerSegment is the capacity of each part in Units: 160/153 or 70/67.
	PerSegment int
	// FirstNonGSM is the first character that forced UCS-2, or 0 (also
	// when that character is NUL).
	FirstNonGSM rune
	// NonGSM is every distinct character that forced UCS-2, in the order
	// they appear, at most MaxNamedNonGSM+1 of them (one more than a
	// person is shown, so "and more" can be said).
	NonGSM []rune
	// Limit is the most Characters the carrier accepts in this encoding.
	Limit int
}

// MaxNamedNonGSM is how many of the characters that force UCS-2 a
// person is told about by name.
const MaxNamedNonGSM = 5

// Segment counts the encoding and parts of text. An escape pair (GSM-7) or a
// surrogate pair (UCS-2) is never split across parts, so a part may hold one
// unit fewer than its capacity.
func Segment(text string) Segmentation {
	s := Segmentation{Encoding: GSM7, Limit: MaxGSMChars}
	var widths []int
	// gsm is kept apart from FirstNonGSM, whose zero value cannot tell
	// "none yet" from a NUL character.
	gsm := true
	for _, r := range text {
		s.Characters++
		switch {
		case strings.ContainsRune(gsmBasic, r):
			widths = append(widths, 1)
		case strings.ContainsRune(gsmExtended, r):
			widths = append(widths, 2)
		default:
			if gsm {
				gsm, s.FirstNonGSM = false, r
			}
			if len(s.NonGSM) <= MaxNamedNonGSM && !slices.Contains(s.NonGSM, r) {
				s.NonGSM = append(s.NonGSM, r)
			}
		}
	}
	single, part := gsmSingle, gsmPart
	if !gsm {
		s.Encoding, s.Limit = UCS2, MaxUCS2Chars
		single, part = ucsSingle, ucsPart
		widths = widths[:0]
		for _, r := range text {
			widths = append(widths, utf16.RuneLen(r))
		}
	}
	for _, w := range widths {
		s.Units += w
	}
	switch {
	case s.Units == 0:
		s.PerSegment = single
	case s.Units <= single:
		s.Segments, s.PerSegment = 1, single
	default:
		s.PerSegment = part
		s.Segments = packParts(widths, part)
	}
	return s
}

// packParts counts the parts needed when no item may straddle two parts.
func packParts(widths []int, capacity int) int {
	parts, used := 1, 0
	for _, w := range widths {
		if used+w > capacity {
			parts++
			used = 0
		}
		used += w
	}
	return parts
}

// TooLong reports whether the text exceeds what the carrier accepts. UCS-2
// length is counted in UTF-16 units, as the carrier counts it.
func (s Segmentation) TooLong() bool {
	if s.Encoding == UCS2 {
		return s.Units > s.Limit
	}
	return s.Characters > s.Limit
}

// ValidateText checks that text can be sent as one message: not blank,
// free of control characters other than tab and line breaks, and within
// the carrier's limit. It returns EINVALID with Field "text".
func ValidateText(text string) (Segmentation, error) {
	s := Segment(text)
	if strings.TrimSpace(text) == "" {
		return s, FieldError("text", "write a message first")
	}
	if strings.ContainsFunc(text, isControl) {
		return s, FieldError("text", "has a control character (such as NUL or ESC) that phones cannot show")
	}
	if s.TooLong() {
		return s, FieldError("text", "message is too long: %d of %d characters (%s)", s.lengthForLimit(), s.Limit, s.Encoding)
	}
	return s, nil
}

func (s Segmentation) lengthForLimit() int {
	if s.Encoding == UCS2 {
		return s.Units
	}
	return s.Characters
}

// isControl reports a C0 control character other than tab, line feed and
// carriage return, or DEL.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}
