package web_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// receiveTexts stores texts from contacts as webhooks would.
func (ts *testServer) receiveTexts(t *testing.T, texts map[string]string) {
	t.Helper()
	for from, text := range texts {
		if _, err := ts.svc.Receive(context.Background(), inboxtest.Inbound("export-"+from, from, "+14155550199", text)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExportDownloads(t *testing.T) {
	ts := newTestServerWith(t, testOptions{numbers: []inbox.Number{"+14155550199", "+14155550188"}})
	ts.receiveTexts(t, map[string]string{
		"+14155550101": "=HYPERLINK(\"http://evil\")",
		"+14155550102": "Where is \"my\" order,\nplease?",
	})
	b := ts.signedIn(t)
	if p := b.get("/settings/export"); p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="export-form"`) {
		t.Fatalf("GET /settings/export=%d, want the form", p.status)
	}

	p := b.post("/settings/export", url.Values{"format": {"csv"}}, true)
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(p.header.Get("Content-Disposition"), `attachment; filename="parley-export-`) {
		t.Fatalf("CSV export=%d %q %q", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, p.body)
	}
	if len(rows) != 3 || rows[0][0] != "conversation_id" {
		t.Fatalf("CSV has %d rows (header %v), want a header and 2 messages", len(rows), rows[0])
	}
	bodies := map[string]bool{}
	for _, r := range rows[1:] {
		bodies[r[10]] = true
	}
	if !bodies["'=HYPERLINK(\"http://evil\")"] || !bodies["Where is \"my\" order,\nplease?"] {
		t.Fatalf("CSV bodies %v: want the formula defused and the quotes and line break kept", bodies)
	}

	p = b.post("/settings/export", url.Values{"format": {"ndjson"}, "number": {"+14155550199"}}, true)
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("NDJSON export=%d %q", p.status, p.header.Get("Content-Type"))
	}
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(p.body))
	for sc.Scan() {
		var rec struct {
			Conversation struct {
				OurNumber string `json:"our_number"`
			} `json:"conversation"`
			Message struct {
				Direction string `json:"direction"`
				Body      string `json:"body"`
			} `json:"message"`
			Delivery []any `json:"delivery_reports"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", lines+1, err, sc.Text())
		}
		if rec.Conversation.OurNumber != "+14155550199" || rec.Message.Direction != "inbound" || rec.Delivery == nil {
			t.Fatalf("line %d: %+v", lines+1, rec)
		}
		lines++
	}
	if lines != 2 {
		t.Fatalf("NDJSON has %d lines, want 2", lines)
	}

	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"no format", url.Values{"format": {"xml"}}, "choose CSV or NDJSON"},
		{"backwards range", url.Values{"format": {"csv"}, "from": {"2026-05-02"}, "to": {"2026-05-01"}}, "must come after its start"},
		{"bad date", url.Values{"format": {"csv"}, "from": {"May 1"}}, "is not a date"},
		{"a number not ours", url.Values{"format": {"csv"}, "number": {"+19995550000"}}, "is not one of our numbers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.post("/settings/export", tt.form, true)
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, tt.want) {
				t.Fatalf("POST=%d, want 422 with %q", p.status, tt.want)
			}
		})
	}
	if p := b.post("/settings/export", url.Values{"format": {"csv"}}, false); p.status != http.StatusForbidden {
		t.Fatalf("export without CSRF=%d, want 403", p.status)
	}
}

// Agents cannot export.
func TestExportAdminsOnly(t *testing.T) {
	ts := newTestServer(t)
	agent, _ := ts.agent(t, "ana@team.example.com", "Ana")
	if p := agent.get("/settings/export"); p.status != http.StatusForbidden {
		t.Fatalf("agent GET /settings/export=%d, want 403", p.status)
	}
	if p := agent.post("/settings/export", url.Values{"format": {"csv"}}, true); p.status != http.StatusForbidden {
		t.Fatalf("agent export=%d, want 403", p.status)
	}
}
