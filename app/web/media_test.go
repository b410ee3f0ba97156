package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/media"
	"github.com/parleyhq/parley/app/web"
)

// mediaServer is a test server with attachments kept on disk and a clock
// the signed URLs are checked against.
type mediaServer struct {
	*testServer
	store  *media.Disk
	signer *media.Signer
	now    time.Time
}

func newMediaServer(t *testing.T) *mediaServer {
	t.Helper()
	disk, err := media.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ms := &mediaServer{store: disk, signer: media.NewSigner(secret, publicURL), now: time.Now()}
	ms.testServer = newTestServerWith(t, testOptions{
		numbers: []inbox.Number{"+14155550199", "+442071838750"},
		media:   web.MediaDeps{Store: disk, Signer: ms.signer, Now: func() time.Time { return ms.now }},
	})
	return ms
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{220, 40, 40, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts one file as the composer's script does.
func (b *browser) upload(name, contentType string, data []byte, withCSRF bool) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	if err != nil {
		b.t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, web.UploadPath, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("HX-Request", "true")
	if withCSRF {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	return b.do(req)
}

var tokenInput = regexp.MustCompile(`name="attachment" value="([^"]+)"`)

func TestUploadLimitsAndTypes(t *testing.T) {
	ms := newMediaServer(t)
	b := ms.signedIn(t)
	pic := pngBytes(t, 800, 600)

	p := b.upload("parcel.png", "image/png", pic, true)
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="attachment-preview"`) || !strings.Contains(p.body, "parcel.png") || !strings.Contains(p.body, `data-testid="attachment-thumb"`) {
		t.Fatalf("upload=%d %s, want a preview with a thumbnail", p.status, p.body)
	}
	m := tokenInput.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no attachment token in %s", p.body)
	}
	a, err := ms.signer.ParseToken(m[1])
	if err != nil || a.Key != media.KeyOf(pic) || a.ContentType != "image/png" || a.Size != int64(len(pic)) {
		t.Fatalf("token=%+v %v", a, err)
	}
	if _, o, err := ms.store.Open(context.Background(), a.Key); err != nil || o.Size != int64(len(pic)) {
		t.Fatalf("stored: %+v %v", o, err)
	}

	refusals := []struct {
		name, file, ctype string
		data              []byte
		reason            string
	}{
		{"a web page that says it is a JPEG", "photo.jpg", "image/jpeg", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "photo.jpg can&#39;t be sent by MMS: its contents are text/html"},
		{"a PDF that says it is a PNG", "receipt.png", "image/png", []byte("%PDF-1.7\n1 0 obj\n"), "receipt.png says it is image/png but its contents are application/pdf"},
		{"an executable", "tool.exe", "application/x-msdownload", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "tool.exe can&#39;t be sent by MMS"},
		{"an empty file", "empty.png", "image/png", nil, "empty.png is empty"},
		{"over Plivo's 2 MB", "huge.png", "image/png", append(pic[:len(pic):len(pic)], make([]byte, media.MaxFileBytes)...), "huge.png is too large to send by MMS: files may be up to 2 MB"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			p := b.upload(tt.file, tt.ctype, tt.data, true)
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `data-testid="attachment-refused"`) || !strings.Contains(p.body, tt.reason) {
				t.Fatalf("upload=%d %q, want 422 saying %q", p.status, p.body, tt.reason)
			}
		})
	}

	// The server refuses a body over the upload limit from its
	// Content-Length, before reading it (on a real socket: app.Test
	// refuses such a body on the client side).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ms.app.Listener(ln) }()
	t.Cleanup(func() { _ = ms.app.ShutdownWithTimeout(time.Second) })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(8 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost:8443\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n", web.UploadPath, 3_000_000)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the 3 MB body was sent: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MB upload=%d, want 413", resp.StatusCode)
	}
	// Every other route keeps its 1 MiB limit.
	form := url.Values{"text": {strings.Repeat("a", 1<<20+10)}}
	if p := b.post("/compose/meter", form, true); p.status != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MiB form to /compose/meter=%d, want 413", p.status)
	}
	if p := b.upload("parcel.png", "image/png", pic, false); p.status != http.StatusForbidden {
		t.Errorf("upload without CSRF=%d, want 403", p.status)
	}
	if p := ms.browser(t).upload("parcel.png", "image/png", pic, false); p.status == http.StatusOK {
		t.Errorf("anonymous upload=%d, want refused", p.status)
	}
}

func TestSignedMediaURL(t *testing.T) {
	ms := newMediaServer(t)
	ctx := context.Background()
	pic := pngBytes(t, 50, 40)
	o, err := media.Save(ctx, ms.store, "image/png", pic)
	if err != nil {
		t.Fatal(err)
	}
	anon := ms.browser(t)
	fetch := func(raw string) page {
		t.Helper()
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return anon.get(u.RequestURI())
	}
	signed := ms.signer.SignedURL(o.Key, ms.now)
	p := fetch(signed)
	if p.status != http.StatusOK || p.body != string(pic) || p.header.Get("Content-Type") != "image/png" || p.header.Get("Content-Length") != fmt.Sprint(len(pic)) {
		t.Fatalf("signed GET=%d type %q length %q (%d bytes), want the picture with its type and length", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Length"), len(p.body))
	}
	if !strings.Contains(p.header.Get("Content-Security-Policy"), "sandbox") || !strings.Contains(p.header.Get("Cache-Control"), "no-store") {
		t.Errorf("headers=%v, want a sandboxed, unstored file", p.header)
	}

	u, _ := url.Parse(signed)
	q := u.Query()
	sig := []byte(q.Get("signature"))
	sig[3] ^= 1
	tampered := *u
	tq := u.Query()
	tq.Set("signature", string(sig))
	tampered.RawQuery = tq.Encode()
	later := *u
	lq := u.Query()
	lq.Set("expires", fmt.Sprint(ms.now.Add(48*time.Hour).Unix()))
	later.RawQuery = lq.Encode()
	other := media.KeyOf([]byte("other"))
	for name, raw := range map[string]string{
		"changed signature":   tampered.String(),
		"expiry pushed later": later.String(),
		"no signature":        publicURL + media.SignedPath + o.Key,
		"another key":         strings.Replace(signed, o.Key, other, 1),
	} {
		if p := fetch(raw); p.status != http.StatusForbidden || strings.Contains(p.body, "PNG") {
			t.Errorf("%s: %d, want 403 without the file", name, p.status)
		}
	}
	if p := fetch(ms.signer.SignedURL(other, ms.now)); p.status != http.StatusNotFound {
		t.Errorf("signed URL of a file never stored=%d, want 404", p.status)
	}

	// A day later the same URL is refused.
	ms.now = ms.now.Add(media.DefaultURLLifetime)
	if p := fetch(signed); p.status != http.StatusForbidden {
		t.Errorf("after expiry=%d, want 403", p.status)
	}

	// Nothing else under /media is public.
	if p := anon.get(mediaURL(o.Key)); p.status == http.StatusOK {
		t.Errorf("anonymous /media/<key>=%d, want refused", p.status)
	}
	b := ms.signedIn(t)
	if p := b.get(mediaURL(o.Key)); p.status != http.StatusOK || p.body != string(pic) {
		t.Errorf("signed-in /media/<key>=%d, want the file", p.status)
	}
	if p := b.get("/media/..%2F..%2Fetc%2Fpasswd"); p.status != http.StatusNotFound {
		t.Errorf("path as a key=%d, want 404", p.status)
	}
}

func mediaURL(key string) string { return "/media/" + key }

func TestReplyWithAttachment(t *testing.T) {
	ms := newMediaServer(t)
	ctx := context.Background()
	r, err := ms.svc.Receive(ctx, inboxtest.Inbound("in-us", "+14155550101", "+14155550199", "the box was crushed"))
	if err != nil {
		t.Fatal(err)
	}
	b := ms.signedIn(t)
	thread := fmt.Sprintf("/conversations/%d", r.Conversation.ID)
	if p := b.get(thread); !strings.Contains(p.body, `data-testid="composer-attach"`) || !strings.Contains(p.body, `data-upload-url="/media"`) {
		t.Fatalf("US thread: no paperclip in the composer")
	}
	pic := pngBytes(t, 300, 200)
	up := b.upload("label.png", "image/png", pic, true)
	tok := tokenInput.FindStringSubmatch(up.body)
	if tok == nil {
		t.Fatalf("upload=%d %s", up.status, up.body)
	}

	// A token the server did not sign is refused, and the draft and the
	// good attachment come back.
	p := b.htmxPost(thread+"/messages", url.Values{"text": {"my draft"}, "attachment": {tok[1], "forged.token"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "attachment 2 is not one this server kept") ||
		!strings.Contains(p.body, ">my draft</textarea>") || !strings.Contains(p.body, tok[1]) {
		t.Fatalf("forged token: %d %s", p.status, p.body)
	}

	// Blank text with an attachment goes as an MMS of the stored file.
	p = b.htmxPost(thread+"/messages", url.Values{"text": {""}, "attachment": {tok[1]}})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="media-image"`) || !strings.Contains(p.body, "/media/"+media.KeyOf(pic)) {
		t.Fatalf("send=%d %s, want the new message with its picture", p.status, p.body)
	}
	pg, err := ms.testServer.store.ListMessages(ctx, r.Conversation.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	last := pg.Messages[len(pg.Messages)-1]
	if last.Direction != inbox.DirectionOutbound || len(last.Media) != 1 || last.Media[0].Key != media.KeyOf(pic) || last.Media[0].Name != "label.png" || last.Media[0].ContentType != "image/png" {
		t.Fatalf("stored reply=%+v", last)
	}

	// A UK conversation: the paperclip says why not, and the server agrees.
	uk, err := ms.svc.Receive(ctx, inboxtest.Inbound("in-uk", "+447911123456", "+442071838750", "hello"))
	if err != nil {
		t.Fatal(err)
	}
	ukThread := fmt.Sprintf("/conversations/%d", uk.Conversation.ID)
	page := b.get(ukThread)
	if !strings.Contains(page.body, `data-testid="composer-attach-disabled"`) || !strings.Contains(page.body, "Plivo carries MMS only between US and Canadian numbers") {
		t.Fatalf("UK thread: no explanation on the paperclip")
	}
	p = b.htmxPost(ukThread+"/messages", url.Values{"text": {"here"}, "attachment": {tok[1]}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "US and Canadian") || !strings.Contains(p.body, ">here</textarea>") {
		t.Fatalf("MMS to the UK=%d %s, want 422 with the reason and the draft", p.status, p.body)
	}
}

// TestMediaOnS3: with MEDIA_STORE in an S3-compatible bucket (gofakes3,
// run in process), an upload lands in the bucket and Plivo's signed URL
// serves it from there with its type and length.
func TestMediaOnS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("parley"); err != nil {
		t.Fatal(err)
	}
	s3srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3srv.Close)
	bucket, err := media.NewS3(media.S3Options{Bucket: "parley", Prefix: "media", Endpoint: s3srv.URL, Region: "us-east-1", AccessKey: "k", SecretKey: "s", PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	signer := media.NewSigner(secret, publicURL)
	ts := newTestServerWith(t, testOptions{media: web.MediaDeps{Store: bucket, Signer: signer}})
	b := ts.signedIn(t)
	pic := pngBytes(t, 400, 300)
	if p := b.upload("parcel.png", "image/png", pic, true); p.status != http.StatusOK {
		t.Fatalf("upload=%d %s", p.status, p.body)
	}
	obj, err := backend.HeadObject("parley", "media/"+media.KeyOf(pic))
	if err != nil || obj.Size != int64(len(pic)) {
		t.Fatalf("bucket holds %+v, %v; want the picture under media/<sha256>", obj, err)
	}
	u, _ := url.Parse(signer.SignedURL(media.KeyOf(pic), time.Now()))
	p := ts.browser(t).get(u.RequestURI())
	if p.status != http.StatusOK || p.body != string(pic) || p.header.Get("Content-Type") != "image/png" || p.header.Get("Content-Length") != fmt.Sprint(len(pic)) {
		t.Fatalf("signed GET from S3=%d %q %q", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Length"))
	}
}
