package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

func TestReportsScreen(t *testing.T) {
	ts := newTestServer(t, token)
	ts.receiveTexts(t, map[string]string{"+14155550101": "where is my order", "+14155550102": "HELP"})
	admin := ts.signedIn(t)
	ana, anaUser := ts.agent(t, "ana@team.example.com", "Ana Ruiz")

	if p := ts.browser(t).get("/reports"); p.status != http.StatusSeeOther && p.status != http.StatusFound {
		t.Errorf("anonymous GET /reports=%d, want a redirect to sign in", p.status)
	}
	for name, b := range map[string]*browser{"admin": admin, "agent": ana} {
		p := b.get("/reports?range=today")
		if p.status != http.StatusOK {
			t.Fatalf("%s GET /reports=%d, want 200", name, p.status)
		}
		for _, want := range []string{
			`data-testid="metric-received"`, `data-testid="metric-value">2<`, // two texts today
			`data-testid="report-heatmap"`, `data-testid="chart-received"`, `data-testid="series-table"`,
			`data-testid="report-definitions"`, `href="/reports"`, `aria-current="page"`,
		} {
			if !strings.Contains(p.body, want) {
				t.Errorf("%s: reports page lacks %s", name, want)
			}
		}
	}
	if !strings.Contains(admin.get("/").body, `href="/reports"`) {
		t.Error("the header has no link to the reports")
	}

	// A third contact, whose conversation Ana closes: one resolution.
	r, err := ts.svc.Receive(context.Background(), inboxtest.Inbound("in-closed", "+14155550103", "+14155550199", "thanks, sorted"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.svc.SetConversationStatus(context.Background(), anaUser, r.Conversation.ID, inbox.ConversationClosed); err != nil {
		t.Fatal(err)
	}

	p := ana.get("/reports?range=today&format=csv")
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(p.header.Get("Content-Disposition"), `attachment; filename="parley-report-`) {
		t.Fatalf("CSV=%d %q %q, want a CSV attachment", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, r := range rows {
		found[r[0]+"/"+r[1]] = r[3]
	}
	for key, want := range map[string]string{"totals/texts received": "3", "totals/texts sent": "1", "totals/conversations opened": "3", "delivery/unconfirmed": "1",
		"resolution time/closes": "1", "agents/ana@team.example.com: resolved": "1",
	} {
		if found[key] != want {
			t.Errorf("CSV %s=%q, want %q", key, found[key], want)
		}
	}

	p = admin.get("/reports?range=custom&from=2026-03-09&to=2026-03-01")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `data-testid="report-error"`) {
		t.Errorf("reversed custom range=%d, want 422 with the reason on the page", p.status)
	}
	for _, q := range []string{"label=x", "agent=-1", "older=0"} {
		if p := admin.get("/reports?" + q); p.status == http.StatusOK {
			t.Errorf("GET /reports?%s=200, want it refused", q)
		}
	}
}
