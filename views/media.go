package views

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// messagesID is the id of a thread's message list, so that live fragments
// land only in the thread they belong to.
func messagesID(conversationID int64) string {
	return "messages-" + strconv.FormatInt(conversationID, 10)
}

// isImage reports whether an attachment shows inline: by its content type,
// or by the URL's extension when the carrier sent no type.
func isImage(m inbox.Media) bool {
	if m.ContentType != "" {
		return strings.HasPrefix(strings.ToLower(m.ContentType), "image/")
	}
	switch strings.ToLower(path.Ext(urlPath(m.URL))) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// mediaName is a short name for a link to an attachment: the file name
// from the URL and its type, "invoice.pdf (application/pdf)".
func mediaName(m inbox.Media) string {
	name := path.Base(urlPath(m.URL))
	if name == "." || name == "/" || name == "" {
		name = "Attachment"
	}
	if m.ContentType != "" {
		name += " (" + m.ContentType + ")"
	}
	return name
}

func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// follows reports whether cur continues prev's run: same direction, same
// author, within five minutes. Runs sit closer together.
func follows(prev, cur inbox.Message) bool {
	return prev.Direction == cur.Direction && prev.SentBy == cur.SentBy &&
		cur.CreatedAt.Sub(prev.CreatedAt) < 5*time.Minute
}
