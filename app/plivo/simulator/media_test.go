package simulator_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

func sendMMS(t *testing.T, api *simulator.API, mediaURL string) {
	t.Helper()
	body := `{"src":"14155550199","dst":"14155550100","text":"","type":"mms","media_urls":["` + mediaURL + `"],"url":"` + publicCallback + `","method":"POST"}`
	req, err := http.NewRequest(http.MethodPost, api.URL+"/v1/Account/"+api.AuthID+"/Message/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(api.AuthID, api.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("send status=%d, want 202", resp.StatusCode)
	}
}

// TestAPIFetchesMMSMedia: like Plivo, the simulator fetches an MMS's media
// before the message goes out; a file it cannot fetch fails the message.
func TestAPIFetchesMMSMedia(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/label.pdf" {
			http.Error(w, "gone", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4 label"))
	}))
	t.Cleanup(files.Close)
	for _, tt := range []struct{ path, final string }{{"/label.pdf", "delivered"}, {"/expired", "failed"}} {
		t.Run(tt.path, func(t *testing.T) {
			rc := &received{}
			callbacks := httptest.NewServer(rc.handler(simulator.AuthToken))
			t.Cleanup(callbacks.Close)
			api := startAPI(t)
			api.DeliverTo(callbacks.URL, simulator.AuthToken)
			sendMMS(t, api, files.URL+tt.path)
			if failures := api.WaitReports(); len(failures) != 0 {
				t.Fatalf("report failures=%v", failures)
			}
			got := api.FetchedMedia()
			if len(got) != 1 || got[0].URL != files.URL+tt.path || got[0].MessageUUID != api.Sends()[0].UUID {
				t.Fatalf("fetched=%+v, want the one media URL of the send", got)
			}
			if tt.final == "delivered" && (got[0].Status != 200 || string(got[0].Body) != "%PDF-1.4 label" || got[0].ContentType != "application/pdf" || got[0].ContentLength != 14) {
				t.Errorf("fetched=%+v, want the file with its type and length", got[0])
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.reports) != 2 || rc.reports[1].Get("Status") != tt.final {
				t.Fatalf("reports=%v, want sent then %s", rc.reports, tt.final)
			}
		})
	}
}
