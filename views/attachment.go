package views

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/parleyhq/parley/app/inbox"
)

// Attachment is a file waiting in the composer: shown as a preview with a
// remove button, and sent back with the reply as its signed Token.
type Attachment struct {
	Token string
	// Key and Thumb name the file and its thumbnail (pictures only) in the
	// media store.
	Key, Thumb  string
	Name        string
	ContentType string
	// Kind and Size are in words: "PDF", "820 KB".
	Kind, Size string
}

// MediaURL is where a signed-in agent views a kept file.
func MediaURL(key string) string { return "/media/" + key }

// AttachmentName is the name a file is shown by: its base name, without
// control characters, at most 80 characters.
func AttachmentName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 80 {
		name = string(r[:79]) + "…"
	}
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// mediaDisabledReason says why a conversation cannot take attachments, or
// "" when it can.
func mediaDisabledReason(c inbox.Conversation) string {
	if c.CanSendMedia() {
		return ""
	}
	n := c.ContactNumber
	if r := n.Region(); r == "US" || r == "CA" {
		n = c.ChannelNumber
	}
	return fmt.Sprintf("Pictures and files can't be sent in this conversation: Plivo carries MMS only between US and Canadian numbers, and %s is not one.", n.Display())
}

// fileSize writes a byte count the way people read it (decimal units, as
// Plivo counts).
func fileSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1_000_000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e6), ".0") + " MB"
}

// fileKind names a content type for a card: "PDF", "MP4 video".
func fileKind(t string) string {
	switch t {
	case "application/pdf":
		return "PDF"
	case "text/plain":
		return "Text"
	case "text/vcard":
		return "Contact card"
	case "":
		return "File"
	}
	major, minor, _ := strings.Cut(t, "/")
	switch major {
	case "video", "audio", "image":
		return strings.ToUpper(minor) + " " + major
	}
	return t
}

// keptName is a kept file's name, or else mediaName's.
func keptName(m inbox.Media) string {
	if m.Name != "" {
		return m.Name
	}
	return mediaName(m)
}

// mediaThumb is the picture a thread shows for a kept picture: its
// thumbnail, or the file itself when none could be made.
func mediaThumb(m inbox.Media) string {
	if m.Thumb != "" {
		return MediaURL(m.Thumb)
	}
	return MediaURL(m.Key)
}

// copyState says how keeping an inbound file is going; "" once it is kept.
func copyState(m inbox.Media) string {
	switch {
	case m.Kept():
		return ""
	case m.CopyFailed:
		return "Couldn't keep this file: " + m.CopyError + ". The carrier's link may stop working."
	case m.CopyError != "":
		return "Not kept yet, retrying: " + m.CopyError + "."
	}
	return "Not kept yet: copying it from the carrier."
}

// displayName is a file's name for people; "File" when it has none.
func displayName(name string) string {
	if name == "" {
		return "File"
	}
	return name
}
