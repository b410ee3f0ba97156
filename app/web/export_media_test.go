package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// TestExportIncludesMedia: each file of a message is in both exports with
// where to get it (Parley's copy when kept), its name, type and size, and
// the original URL of a kept inbound file.
func TestExportIncludesMedia(t *testing.T) {
	key := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	rec := inbox.ExportRecord{
		Conversation: inbox.Conversation{ID: 1, ContactNumber: "+14155550101", ChannelNumber: "+14155550199"},
		Message: inbox.Message{
			ID: 2, CreatedAt: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), Direction: inbox.DirectionInbound, Status: inbox.StatusReceived,
			Media: []inbox.Media{
				{URL: "https://media.plivo.com/a", ContentType: "image/png", MediaFile: inbox.MediaFile{Key: key, Name: "a", Size: 4821}},
				{URL: "https://media.plivo.com/b", MediaFile: inbox.MediaFile{CopyError: "the carrier answered 404 Not Found", CopyFailed: true}},
			},
		},
	}
	names := exportNames{publicURL: "https://sms.example.com"}
	kept := "https://sms.example.com/media/" + key

	var buf bytes.Buffer
	e, err := newCSVExport(&buf, names)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(rec); err != nil {
		t.Fatal(err)
	}
	e.Close(nil)
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, col := range rows[0] {
		got[col] = rows[1][i]
	}
	if want := kept + " https://media.plivo.com/b"; got["media"] != want {
		t.Errorf("media=%q, want %q", got["media"], want)
	}
	if want := "a (image/png, 4821 bytes, original https://media.plivo.com/a); https://media.plivo.com/b (not kept: the carrier answered 404 Not Found)"; got["attachments"] != want {
		t.Errorf("attachments=%q, want %q", got["attachments"], want)
	}

	buf.Reset()
	nd := newNDJSONExport(&buf, names)
	if err := nd.Write(rec); err != nil {
		t.Fatal(err)
	}
	var line struct {
		Message struct {
			Media       []string           `json:"media"`
			Attachments []exportAttachment `json:"attachments"`
		} `json:"message"`
	}
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	a := line.Message.Attachments
	if len(a) != 2 || a[0] != (exportAttachment{URL: kept, OriginalURL: "https://media.plivo.com/a", Name: "a", ContentType: "image/png", Size: 4821, Kept: true}) ||
		a[1].Kept || a[1].URL != "https://media.plivo.com/b" || a[1].CopyError == "" || len(line.Message.Media) != 2 || line.Message.Media[0] != kept {
		t.Errorf("NDJSON message=%+v", line.Message)
	}
}
