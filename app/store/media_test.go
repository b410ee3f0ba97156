package store_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/media"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func testPicture(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for x := range 640 {
		img.Set(x, x%480, color.RGBA{10, 120, 200, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// carrierMedia plays the carrier's media host: it serves files by path
// until it is told to stop answering, and counts requests.
type carrierMedia struct {
	srv   *httptest.Server
	files map[string][]byte
	// status, when set, is the answer instead of the file.
	status   atomic.Int32
	requests atomic.Int32
}

func newCarrierMedia(t *testing.T, files map[string][]byte) *carrierMedia {
	c := &carrierMedia{files: files}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		if s := c.status.Load(); s != 0 {
			w.WriteHeader(int(s))
			return
		}
		data, ok := c.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		// The carrier's header lies; the copy must not trust it.
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(data)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func receiveWithMedia(t *testing.T, svc *inbox.Service, uuid string, urls ...string) inbox.Message {
	t.Helper()
	in := inboxtest.Inbound(uuid, contact, channel, "see attached")
	in.Type = "mms"
	for _, u := range urls {
		in.Media = append(in.Media, inbox.Media{URL: u, ContentType: "image/jpeg"})
	}
	return storetest.MustReceive(t, svc, in).Message
}

func TestInboundMediaIsKept(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pic := testPicture(t)
		carrier := newCarrierMedia(t, map[string][]byte{
			"/photo":   pic,
			"/page":    []byte("<!DOCTYPE html><html><body>not a picture</body></html>"),
			"/missing": nil,
		})
		delete(carrier.files, "/missing")
		svc, _ := storetest.NewService(s)
		clock := inboxtest.NewClock(storetest.T0)
		disk, err := media.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		pub := &inboxtest.Publisher{}
		copier := media.NewCopier(media.CopierOptions{
			Queue: s, Store: disk, Clock: clock, Log: slog.New(slog.DiscardHandler), MaxAttempts: 2, FirstRetry: time.Minute,
			Publisher: pub,
		})
		msg := receiveWithMedia(t, svc, "mms-1", carrier.srv.URL+"/photo", carrier.srv.URL+"/page", carrier.srv.URL+"/missing")

		// A duplicate delivery of the webhook queues nothing more.
		receiveWithMedia(t, svc, "mms-1", carrier.srv.URL+"/photo", carrier.srv.URL+"/page", carrier.srv.URL+"/missing")

		if n, err := copier.RunOnce(ctx); err != nil || n != 3 {
			t.Fatalf("RunOnce=(%d, %v), want 3 copies", n, err)
		}
		got, err := s.FindMessageByID(ctx, msg.ID)
		if err != nil {
			t.Fatal(err)
		}
		photo, page, missing := got.Media[0], got.Media[1], got.Media[2]
		if photo.Key != media.KeyOf(pic) || photo.ContentType != "image/png" || photo.Thumb == "" || photo.URL != carrier.srv.URL+"/photo" || photo.Size != int64(len(pic)) {
			t.Errorf("photo=%+v, want kept as image/png (sniffed) with a thumbnail and the original URL", photo)
		}
		if page.Kept() || !page.CopyFailed || !strings.Contains(page.CopyError, "text/html") {
			t.Errorf("page=%+v, want refused for good as text/html", page)
		}
		if missing.Kept() || missing.CopyFailed || missing.CopyError != "the carrier answered 404 Not Found" {
			t.Errorf("missing=%+v, want a retry after 404", missing)
		}
		if evs := pub.Events(); len(evs) != 3 || evs[0].Kind != inbox.EventMessageStatus || evs[0].MessageID != msg.ID || evs[0].ConversationID != msg.ConversationID || evs[0].ID == 0 {
			t.Errorf("published %+v, want a logged status event of the message for each of the 3 outcomes", evs)
		}

		// The retry waits for its backoff; then the file is there.
		if n, _ := copier.RunOnce(ctx); n != 0 {
			t.Fatalf("retried %d copies before the backoff", n)
		}
		carrier.files["/missing"] = pic
		clock.Advance(time.Minute)
		if n, err := copier.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("RunOnce after backoff=(%d, %v), want 1", n, err)
		}
		got, _ = s.FindMessageByID(ctx, msg.ID)
		if m := got.Media[2]; m.Key != media.KeyOf(pic) || m.CopyError != "" {
			t.Errorf("retried file=%+v, want kept with the error cleared", m)
		}

		// The carrier's URLs stop answering; the kept files are still ours.
		carrier.srv.Close()
		r, o, err := disk.Open(ctx, got.Media[0].Key)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(data, pic) || o.ContentType != "image/png" {
			t.Errorf("kept file: %d bytes %q, want the picture", len(data), o.ContentType)
		}
		clock.Advance(24 * time.Hour)
		if n, _ := copier.RunOnce(ctx); n != 0 {
			t.Errorf("%d copies still queued after all were kept or refused", n)
		}
	})
}

func TestInboundMediaGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		carrier := newCarrierMedia(t, map[string][]byte{})
		carrier.status.Store(http.StatusServiceUnavailable)
		svc, _ := storetest.NewService(s)
		clock := inboxtest.NewClock(storetest.T0)
		disk, _ := media.NewDisk(t.TempDir())
		copier := media.NewCopier(media.CopierOptions{Queue: s, Store: disk, Clock: clock, Log: slog.New(slog.DiscardHandler), MaxAttempts: 3, FirstRetry: time.Minute})
		msg := receiveWithMedia(t, svc, "mms-2", carrier.srv.URL+"/a")
		for i, wait := range []time.Duration{0, time.Minute, 2 * time.Minute} {
			clock.Advance(wait)
			if n, err := copier.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("try %d: RunOnce=(%d, %v), want 1", i+1, n, err)
			}
		}
		got, _ := s.FindMessageByID(ctx, msg.ID)
		if m := got.Media[0]; m.Kept() || !m.CopyFailed || m.CopyError != "the carrier answered 503 Service Unavailable" {
			t.Errorf("media=%+v, want given up after 3 tries with the reason", m)
		}
		clock.Advance(24 * time.Hour)
		if n, _ := copier.RunOnce(ctx); n != 0 || carrier.requests.Load() != 3 {
			t.Errorf("after giving up: %d claimed, %d requests; want 0 and 3", n, carrier.requests.Load())
		}
	})
}

// TestReplyWithMediaSendsSignedURLs: an agent's attachment leaves as an
// MMS whose media URL is signed, under PUBLIC_URL, and still checks out.
func TestReplyWithMediaSendsSignedURLs(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		signer := media.NewSigner("secret", "https://sms.example.com")
		r := newRig(t, s, rigOptions{media: signer})
		key := media.KeyOf([]byte("label"))
		file := inbox.Media{ContentType: "application/pdf", MediaFile: inbox.MediaFile{Key: key, Name: "label.pdf", Size: 5}}
		m, err := r.svc.SendReplyWithMedia(ctx, r.agent, r.convID, "", []inbox.Media{file})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Media) != 1 || m.Media[0].Key != key || m.Media[0].Name != "label.pdf" {
			t.Fatalf("queued media=%+v", m.Media)
		}
		r.MustSendDue(t, 1)
		sends := r.api.Sends()
		if len(sends) != 1 || sends[0].Type != "mms" || len(sends[0].MediaURLs) != 1 {
			t.Fatalf("sends=%+v, want one MMS with one URL", sends)
		}
		u, err := url.Parse(sends[0].MediaURLs[0])
		if err != nil || u.Host != "sms.example.com" || u.Path != media.SignedPath+key {
			t.Fatalf("media URL=%q, want the signed path under PUBLIC_URL", sends[0].MediaURLs[0])
		}
		if err := signer.Verify(key, u.Query().Get("expires"), u.Query().Get("signature"), r.clock.Now()); err != nil {
			t.Errorf("sent URL does not verify: %v", err)
		}
		if err := signer.Verify(key, u.Query().Get("expires"), u.Query().Get("signature"), r.clock.Now().Add(media.DefaultURLLifetime)); err == nil {
			t.Error("sent URL still works a day later")
		}

		// Too many files, too many bytes: refused, nothing queued.
		eleven := make([]inbox.Media, inbox.MaxMedia+1)
		for i := range eleven {
			eleven[i] = file
		}
		big := file
		big.Size = 2_000_000
		for name, files := range map[string][]inbox.Media{"eleven": eleven, "over 5 MB": {big, big, big}} {
			if _, err := r.svc.SendReplyWithMedia(ctx, r.agent, r.convID, "x", files); inbox.ErrorCode(err) != inbox.EINVALID || inbox.ErrorField(err) != "media" {
				t.Errorf("%s: err=%v, want EINVALID on media", name, err)
			}
		}
		r.MustSendDue(t, 0)
	})
}
