package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// pageBudget is the most a full inbox page may weigh on the wire.
const pageBudget = 30 << 10

// The inbox page with a full list of 50 conversations, each with a long
// preview, goes out in under 30 KB compressed; so does the first visit's
// stylesheet and scripts together (cached afterwards by ETag).
func TestInboxPageStaysLight(t *testing.T) {
	ts := newTestServer(t, token)
	words := strings.Repeat("where is my parcel, it was due on Tuesday and tracking has not moved ", 3)
	for i := range 60 {
		from := fmt.Sprintf("+1415555%04d", 1000+i)
		if _, err := ts.svc.Receive(context.Background(), inboxtest.Inbound(fmt.Sprintf("light-%d", i), from, "+14155550199", fmt.Sprint(i, " ", words))); err != nil {
			t.Fatal(err)
		}
	}
	b := ts.signedIn(t)
	for _, enc := range []string{"br", "gzip"} {
		p := b.getEncoded(http.MethodGet, "/", enc)
		if p.status != http.StatusOK || p.header.Get("Content-Encoding") != enc {
			t.Fatalf("GET / (%s)=%d, Content-Encoding %q", enc, p.status, p.header.Get("Content-Encoding"))
		}
		plain := decode(t, p)
		if rows := strings.Count(plain, `data-testid="conversation-row"`); rows != 50 {
			t.Fatalf("the page lists %d conversations, want a full page of 50", rows)
		}
		t.Logf("inbox page, 50 rows: %d bytes, %d %s", len(plain), len(p.body), enc)
		if len(p.body) > pageBudget {
			t.Errorf("inbox page (%s)=%d bytes on the wire, want at most %d", enc, len(p.body), pageBudget)
		}
		assets := 0
		for _, m := range pageAssets.FindAllStringSubmatch(plain, -1) {
			a := b.getEncoded(http.MethodGet, m[1], enc)
			assets += len(a.body)
		}
		t.Logf("its stylesheet and scripts: %d bytes %s", assets, enc)
		if enc == "br" && assets > pageBudget*2 {
			t.Errorf("stylesheet and scripts (br)=%d bytes, want at most %d", assets, pageBudget*2)
		}
	}
}
