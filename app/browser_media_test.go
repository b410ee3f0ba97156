package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/media"
)

// startParleyMain is startParley that also hands back the running Main,
// for a test that looks at its simulated carrier.
func startParleyMain(t *testing.T, env map[string]string) (string, *Main) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env["PORT"], env["PUBLIC_URL"] = fmt.Sprint(port), base
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMain(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ln) }()
	t.Cleanup(func() {
		if err := m.Shutdown(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return base, m
}

// photo is a real PNG: a parcel-brown box on white.
func photo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				c = color.RGBA{176, 125, 70, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// dropFiles drops files (name, type, base64 bytes) on the composer's text
// box as a person dragging them from their desktop would: dragenter,
// dragover and drop events carrying a DataTransfer.
func dropFiles(files ...[3]string) chromedp.Action {
	var js strings.Builder
	js.WriteString(`(() => { const dt = new DataTransfer();`)
	for _, f := range files {
		fmt.Fprintf(&js, `dt.items.add(new File([Uint8Array.from(atob(%s), c => c.charCodeAt(0))], %s, {type: %s}));`, jsString(f[2]), jsString(f[0]), jsString(f[1]))
	}
	js.WriteString(`const box = document.querySelector('#composer-text');
		for (const type of ['dragenter', 'dragover', 'drop']) {
			box.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
		}
		return true })()`)
	return chromedp.Evaluate(js.String(), nil)
}

// TestBrowserAttachByDropAndSend: an agent drops a photo and a file that
// lies about its type onto the composer; the photo shows as a preview,
// the other file is refused with its reason and the typed draft stays; the
// reply goes out as an MMS whose picture the simulated carrier fetches
// through the signed URL, byte for byte, and it is delivered.
func TestBrowserAttachByDropAndSend(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base, m := startParleyMain(t, env)
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	// The refused file's upload answers 422 on purpose; the browser logs
	// every 4xx.
	allowConsole(ctx, "status of 422 (Unprocessable Entity) "+base+"/media")
	simulateText(t, env, "--text", "The parcel arrived crushed", "--from", "+14155550100")
	pic := photo(t, 640, 480)
	b64 := base64.StdEncoding.EncodeToString(pic)
	liar := base64.StdEncoding.EncodeToString([]byte("<!DOCTYPE html><html><body>not a photo</body></html>"))

	err := chromedp.Run(ctx, step("open the thread",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		waitCount(`[data-testid="conversation-row"]`, 1),
		chromedp.Click(`[data-testid="conversation-row"] a`),
		chromedp.WaitVisible(`#composer-text`),
		fillComposer("Sorry about that! Here is the return label."),
	), step("drop a photo and a file that lies",
		dropFiles([3]string{"crushed-box.png", "image/png", b64}, [3]string{"receipt.jpg", "image/jpeg", liar}),
		waitCount(`[data-testid="attachment-preview"]`, 1),
		waitCount(`[data-testid="attachment-refused"]`, 1),
		waitText(`[data-testid="composer-attachment-errors"]`, "receipt.jpg can't be sent by MMS: its contents are text/html"),
		poll(`document.querySelector('[data-testid="attachment-thumb"]').naturalWidth > 0`),
		composerHolds("Sorry about that! Here is the return label."),
		screenshot("composer-attachments-laptop"),
	), step("send",
		chromedp.Click(`[data-testid="composer-send"]`),
		waitText(`[data-testid="messages"]`, "Here is the return label."),
		waitCount(`[data-testid="attachment-preview"]`, 0),
		poll(`(() => {
			const mine = [...document.querySelectorAll('[data-testid="message"][data-direction="outbound"]')]
			return mine.length === 1 && mine[0].querySelector('[data-testid="media-image"] img').naturalWidth > 0 && mine[0].dataset.status === 'delivered'
		})()`),
	))
	if err != nil {
		t.Fatal(err)
	}
	sends := m.Carrier.Sends()
	if len(sends) == 0 || sends[len(sends)-1].Type != "mms" || len(sends[len(sends)-1].MediaURLs) != 1 {
		t.Fatalf("carrier got %+v, want an MMS with one media URL", sends)
	}
	mediaURL := sends[len(sends)-1].MediaURLs[0]
	if !strings.HasPrefix(mediaURL, base+media.SignedPath+media.KeyOf(pic)+"?expires=") {
		t.Fatalf("media URL=%q, want the signed URL of the photo under PUBLIC_URL", mediaURL)
	}
	fetched := m.Carrier.FetchedMedia()
	if len(fetched) != 1 || fetched[0].Status != http.StatusOK || !bytes.Equal(fetched[0].Body, pic) || fetched[0].ContentType != "image/png" {
		t.Fatalf("carrier fetched %d files (status %d, %q), want the photo's bytes", len(fetched), fetched[0].Status, fetched[0].ContentType)
	}
	// The same URL with its signature changed gives nothing away.
	resp, err := http.Get(strings.Replace(mediaURL, "signature=", "signature=0", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("tampered signature=%d, want 403", resp.StatusCode)
	}

	// The paperclip picks files too, and a phone shows the tray.
	path := filepath.Join(t.TempDir(), "map.png")
	if err := os.WriteFile(path, photo(t, 300, 300), 0o600); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("paperclip on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Reload(),
		chromedp.WaitVisible(`#composer-text`),
		chromedp.SetUploadFiles(`[data-testid="composer-file-input"]`, []string{path}, chromedp.ByQuery),
		waitCount(`[data-testid="attachment-preview"]`, 1),
		waitText(`[data-testid="attachment-preview"]`, "map.png"),
		dropFiles([3]string{"label.pdf", "application/pdf", base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n% return label\n"))}),
		waitCount(`[data-testid="attachment-preview"]`, 2),
		waitText(`[data-testid="composer-attachments"]`, "PDF"),
		fillComposer("Map and label attached"),
		screenshot("composer-attachments-phone"),
		// Remove takes one off and keeps the draft.
		chromedp.Click(`[data-testid="attachment-preview"][data-name="label.pdf"] [data-testid="attachment-remove"]`),
		waitCount(`[data-testid="attachment-preview"]`, 1),
		composerHolds("Map and label attached"),
	))
	if err != nil {
		t.Fatal(err)
	}
	problems.check(t)
}

// TestBrowserInboundMediaKept: a customer's photo arrives by MMS; Parley
// copies it from the carrier in the background, and the thread still
// shows it after the carrier's URL stops answering. A conversation with a
// UK number says why nothing can be attached.
func TestBrowserInboundMediaKept(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base, m := startParleyMain(t, env)
	ctx := newBrowser(t)
	pic := photo(t, 800, 600)
	carrier := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream") // not trusted
		w.Write(pic)
	}))
	simulateText(t, env, "--text", "This is how it arrived", "--from", "+14155550100", "--media", carrier.URL+"/Media/MA123/parcel")
	// Wait for the copy, then the carrier forgets the file.
	deadline := time.Now().Add(20 * time.Second)
	var kept inbox.Media
	for time.Now().Before(deadline) && !kept.Kept() {
		time.Sleep(200 * time.Millisecond)
		pg, err := m.Store.ListMessages(context.Background(), 1, 0, 10)
		if err == nil && len(pg.Messages) > 0 && len(pg.Messages[0].Media) == 1 {
			kept = pg.Messages[0].Media[0]
		}
	}
	if !kept.Kept() || kept.Key != media.KeyOf(pic) || kept.ContentType != "image/png" {
		t.Fatalf("inbound media=%+v, want the photo kept as image/png", kept)
	}
	carrier.Close()
	simulateText(t, env, "--text", "hello from London", "--from", "+447911123456")

	var src string
	err := chromedp.Run(ctx, step("thread shows the kept photo",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		waitCount(`[data-testid="conversation-row"]`, 2),
		chromedp.Navigate(base+"/conversations/1"),
		chromedp.WaitVisible(`[data-testid="media-image"] img`),
		poll(`document.querySelector('[data-testid="media-image"] img').complete && document.querySelector('[data-testid="media-image"] img').naturalWidth > 0`),
		chromedp.AttributeValue(`[data-testid="media-image"] img`, "src", &src, nil),
	), step("a UK number says why nothing can be attached",
		chromedp.Navigate(base+"/conversations/2"),
		chromedp.WaitVisible(`[data-testid="composer-attach-disabled"]`),
		chromedp.Click(`[data-testid="composer-attach-disabled"]`),
		waitText(`[data-testid="composer-attachment-errors"]`, "Plivo carries MMS only between US and Canadian numbers"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if src != "/media/"+kept.Thumb {
		t.Errorf("thread img src=%q, want Parley's thumbnail /media/%s", src, kept.Thumb)
	}
}
