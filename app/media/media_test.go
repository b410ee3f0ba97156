package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/parleyhq/parley/app/media"
)

// picture is a real PNG of w×h pixels.
func picture(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestCheckTypesAndLimits(t *testing.T) {
	png := picture(t, 40, 30)
	tests := []struct {
		name, file, declared string
		data                 []byte
		size                 int64
		want, refusal        string
	}{
		{"png", "a.png", "image/png", png, 0, "image/png", ""},
		{"png named jpg is still a picture", "a.jpg", "image/jpeg", png, 0, "image/png", ""},
		{"pdf", "label.pdf", "application/pdf", pdf, 0, "application/pdf", ""},
		{"text", "notes.txt", "text/plain", []byte("hello there\n"), 0, "text/plain", ""},
		{"no name, no type", "", "", png, 0, "image/png", ""},
		{"declared octet-stream trusts the bytes", "scan", "application/octet-stream", pdf, 0, "application/pdf", ""},
		{"web page calling itself a jpeg", "photo.jpg", "image/jpeg", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), 0, "", "photo.jpg can't be sent by MMS: its contents are text/html"},
		{"text calling itself a picture", "photo.jpg", "image/jpeg", []byte("just some words"), 0, "", "photo.jpg says it is image/jpeg but its contents are text/plain"},
		{"pdf calling itself a picture", "photo.png", "", pdf, 0, "", "photo.png says it is image/png but its contents are application/pdf"},
		{"executable", "setup.exe", "application/octet-stream", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), 0, "", "setup.exe can't be sent by MMS: its contents are application/octet-stream"},
		{"zip", "a.zip", "application/zip", []byte("PK\x03\x04\x14\x00\x00\x00"), 0, "", "a.zip can't be sent by MMS: its contents are application/zip"},
		{"empty", "a.png", "image/png", nil, 0, "", "a.png is empty"},
		{"too big", "big.png", "image/png", png, media.MaxFileBytes + 1, "", "big.png is too large to send by MMS: files may be up to 2 MB"},
		{"well over", "big.png", "image/png", png, 3_400_000, "", "big.png is too large to send by MMS (3.4 MB): files may be up to 2 MB"},
		{"at the limit", "big.png", "image/png", png, media.MaxFileBytes, "image/png", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := tt.size
			if size == 0 {
				size = int64(len(tt.data))
			}
			got, err := media.Check(tt.file, tt.declared, tt.data, size, media.MaxFileBytes)
			if tt.refusal != "" {
				var r *media.RefusedError
				if !errors.As(err, &r) || !strings.HasPrefix(r.Reason, tt.refusal) {
					t.Fatalf("err=%v, want a refusal starting %q", err, tt.refusal)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Check=(%q, %v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{12: "12 bytes", 1500: "2 KB", 820_000: "820 KB", 1_400_000: "1.4 MB", 2_000_000: "2 MB"} {
		if got := media.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d)=%q, want %q", n, got, want)
		}
	}
}

func TestSignedURL(t *testing.T) {
	s := media.NewSigner("secret", "https://sms.example.com/")
	key := media.KeyOf([]byte("x"))
	now := time.Unix(1_800_000_000, 0)
	raw := s.URL(key, now.Add(time.Hour))
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(raw, "https://sms.example.com"+media.SignedPath+key+"?") {
		t.Fatalf("URL=%q", raw)
	}
	e, sig := u.Query().Get("expires"), u.Query().Get("signature")
	if err := s.Verify(key, e, sig, now); err != nil {
		t.Fatalf("fresh URL: %v", err)
	}
	if err := s.Verify(key, e, sig, now.Add(time.Hour)); !errors.Is(err, media.ErrExpired) {
		t.Errorf("at expiry: %v, want ErrExpired", err)
	}
	other := media.KeyOf([]byte("y"))
	flipped := []byte(sig)
	flipped[0] ^= 1
	for name, v := range map[string][3]string{
		"other key":          {other, e, sig},
		"later expiry":       {key, e + "0", sig},
		"changed signature":  {key, e, string(flipped)},
		"no signature":       {key, e, ""},
		"other secret's sig": {key, e, mustQuery(t, media.NewSigner("other", "https://sms.example.com").URL(key, now.Add(time.Hour)), "signature")},
	} {
		if err := s.Verify(v[0], v[1], v[2], now); !errors.Is(err, media.ErrBadSignature) {
			t.Errorf("%s: %v, want ErrBadSignature", name, err)
		}
	}
}

func mustQuery(t *testing.T, raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get(name)
}

func TestAttachmentToken(t *testing.T) {
	s := media.NewSigner("secret", "https://x")
	a := media.Attachment{Key: media.KeyOf([]byte("a")), Name: "label.pdf", ContentType: "application/pdf", Size: 1234}
	tok := s.Token(a)
	got, err := s.ParseToken(tok)
	if err != nil || got != a {
		t.Fatalf("ParseToken=(%+v, %v), want %+v", got, err, a)
	}
	forged := a
	forged.Size = 1
	body, sig, _ := strings.Cut(s.Token(forged), ".")
	_, origSig, _ := strings.Cut(tok, ".")
	for name, tok := range map[string]string{"forged body": body + "." + origSig, "no signature": body, "other secret": media.NewSigner("x", "").Token(a), "garbage": "!!"} {
		if _, err := s.ParseToken(tok); !errors.Is(err, media.ErrBadSignature) {
			t.Errorf("%s: %v, want ErrBadSignature", name, err)
		}
	}
	_ = sig
}

func TestThumbnail(t *testing.T) {
	thumb, err := media.Thumbnail(picture(t, 1200, 600))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(thumb))
	if err != nil {
		t.Fatalf("thumbnail is not a JPEG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != media.ThumbSize || b.Dy() != media.ThumbSize/2 {
		t.Errorf("thumbnail %dx%d, want %dx%d", b.Dx(), b.Dy(), media.ThumbSize, media.ThumbSize/2)
	}
	small, err := media.Thumbnail(picture(t, 40, 30))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, _ := jpeg.DecodeConfig(bytes.NewReader(small)); cfg.Width != 40 || cfg.Height != 30 {
		t.Errorf("small picture's thumbnail %dx%d, want it unscaled 40x30", cfg.Width, cfg.Height)
	}
	if _, err := media.Thumbnail(pdf); err == nil {
		t.Error("a PDF made a thumbnail")
	}
}

// eachStore runs body over a Disk in a temporary folder and over S3 served
// by gofakes3, an S3 implementation run in process.
func eachStore(t *testing.T, body func(t *testing.T, s media.Store)) {
	t.Run("disk", func(t *testing.T) {
		d, err := media.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		body(t, d)
	})
	t.Run("s3", func(t *testing.T) {
		body(t, newS3(t))
	})
}

func newS3(t *testing.T) *media.S3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("parley"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	bucket, prefix, err := media.ParseS3URL("s3://parley/prod/media")
	if err != nil || bucket != "parley" || prefix != "prod/media" {
		t.Fatalf("ParseS3URL=(%q, %q, %v)", bucket, prefix, err)
	}
	s, err := media.NewS3(media.S3Options{Bucket: bucket, Prefix: prefix, Endpoint: srv.URL, Region: "us-east-1", AccessKey: "key", SecretKey: "secret", PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStoreKeepsFilesByContent(t *testing.T) {
	eachStore(t, func(t *testing.T, s media.Store) {
		ctx := context.Background()
		data := picture(t, 900, 900)
		a, err := media.Keep(ctx, s, "parcel.png", "image/png", data, media.MaxFileBytes)
		if err != nil {
			t.Fatal(err)
		}
		if a.Key != media.KeyOf(data) || a.ContentType != "image/png" || a.Size != int64(len(data)) || a.Thumb == "" || a.Name != "parcel.png" {
			t.Fatalf("Keep=%+v", a)
		}
		again, err := media.Keep(ctx, s, "again.png", "", data, media.MaxFileBytes)
		if err != nil || again.Key != a.Key || again.Thumb != a.Thumb {
			t.Fatalf("second Keep=(%+v, %v), want the same keys", again, err)
		}
		r, o, err := s.Open(ctx, a.Key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, data) || o.ContentType != "image/png" || o.Size != int64(len(data)) {
			t.Fatalf("Open: %d bytes, %+v", len(got), o)
		}
		tr, to, err := s.Open(ctx, a.Thumb)
		if err != nil {
			t.Fatal(err)
		}
		thumb, _ := io.ReadAll(tr)
		tr.Close()
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb)); err != nil || cfg.Width != media.ThumbSize || to.ContentType != "image/jpeg" {
			t.Fatalf("thumbnail: %v %+v %+v", err, cfg, to)
		}
		if _, _, err := s.Open(ctx, media.KeyOf([]byte("never stored"))); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("missing key: %v, want ErrNotFound", err)
		}
		if _, _, err := s.Open(ctx, "../../etc/passwd"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("path as a key: %v, want ErrNotFound", err)
		}
		if _, err := media.Keep(ctx, s, "photo.jpg", "image/jpeg", []byte("<html><body>hi</body></html>"), media.MaxFileBytes); err == nil {
			t.Error("a web page named photo.jpg was kept")
		}
	})
}

// BenchmarkKeepPhoto is what attaching a 1600×1200 photo costs the server:
// the type check, the hash, the disk write and the thumbnail.
func BenchmarkKeepPhoto(b *testing.B) {
	d, err := media.NewDisk(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	data := picture(b, 1600, 1200)
	for b.Loop() {
		if _, err := media.Keep(context.Background(), d, "p.png", "image/png", data, media.MaxFileBytes); err != nil {
			b.Fatal(err)
		}
	}
}
