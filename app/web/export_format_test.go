package web

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// Every text column of the CSV goes through the formula guard, not only
// the body and labels: a sender ID, a carrier's error code, a media URL
// or a user's address can start with a formula too. Numbers in E.164 stay
// as they are: + and digits cannot run anything, and they stay readable
// and exact for whatever reads the file.
func TestCSVExportGuardsEveryTextColumn(t *testing.T) {
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	rec := inbox.ExportRecord{
		Conversation: inbox.Conversation{ID: 1, ContactNumber: "=CMD|' /C calc'!A0", ChannelNumber: "+14155550199", LabelIDs: []int64{1}},
		Message: inbox.Message{
			ID: 2, CreatedAt: at, Direction: "@dir", Status: "-status", From: "+SUM(1,2)", To: "+14155550199",
			Body: "=HYPERLINK(\"http://evil\")", Segments: 1, Encoding: "\tGSM", Media: []inbox.Media{{URL: "=IMPORTXML(1)"}},
			SentBy: 7, Via: "\rapi", ErrorCode: "+30",
		},
		Events: []inbox.MessageEvent{{Status: "=x", ErrorCode: "30", OccurredAt: at}},
	}
	var buf bytes.Buffer
	e, err := newCSVExport(&buf, exportNames{labels: map[int64]string{1: "-VIP"}, users: map[int64]string{7: "=agent@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"contact_number": "'=CMD|' /C calc'!A0", "our_number": "+14155550199", "labels": "'-VIP",
		"direction": "'@dir", "status": "'-status", "from": "'+SUM(1,2)", "to": "+14155550199",
		"body": "'=HYPERLINK(\"http://evil\")", "encoding": "'\tGSM", "media": "'=IMPORTXML(1)",
		"sent_by": "'=agent@example.com", "via": "'\rapi", "error_code": "'+30",
		"delivery_reports": "'=x 2026-05-01T12:00:00Z (error 30)", "attachments": "'=IMPORTXML(1)",
	}
	for i, col := range rows[0] {
		w, ok := want[col]
		if !ok {
			continue
		}
		if got := rows[1][i]; got != w {
			t.Errorf("%s=%q, want %q", col, got, w)
		}
	}
}

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hello", "hello"},
		{"=1+1", "'=1+1"},
		{"+1 call me", "'+1 call me"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"+14155550100", "'+14155550100"},
	}
	for _, tt := range tests {
		if got := cell(tt.in); got != tt.want {
			t.Errorf("cell(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
	for _, n := range []inbox.Number{"+14155550100", "+442071838750"} {
		if got := numberCell(n); got != string(n) {
			t.Errorf("numberCell(%q)=%q, want it as it is", n, got)
		}
	}
	for _, n := range []inbox.Number{"+1415555010O", "+SUM(1)", "=1", "-1", "+", "+1234567890123456"} {
		if got := numberCell(n); got != "'"+string(n) {
			t.Errorf("numberCell(%q)=%q, want it guarded", n, got)
		}
	}
}
