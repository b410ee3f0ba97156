package web

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/media"
	"github.com/parleyhq/parley/views"
)

// MediaDeps keep attachments: the store files go into, and the signer of
// the URLs Plivo fetches them from and of the composer's attachment
// tokens. A zero MediaDeps turns attachments off.
type MediaDeps struct {
	Store  media.Store
	Signer *media.Signer
	// Now is the clock signed URLs are checked against; nil is time.Now.
	Now func() time.Time
}

func (m MediaDeps) enabled() bool { return m.Store != nil && m.Signer != nil }

func (m MediaDeps) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// UploadPath is where the composer posts each file it attaches.
const UploadPath = "/media"

// maxUploadBody bounds an upload's request: one file at Plivo's limit and
// the multipart framing around it. Every other request keeps maxBody.
const maxUploadBody = media.MaxFileBytes + 64<<10

// limitBody refuses a body over maxBody except on the upload route; the
// server's own limit (maxUploadBody) has already refused anything larger
// before reading it.
func (s *server) limitBody(c *fiber.Ctx) error {
	if c.Path() == UploadPath && c.Method() == fiber.MethodPost {
		return c.Next()
	}
	if c.Request().Header.ContentLength() > maxBody || len(c.Request().Body()) > maxBody {
		return c.SendStatus(fiber.StatusRequestEntityTooLarge)
	}
	return c.Next()
}

// mediaPublicRoutes registers the one public media route: the signed URL
// Plivo fetches outbound files from.
func (s *server) mediaPublicRoutes(app *fiber.App) {
	app.Get(media.SignedPath+":key", s.handleSignedMedia)
}

// mediaRoutes registers the signed-in routes: uploading a file to attach,
// and viewing any kept file.
func (s *server) mediaRoutes(app *fiber.App) {
	app.Post(UploadPath, s.requireUser, s.handleMediaUpload)
	app.Get(UploadPath+"/:key", s.requireUser, s.handleMedia)
}

// handleSignedMedia serves a file to whoever holds a valid, unexpired
// signed URL: Plivo, fetching an MMS's media. Anything else is 403, a
// missing file 404; neither says more.
func (s *server) handleSignedMedia(c *fiber.Ctx) error {
	// A customer's file is kept by no cache on the way, as every page
	// behind sign-in is.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !s.deps.Media.enabled() {
		return c.SendStatus(fiber.StatusNotFound)
	}
	key := c.Params("key")
	if err := s.deps.Media.Signer.Verify(key, c.Query("expires"), c.Query("signature"), s.deps.Media.now()); err != nil {
		s.log.Info("media: refused a signed URL", "request_id", c.Locals(requestIDHeader), "reason", err.Error())
		return c.SendStatus(fiber.StatusForbidden)
	}
	return s.sendMedia(c, key)
}

// handleMedia serves a kept file to a signed-in agent.
func (s *server) handleMedia(c *fiber.Ctx) error {
	if !s.deps.Media.enabled() {
		return inbox.Errorf(inbox.ENOTFOUND, "no such file")
	}
	return s.sendMedia(c, c.Params("key"))
}

// sendMedia streams a file with its type and length (Plivo needs both),
// sandboxed so a file can never run as a page of Parley's. Like every
// response behind sign-in it is not stored (noStore).
func (s *server) sendMedia(c *fiber.Ctx, key string) error {
	r, o, err := s.deps.Media.Store.Open(c.UserContext(), key)
	if errors.Is(err, media.ErrNotFound) {
		return c.SendStatus(fiber.StatusNotFound)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, o.ContentType)
	c.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if !media.IsImage(o.ContentType) && o.ContentType != "application/pdf" {
		c.Set(fiber.HeaderContentDisposition, "attachment")
	}
	return c.SendStream(r, int(o.Size))
}

// handleMediaUpload keeps one file the composer attaches and answers its
// preview, carrying the signed token the reply form sends back; a file
// that cannot go by MMS answers 422 with the reason, and the draft is
// untouched.
func (s *server) handleMediaUpload(c *fiber.Ctx) error {
	if !s.deps.Media.enabled() {
		return inbox.Errorf(inbox.EUNAVAILABLE, "attachments are not set up on this server")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.render(c, fiber.StatusUnprocessableEntity, views.AttachmentRefused("", "choose a file to attach"))
	}
	name, declared := views.AttachmentName(fh.Filename), fh.Header.Get(fiber.HeaderContentType)
	var refused *media.RefusedError
	if fh.Size > media.MaxFileBytes {
		_, err := media.Check(name, declared, nil, fh.Size, media.MaxFileBytes)
		if errors.As(err, &refused) {
			return s.render(c, fiber.StatusUnprocessableEntity, views.AttachmentRefused(name, refused.Reason))
		}
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, media.MaxFileBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	a, err := media.Keep(c.UserContext(), s.deps.Media.Store, name, declared, data, media.MaxFileBytes)
	if errors.As(err, &refused) {
		return s.render(c, fiber.StatusUnprocessableEntity, views.AttachmentRefused(name, refused.Reason))
	}
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.AttachmentPreview(s.attachmentView(a)))
}

func (s *server) attachmentView(a media.Attachment) views.Attachment {
	return views.Attachment{
		Token: s.deps.Media.Signer.Token(a), Key: a.Key, Thumb: a.Thumb, Name: a.Name,
		ContentType: a.ContentType, Kind: media.Describe(a.ContentType), Size: media.FormatSize(a.Size),
	}
}

// replyAttachments reads the attachment tokens a reply form carries: the
// files for the message, and their previews to show again if the send is
// refused. A token the server did not sign is refused (the others still
// come back as previews).
func (s *server) replyAttachments(c *fiber.Ctx) ([]inbox.Media, []views.Attachment, error) {
	tokens := c.Request().PostArgs().PeekMulti("attachment")
	if len(tokens) == 0 {
		return nil, nil, nil
	}
	if !s.deps.Media.enabled() {
		return nil, nil, inbox.FieldError("media", "attachments are not set up on this server")
	}
	var files []inbox.Media
	var previews []views.Attachment
	var bad error
	for i, t := range tokens {
		a, err := s.deps.Media.Signer.ParseToken(string(t))
		if err != nil {
			if bad == nil {
				bad = inbox.FieldError("media", "attachment %s is not one this server kept; attach it again", strconv.Itoa(i+1))
			}
			continue
		}
		files = append(files, inbox.Media{ContentType: a.ContentType, MediaFile: inbox.MediaFile{Key: a.Key, Thumb: a.Thumb, Name: a.Name, Size: a.Size}})
		previews = append(previews, s.attachmentView(a))
	}
	return files, previews, bad
}
