package inbox

import (
	"encoding/json"
	"testing"
)

// The API and webhooks show what Parley knows of each file: a composer
// upload has no source URL but is kept; an inbound file keeps its carrier
// URL and says whether, and why not, Parley holds a copy.
func TestMessageJSONDescribesMedia(t *testing.T) {
	m := Message{Media: []Media{
		{ContentType: "image/png", MediaFile: MediaFile{Key: "ab12", Name: "label.png", Size: 2048}},
		{URL: "https://media.plivo.com/x.jpg", ContentType: "image/jpeg", MediaFile: MediaFile{CopyError: "carrier answered 404", CopyFailed: true}},
		{URL: "https://media.plivo.com/y.jpg", ContentType: "image/jpeg"},
	}}
	got, err := json.Marshal(NewMessageJSON(m).Media)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"content_type":"image/png","name":"label.png","size":2048,"kept":true},` +
		`{"url":"https://media.plivo.com/x.jpg","content_type":"image/jpeg","kept":false,"keep_error":"carrier answered 404","keep_failed":true},` +
		`{"url":"https://media.plivo.com/y.jpg","content_type":"image/jpeg","kept":false}]`
	if string(got) != want {
		t.Fatalf("media as the API shows them:\n got %s\nwant %s", got, want)
	}
}
