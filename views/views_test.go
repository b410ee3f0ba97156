package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

const testToken = "csrf-token-123"

// testNow is the fixed "now" every test renders with.
var testNow = time.Date(2026, 3, 12, 15, 30, 0, 0, time.UTC)

var testUser = inbox.User{ID: 1, Email: "maya@acme.test", Name: "Maya Chen", Role: inbox.RoleAdmin}

// testCtx is a request context as the web layer builds it.
func testCtx() context.Context {
	ctx := views.WithCSRF(context.Background(), testToken)
	ctx = views.WithUser(ctx, testUser)
	return views.WithNow(ctx, testNow)
}

// MustRender renders c and parses the HTML.
func MustRender(tb testing.TB, ctx context.Context, c templ.Component) *goquery.Document {
	tb.Helper()
	var b bytes.Buffer
	if err := c.Render(ctx, &b); err != nil {
		tb.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&b)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return doc
}

// MustFind returns the one element matching sel.
func MustFind(tb testing.TB, s interface {
	Find(string) *goquery.Selection
}, sel string) *goquery.Selection {
	tb.Helper()
	found := s.Find(sel)
	if found.Length() != 1 {
		tb.Fatalf("%s: found %d elements, want 1", sel, found.Length())
	}
	return found
}

func byTestID(id string) string { return `[data-testid="` + id + `"]` }

// text is the selection's text with runs of white space made one space.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func attr(s *goquery.Selection, name string) string {
	v, _ := s.Attr(name)
	return v
}

func hasAttr(s *goquery.Selection, name string) bool {
	_, ok := s.Attr(name)
	return ok
}

func conversation(id int64, number string) inbox.Conversation {
	return inbox.Conversation{
		ID: id, ContactNumber: inbox.Number(number), ChannelNumber: "+14155550199",
		Status: inbox.ConversationOpen, LastMessageAt: testNow.Add(-5 * time.Minute),
		LastMessagePreview: "Is the blue one back in stock?",
	}
}

func message(id int64, dir inbox.Direction, status inbox.Status, body string) views.MessageItem {
	return views.MessageItem{Message: inbox.Message{
		ID: id, ConversationID: 7, Direction: dir, Status: status, Body: body,
		CreatedAt: testNow.Add(-time.Duration(10-id) * time.Minute),
	}}
}

// assertStrictCSP checks what the Content-Security-Policy forbids: inline
// scripts, event handler attributes and style attributes.
func assertStrictCSP(t *testing.T, doc *goquery.Document) {
	t.Helper()
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if !hasAttr(s, "src") || strings.TrimSpace(s.Text()) != "" {
			t.Errorf("inline script: %s", s.Text())
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") || strings.HasPrefix(a.Key, "hx-on") {
				t.Errorf("<%s> has attribute %s=%q", s.Nodes[0].Data, a.Key, a.Val)
			}
		}
	})
	if n := doc.Find("style").Length(); n != 0 {
		t.Errorf("found %d <style> elements, want 0", n)
	}
}
