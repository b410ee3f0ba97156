package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hoursForm is the business hours form as the page posts it: open
// Monday to Friday 09:00–17:00 in Berlin, both messages on.
func hoursForm() url.Values {
	f := url.Values{
		"time_zone": {"Europe/Berlin"}, "holidays": {"2026-12-25 Christmas"},
		"welcome_enabled": {"true"}, "welcome": {"Welcome to Parley."},
		"after_hours_enabled": {"true"}, "after_hours": {"We're closed."},
	}
	for d := 0; d < 7; d++ {
		key := string(rune('0' + d))
		f.Set("from_"+key, "09:00")
		f.Set("to_"+key, "17:00")
		if d >= 1 && d <= 5 {
			f.Set("open_"+key, "true")
		}
	}
	return f
}

func TestBusinessHoursScreen(t *testing.T) {
	ts := newTestServer(t)
	b := ts.signedIn(t)
	if p := b.get("/settings/hours"); p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="hours-form"`) {
		t.Fatalf("GET /settings/hours=%d, want the form", p.status)
	}

	tests := []struct {
		name       string
		edit       func(url.Values)
		wantStatus int
		wantText   string
	}{
		{"saved", func(url.Values) {}, http.StatusSeeOther, ""},
		{"unknown zone", func(f url.Values) { f.Set("time_zone", "Mars/Base") }, http.StatusUnprocessableEntity, "not a time zone"},
		{"closing before opening", func(f url.Values) { f.Set("to_1", "08:00") }, http.StatusUnprocessableEntity, "Monday: the opening time must come before the closing time"},
		{"a time that does not parse", func(f url.Values) { f.Set("from_2", "nine") }, http.StatusUnprocessableEntity, "Tuesday: give opening and closing times"},
		{"a bad holiday", func(f url.Values) { f.Set("holidays", "Christmas") }, http.StatusUnprocessableEntity, "line 1"},
		{"welcome on, but empty", func(f url.Values) { f.Set("welcome", " ") }, http.StatusUnprocessableEntity, "write a message first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := hoursForm()
			tt.edit(f)
			req := b.post("/settings/hours", f, true)
			if req.status != tt.wantStatus || !strings.Contains(req.body, tt.wantText) {
				t.Fatalf("POST=%d %q…, want %d with %q", req.status, truncate(req.body), tt.wantStatus, tt.wantText)
			}
		})
	}
	// A plain form save lands on the page again (post/redirect/get), which
	// says so.
	if p := b.get("/settings/hours?saved=1"); !strings.Contains(p.body, "Saved.") {
		t.Fatalf("after a save the page does not say so")
	}
	// What was refused changed nothing: the page shows the saved zone.
	if p := b.get("/settings/hours"); !strings.Contains(p.body, `value="Europe/Berlin"`) {
		t.Fatalf("after refused saves the page lost the saved zone")
	}

	// The preview follows the form, saved or not.
	f := hoursForm()
	f.Set("preview_at", "2026-11-30T18:30") // a Monday evening in Berlin
	f.Set("preview_first", "true")
	p := b.post("/settings/hours/preview", f, true)
	if p.status != http.StatusOK || !strings.Contains(p.body, "Closed") || !strings.Contains(p.body, "Welcome to Parley.\n\nWe&#39;re closed.") ||
		!strings.Contains(p.body, "opens Tue 09:00") {
		t.Fatalf("preview at Monday 18:30=%d %q", p.status, truncate(p.body))
	}
	f.Set("preview_at", "2026-11-30T10:00")
	f.Del("preview_first")
	if p := b.post("/settings/hours/preview", f, true); !strings.Contains(p.body, "Open") || !strings.Contains(p.body, "until 17:00") ||
		!strings.Contains(p.body, "No automatic message") {
		t.Fatalf("preview at Monday 10:00: %q", truncate(p.body))
	}
	f.Set("time_zone", "Nowhere/Else")
	if p := b.post("/settings/hours/preview", f, true); p.status != http.StatusOK || !strings.Contains(p.body, "not a time zone") {
		t.Fatalf("preview with a bad zone=%d %q, want the reason shown", p.status, truncate(p.body))
	}
	// Without the CSRF token nothing is saved.
	if p := b.post("/settings/hours", hoursForm(), false); p.status != http.StatusForbidden {
		t.Fatalf("POST without CSRF=%d, want 403", p.status)
	}
}

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300]
	}
	return s
}
