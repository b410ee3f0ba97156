package views_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

const (
	fileKey  = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	thumbKey = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
)

// TestMessageMediaKept: kept pictures show their thumbnail and open the full
// file; other kept files are cards with name, type and size; an inbound
// file not kept yet comes from the carrier and says how keeping it goes.
func TestMessageMediaKept(t *testing.T) {
	m := message(1, inbox.DirectionInbound, inbox.StatusReceived, "")
	m.Message.Media = []inbox.Media{
		{URL: "https://media.plivo.com/a", ContentType: "image/png", MediaFile: inbox.MediaFile{Key: fileKey, Thumb: thumbKey, Name: "a", Size: 1200}},
		{URL: "https://media.plivo.com/b", ContentType: "application/pdf", MediaFile: inbox.MediaFile{Key: thumbKey, Name: "receipt.pdf", Size: 48_000}},
		{URL: "https://media.plivo.com/c.jpg"},
		{URL: "https://media.plivo.com/d.jpg", MediaFile: inbox.MediaFile{CopyError: "the carrier answered 503 Service Unavailable"}},
		{URL: "https://media.plivo.com/e", MediaFile: inbox.MediaFile{CopyError: "its contents are text/html", CopyFailed: true}},
	}
	doc := MustRender(t, testCtx(), views.MessageBubble(m))
	items := doc.Find(`[data-testid="media-item"]`)
	if items.Length() != 5 {
		t.Fatalf("%d media items, want 5", items.Length())
	}
	first := items.Eq(0)
	if attr(MustFind(t, first, `a[data-testid="media-image"]`), "href") != "/media/"+fileKey || attr(MustFind(t, first, "img"), "src") != "/media/"+thumbKey {
		t.Errorf("kept picture: %s", text(first))
	}
	card := MustFind(t, items.Eq(1), `[data-testid="media-card"]`)
	if attr(card, "href") != "/media/"+thumbKey || text(card) != "receipt.pdf PDF · 48 KB" {
		t.Errorf("card=%q href %q", text(card), attr(card, "href"))
	}
	want := []string{
		"Not kept yet: copying it from the carrier.",
		"Not kept yet, retrying: the carrier answered 503 Service Unavailable.",
		"Couldn't keep this file: its contents are text/html. The carrier's link may stop working.",
	}
	for i, w := range want {
		if got := text(items.Eq(2 + i).Find(`[data-testid="media-copy-state"]`)); got != w {
			t.Errorf("item %d state=%q, want %q", 2+i, got, w)
		}
	}
	if n := items.Eq(0).Find(`[data-testid="media-copy-state"]`).Length() + items.Eq(1).Find(`[data-testid="media-copy-state"]`).Length(); n != 0 {
		t.Errorf("kept files show %d copy states, want none", n)
	}
	if attr(MustFind(t, items.Eq(2), "img"), "src") != "https://media.plivo.com/c.jpg" {
		t.Error("a picture not kept yet does not show from the carrier")
	}

	// An outbound message with an API caller's URL says nothing of copying.
	out := message(2, inbox.DirectionOutbound, inbox.StatusSent, "")
	out.Message.Media = []inbox.Media{{URL: "https://cdn.example.com/label.pdf"}}
	if n := MustRender(t, testCtx(), views.MessageBubble(out)).Find(`[data-testid="media-copy-state"]`).Length(); n != 0 {
		t.Errorf("outbound URL shows %d copy states, want none", n)
	}
}

func TestComposerAttachments(t *testing.T) {
	us := inbox.Conversation{ID: 7, ContactNumber: "+14155550100", ChannelNumber: "+14155550199"}
	p := views.ComposerFor(us)
	p.Attachments = []views.Attachment{{Token: "tok.sig", Key: fileKey, Thumb: thumbKey, Name: "box.png", ContentType: "image/png", Kind: "PNG picture", Size: "2 KB"}}
	doc := MustRender(t, testCtx(), views.Composer(p))
	MustFind(t, doc, `[data-testid="composer-file-input"]`)
	preview := MustFind(t, doc, `[data-testid="attachment-preview"]`)
	if attr(MustFind(t, preview, `input[name="attachment"]`), "value") != "tok.sig" || attr(MustFind(t, preview, "img"), "src") != "/media/"+thumbKey ||
		text(MustFind(t, preview, `[data-testid="attachment-meta"]`)) != "PNG picture · 2 KB" {
		t.Errorf("preview=%q", text(preview))
	}
	if attr(MustFind(t, preview, `[data-testid="attachment-remove"]`), "type") != "button" {
		t.Error("remove would submit the form")
	}

	uk := inbox.Conversation{ID: 8, ContactNumber: "+447911123456", ChannelNumber: "+14155550199"}
	doc = MustRender(t, testCtx(), views.Composer(views.ComposerFor(uk)))
	if doc.Find(`[data-testid="composer-file-input"]`).Length() != 0 {
		t.Error("a UK conversation offers the file picker")
	}
	off := MustFind(t, doc, `[data-testid="composer-attach-disabled"]`)
	if !strings.Contains(attr(off, "title"), "+44 7911 123456 is not one") || attr(MustFind(t, doc, `[data-js="attachments"]`), "data-media-disabled") == "" {
		t.Errorf("disabled paperclip title=%q", attr(off, "title"))
	}
	ukChannel := inbox.Conversation{ID: 9, ContactNumber: "+14155550100", ChannelNumber: "+442071838750"}
	if r := views.ComposerFor(ukChannel).MediaDisabledReason; !strings.Contains(r, "+44 20 7183 8750 is not one") {
		t.Errorf("UK sending number: reason %q", r)
	}
	if views.AttachmentName(`C:\Users\me\Desktop\photo.jpg`) != "photo.jpg" || views.AttachmentName("a\x00b.png") != "ab.png" {
		t.Error("AttachmentName keeps paths or control characters")
	}
}
