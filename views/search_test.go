package views_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// A search's excerpt marks the matched words and shows a text's own
// markup as text: nothing a customer writes becomes HTML.
func TestSearchExcerptEscapesAndMarks(t *testing.T) {
	for _, tt := range []struct {
		name  string
		text  string
		marks []inbox.Span
		want  []string // the marked words, in order
	}{
		{"plain", "my refund please", []inbox.Span{{Start: 3, End: 9}}, []string{"refund"}},
		{"markup stays text", `<b>refund</b> <script>alert(1)</script>`, []inbox.Span{{Start: 3, End: 9}}, []string{"refund"}},
		{"a mark inside markup", `<mark onclick="x">refund</mark>`, []inbox.Span{{Start: 18, End: 24}}, []string{"refund"}},
		{"marks out of bounds are dropped", "refund", []inbox.Span{{Start: 0, End: 6}, {Start: 4, End: 99}, {Start: 3, End: 2}}, []string{"refund"}},
		{"no marks", "hello", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := conversation(7, "+14155550123")
			doc := MustRender(t, testCtx(), views.ConversationRow(views.ConversationItem{
				Conversation: c, Search: "refund",
				Excerpt: &inbox.SearchExcerpt{Source: inbox.ExcerptMessage, Text: tt.text, Marks: tt.marks},
			}, false))
			ex := MustFind(t, doc, `[data-testid="search-excerpt"]`)
			if got := ex.Text(); got != tt.text {
				t.Errorf("excerpt text=%q, want %q", got, tt.text)
			}
			if n := ex.Find("b, script").Length(); n != 0 {
				t.Errorf("excerpt holds %d elements from the text, want 0", n)
			}
			var got []string
			ex.Find(`mark[data-testid="search-mark"]`).Each(func(_ int, m *goquery.Selection) { got = append(got, m.Text()) })
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("marked %q, want %q", got, tt.want)
			}
			if n := ex.Find("mark").Length(); n != len(tt.want) {
				t.Errorf("%d mark elements, want %d", n, len(tt.want))
			}
		})
	}
}
