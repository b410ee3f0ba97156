package media

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Plivo's limits for an outbound MMS (Plivo support, "MMS file size and
// attachment limits", https://support.plivo.com/hc/en-us/articles/360041855032,
// the MMS section https://support.plivo.com/hc/en-us/sections/360008302871-MMS,
// and the Media API, https://plivo.com/docs/messaging/api/media): at most 10
// attachments per message (more is an HTTP 400), each at most 2 MB, and
// text plus media under 5 MB in all (else error 120); inbound, at most 10
// files under 7 MB in all. Carriers cap lower (0.6–1.5 MB in the US, under
// 1 MB in Canada) and Plivo adapts JPEG, PNG and GIF for the handset; other
// types go as they are. Media URLs must answer with Content-Type and
// Content-Length. MMS is sent to and from US and Canadian numbers only. We
// count MB as 10^6 bytes, the smaller reading.
const (
	// MaxFiles is the most attachments one MMS carries.
	MaxFiles = 10
	// MaxFileBytes bounds one attachment.
	MaxFileBytes = 2_000_000
	// MaxTotalBytes bounds the text and attachments of one MMS together;
	// Plivo wants the sum strictly below it.
	MaxTotalBytes = 5_000_000
	// MaxInboundBytes bounds one inbound file we keep: Plivo delivers at
	// most 7 MB of media per inbound MMS.
	MaxInboundBytes = 7_000_000
)

// Types Plivo accepts for MMS and that Parley can recognise from the
// bytes. Plivo lists image/jpeg, gif, png, bmp, tiff and webp, many audio
// types, video/mp4, application/pdf and text; these are the ones whose
// first bytes say what they are.
var allowedTypes = map[string]string{
	"image/jpeg":      "JPEG picture",
	"image/png":       "PNG picture",
	"image/gif":       "GIF picture",
	"image/bmp":       "BMP picture",
	"image/tiff":      "TIFF picture",
	"image/webp":      "WebP picture",
	"video/mp4":       "MP4 video",
	"audio/mpeg":      "MP3 audio",
	"audio/wave":      "WAV audio",
	"audio/ogg":       "Ogg audio",
	"audio/amr":       "AMR audio",
	"application/pdf": "PDF",
	"text/plain":      "text file",
	"text/vcard":      "contact card",
}

// Allowed reports whether t is a type Parley stores and sends.
func Allowed(t string) bool { _, ok := allowedTypes[t]; return ok }

// IsImage reports whether t is a picture shown as a thumbnail.
func IsImage(t string) bool { return strings.HasPrefix(t, "image/") }

// Describe names a type in words ("PDF", "JPEG picture").
func Describe(t string) string {
	if d, ok := allowedTypes[t]; ok {
		return d
	}
	return t
}

// Sniff is the type of a file's bytes (its first 512 are enough), as
// http.DetectContentType says with the types it does not know added:
// TIFF, AMR and vCard. Parameters such as charset are dropped.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "image/tiff"
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return "audio/amr"
	case bytes.HasPrefix(bytes.ToUpper(head), []byte("BEGIN:VCARD")):
		return "text/vcard"
	}
	t, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	switch t {
	case "application/ogg":
		return "audio/ogg"
	case "audio/wav", "audio/x-wav":
		return "audio/wave"
	}
	return t
}

// RefusedError says why a file cannot be attached, in words for the
// person who chose it.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// Check decides a file's type from its bytes and refuses what Plivo does
// not carry, or a file whose name or declared type claims another kind
// than its bytes are (a "photo.jpg" that is a web page). name and declared
// may be empty; maxSize is MaxFileBytes for what we send. It returns the
// sniffed type.
func Check(name, declared string, head []byte, size, maxSize int64) (string, error) {
	label := name
	if label == "" {
		label = "the file"
	}
	if size == 0 {
		return "", refused("%s is empty", label)
	}
	if size > maxSize {
		if FormatSize(size) == FormatSize(maxSize) {
			return "", refused("%s is too large to send by MMS: files may be up to %s", label, FormatSize(maxSize))
		}
		return "", refused("%s is too large to send by MMS (%s): files may be up to %s", label, FormatSize(size), FormatSize(maxSize))
	}
	t := Sniff(head)
	if !Allowed(t) {
		return "", refused("%s can't be sent by MMS: its contents are %s; send pictures, PDFs, MP4 video, audio or text", label, t)
	}
	if claim := claimedType(name, declared); claim != "" && family(claim) != family(t) {
		return "", refused("%s says it is %s but its contents are %s", label, claim, t)
	}
	return t, nil
}

// claimedType is what a file says it is: the declared type, or else the
// type its extension names. "" when neither says anything useful.
func claimedType(name, declared string) string {
	if t, _, err := mime.ParseMediaType(declared); err == nil && t != "application/octet-stream" {
		return t
	}
	if ext := strings.ToLower(path.Ext(name)); ext != "" {
		if t, _, err := mime.ParseMediaType(mime.TypeByExtension(ext)); err == nil {
			return t
		}
	}
	return ""
}

// family groups types whose difference does not matter to a person: all
// pictures are pictures. A PDF is its own family.
func family(t string) string {
	major, minor, _ := strings.Cut(t, "/")
	switch {
	case major == "application" && minor == "pdf":
		return "pdf"
	case major == "application" && (minor == "ogg"):
		return "audio"
	case major == "text":
		return "text"
	}
	return major
}

// FormatSize writes a byte count the way people read it: "820 KB",
// "1.4 MB" (decimal units, as Plivo counts).
func FormatSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1_000_000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	s := fmt.Sprintf("%.1f", float64(n)/1e6)
	return strings.TrimSuffix(s, ".0") + " MB"
}
