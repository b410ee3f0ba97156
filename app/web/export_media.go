package web

import (
	"strconv"
	"strings"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// exportAttachment is one file of a message as the NDJSON export writes
// it: where to get it (Parley's copy, for a signed-in agent, when there is
// one; else the original), what it is, and how keeping it went.
type exportAttachment struct {
	URL         string `json:"url"`
	OriginalURL string `json:"original_url,omitempty"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size,omitempty"`
	Kept        bool   `json:"kept"`
	CopyError   string `json:"copy_error,omitempty"`
}

// mediaURL is where an export points for a file: Parley's copy under
// PUBLIC_URL when kept, else the URL it came from.
func (n exportNames) mediaURL(md inbox.Media) string {
	if md.Kept() {
		return n.publicURL + views.MediaURL(md.Key)
	}
	return md.URL
}

func (n exportNames) attachments(media []inbox.Media) []exportAttachment {
	var out []exportAttachment
	for _, md := range media {
		out = append(out, exportAttachment{
			URL: n.mediaURL(md), OriginalURL: md.URL, Name: md.Name, ContentType: md.ContentType, Size: md.Size,
			Kept: md.Kept(), CopyError: md.CopyError,
		})
	}
	return out
}

// attachmentsCell describes a message's files for the CSV file:
// "label.png (image/png, 48213 bytes); …", with the original URL of a
// kept inbound file.
func (n exportNames) attachmentsCell(media []inbox.Media) string {
	var parts []string
	for _, a := range n.attachments(media) {
		var about []string
		if a.ContentType != "" {
			about = append(about, a.ContentType)
		}
		if a.Size > 0 {
			about = append(about, strconv.FormatInt(a.Size, 10)+" bytes")
		}
		if a.Kept && a.OriginalURL != "" {
			about = append(about, "original "+a.OriginalURL)
		}
		if !a.Kept && a.CopyError != "" {
			about = append(about, "not kept: "+a.CopyError)
		}
		name := a.Name
		if name == "" {
			name = a.URL
		}
		if len(about) > 0 {
			name += " (" + strings.Join(about, ", ") + ")"
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, "; ")
}
