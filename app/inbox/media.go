package inbox

import (
	"context"
	"time"
)

// MediaFile is an attachment's copy in Parley's media store: the file's
// key (the SHA-256 of its bytes), its thumbnail's key for a picture, its
// name and size. For an inbound file the copy is made in the background
// (MediaCopy); until it is, Key is empty and CopyError says why when a
// try failed.
type MediaFile struct {
	Key   string `json:"key,omitempty"`
	Thumb string `json:"thumb,omitempty"`
	Name  string `json:"name,omitempty"`
	Size  int64  `json:"size,omitempty"`
	// CopyError is why the last try to keep an inbound file failed; with
	// CopyFailed Parley has stopped trying.
	CopyError  string `json:"copy_error,omitempty"`
	CopyFailed bool   `json:"copy_failed,omitempty"`
}

// Kept reports whether the file is in Parley's store.
func (m Media) Kept() bool { return m.Key != "" }

// Attachment limits of one outbound MMS, Plivo's (see app/media/limits.go
// for the source): at most MaxMedia files, and the text and files together
// under MaxMMSBytes.
const MaxMMSBytes = 5_000_000

// CanSendMedia reports whether Plivo carries MMS between the
// conversation's numbers: US and Canadian numbers only.
func (c Conversation) CanSendMedia() bool {
	return checkMMSRoute(c.ContactNumber, c.ChannelNumber) == nil
}

// checkAttachments refuses more files than fit in one MMS, or more bytes.
//
// Errors: EINVALID with Field "media".
func checkAttachments(text string, media []Media) error {
	if len(media) > MaxMedia {
		return FieldError("media", "at most %d attachments fit in one message; remove %d", MaxMedia, len(media)-MaxMedia)
	}
	total := int64(len(text))
	for _, m := range media {
		total += m.Size
	}
	if total >= MaxMMSBytes {
		return FieldError("media", "the attachments come to %.1f MB; one message carries under %d MB, so remove some", float64(total)/1e6, MaxMMSBytes/1_000_000)
	}
	return nil
}

// SendReplyWithMedia queues an agent's reply with files from Parley's
// media store, as one MMS: the text may then be blank. Without media it
// is SendReply.
//
// Errors: as SendReply; and EINVALID (Field "media") for too many files or
// bytes, or a conversation outside the US and Canada. Nothing is queued on
// error.
func (s *Service) SendReplyWithMedia(ctx context.Context, actor User, conversationID int64, text string, media []Media) (Message, error) {
	if len(media) == 0 {
		return s.SendReply(ctx, actor, conversationID, text)
	}
	if err := checkAttachments(text, media); err != nil {
		return Message{}, err
	}
	seg, err := validateContent(text, media)
	if err != nil {
		return Message{}, err
	}
	if err := s.allowSend(ctx, actor); err != nil {
		return Message{}, err
	}
	var msg Message
	_, err = s.changeConversation(ctx, conversationID, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		if err := checkMMSRoute(conv.ContactNumber, conv.ChannelNumber); err != nil {
			return nil, FieldError("media", "%s", ErrorMessage(err))
		}
		m, events, err := s.queue(ctx, tx, actor, *conv, text, media, seg, now)
		msg = m
		return events, err
	})
	if err != nil {
		return Message{}, err
	}
	return msg, nil
}

// MediaLinker gives the carrier a URL for a file in Parley's store: one it
// can fetch without signing in, that stops working after a while.
type MediaLinker interface {
	SignedURL(key string, now time.Time) string
}

// mediaURL is where the carrier fetches m: the signed URL of Parley's copy
// when there is one, else the URL the message was given.
func (o *Outbox) mediaURL(m Media) string {
	if m.Key == "" || o.linker == nil {
		return m.URL
	}
	return o.linker.SignedURL(m.Key, o.clock.Now())
}

// MediaCopy is the work of keeping one inbound file: message MessageID's
// attachment at Position, fetched from URL.
type MediaCopy struct {
	ID        int64
	MessageID int64
	Position  int
	URL       string
	Attempts  int
}

// MediaCopyStore is the durable queue of inbound files to keep. A copy is
// claimed by one worker at a time, as the outbox claims a message.
type MediaCopyStore interface {
	// ClaimMediaCopies leases up to n copies that are due at now until
	// now+lease, counting an attempt on each.
	ClaimMediaCopies(ctx context.Context, n int, now time.Time, lease time.Duration) ([]MediaCopy, error)
	// KeepMediaCopy records the kept file on the message's attachment and
	// ends the copy. It returns the logged event that announces the
	// changed message, for the caller to publish.
	KeepMediaCopy(ctx context.Context, c MediaCopy, f MediaFile, contentType string, now time.Time) (Event, error)
	// FailMediaCopy records why a try failed on the message's attachment;
	// with next nil Parley stops trying. It returns the event as
	// KeepMediaCopy does.
	FailMediaCopy(ctx context.Context, c MediaCopy, reason string, next *time.Time, now time.Time) (Event, error)
}
