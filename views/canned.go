package views

import "github.com/parleyhq/parley/app/inbox"

// CannedChoice is a canned reply as the composer offers it, its
// placeholders filled for the open conversation.
type CannedChoice struct {
	Name string
	Text string
}

// CannedProps is the canned replies settings screen.
type CannedProps struct {
	Replies []inbox.CannedReply
	// Draft is the add form (ID 0) or the reply being edited, shown again
	// with its Error after a refused save.
	Draft CannedDraft
}

// CannedDraft is what an admin typed into a canned reply form.
type CannedDraft struct {
	ID    int64
	Name  string
	Body  string
	Error string
}

// CannedURL is where a canned reply is posted; CannedActionURL its
// "delete".
func CannedURL(replyID int64) string { return CannedRepliesURL + "/" + id(replyID) }

// CannedActionURL is where a canned reply's "delete" is posted.
func CannedActionURL(replyID int64, action string) string { return CannedURL(replyID) + "/" + action }
