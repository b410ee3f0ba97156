package inbox

import (
	"net/url"
	"strings"
)

// MMS limits (plivo.md §7.3).
const (
	// MaxMedia is the most attachments one MMS may carry.
	MaxMedia = 10
	// maxMediaURL bounds one attachment's URL.
	maxMediaURL = 2048
)

// mmsRegions are where Plivo sends MMS: to and from US and Canadian
// numbers only.
var mmsRegions = map[string]bool{"US": true, "CA": true}

// ParseMediaURLs checks the attachments of an outbound MMS: at most
// MaxMedia, each an absolute https URL that Plivo can fetch. It returns
// them as Media, or EINVALID with Field "media_urls".
func ParseMediaURLs(urls []string) ([]Media, error) {
	if len(urls) > MaxMedia {
		return nil, FieldError("media_urls", "at most %d attachments fit in one message, got %d", MaxMedia, len(urls))
	}
	var out []Media
	for i, raw := range urls {
		raw = strings.TrimSpace(raw)
		u, err := url.Parse(raw)
		switch {
		case raw == "":
			return nil, FieldError("media_urls", "attachment %d is empty", i+1)
		case len(raw) > maxMediaURL:
			return nil, FieldError("media_urls", "attachment %d: the URL is longer than %d characters", i+1, maxMediaURL)
		case err != nil || u.Scheme != "https" || u.Host == "":
			return nil, FieldError("media_urls", "attachment %d: %q is not an absolute https:// URL", i+1, raw)
		}
		out = append(out, Media{URL: raw})
	}
	return out, nil
}

// checkMMSRoute refuses media on a route Plivo does not carry MMS on.
//
// Errors: EINVALID with Field "media_urls" for a destination outside the
// US and Canada, or "from" for such a sending number.
func checkMMSRoute(to, from Number) error {
	if !mmsRegions[to.Region()] {
		return FieldError("media_urls", "pictures can only be sent to US and Canadian numbers; send text only to %s", to.Display())
	}
	if !mmsRegions[from.Region()] {
		return FieldError("from", "pictures can only be sent from a US or Canadian number, not %s", from.Display())
	}
	return nil
}

// validateContent checks a message's text and attachments: the text as
// ValidateText, except that it may be blank when there are attachments.
// An MMS counts as one message whatever its text's length.
//
// Errors: EINVALID with Field "text".
func validateContent(text string, media []Media) (Segmentation, error) {
	if len(media) == 0 {
		return ValidateText(text)
	}
	seg := Segment(text)
	if seg.TooLong() {
		return seg, FieldError("text", "message is too long: %d of %d characters (%s)", seg.lengthForLimit(), seg.Limit, seg.Encoding)
	}
	seg.Segments = 1
	return seg, nil
}

// LastMessage is what a conversation keeps of its latest message for the
// list: the text's preview, who wrote it and how many attachments it has.
// The list words it ("You: …", "📷 Photo") for each viewer.
type LastMessage struct {
	Preview   string
	Direction Direction
	// SentBy is the agent who wrote an outbound message; 0 for inbound
	// messages and Parley's automatic replies.
	SentBy int64
	Media  int
}

// LastMessageOf is what the list keeps of m.
func LastMessageOf(m Message) LastMessage {
	return LastMessage{Preview: Preview(m.Body, PreviewLength), Direction: m.Direction, SentBy: m.SentBy, Media: len(m.Media)}
}
