package simulator_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
)

const publicCallback = "https://parley.example.com/api/sms/delivery?ref=42"

// received is what the callback server got, checked against the public URL.
type received struct {
	mu      sync.Mutex
	reports []url.Values
	errs    []error
}

func (rc *received) handler(token string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fields := r.URL.Query()
		cb := plivo.Callback{URL: "https://parley.example.com" + r.URL.RequestURI(), Method: r.Method, Header: r.Header.Get}
		if r.Method == http.MethodPost {
			fields = r.PostForm
			cb.Params = map[string]string{}
			for k := range r.PostForm {
				cb.Params[k] = r.PostForm.Get(k)
			}
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := plivo.Verify([]string{token}, cb); err != nil {
			rc.errs = append(rc.errs, err)
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		rc.reports = append(rc.reports, fields)
	}
}

// startAPI starts a simulated API that the test closes at its end.
func startAPI(t *testing.T) *simulator.API {
	t.Helper()
	api, err := simulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(api.Close)
	return api
}

func send(t *testing.T, api *simulator.API, method string) {
	t.Helper()
	body := `{"src":"14155550199","dst":"14155550100","text":"hi","type":"sms","url":"` + publicCallback + `","method":"` + method + `"}`
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

func TestAPIPostsSignedDeliveryReports(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			rc := &received{}
			callbacks := httptest.NewServer(rc.handler(simulator.AuthToken))
			t.Cleanup(callbacks.Close)
			api := startAPI(t)
			api.DeliverTo(callbacks.URL, simulator.AuthToken)
			api.SetOutcome("undelivered", "30")
			send(t, api, method)
			if failures := api.WaitReports(); len(failures) != 0 {
				t.Fatalf("report failures=%v", failures)
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.errs) != 0 || len(rc.reports) != 2 {
				t.Fatalf("reports=%d signature errors=%v, want 2 verified reports", len(rc.reports), rc.errs)
			}
			uuid := api.Sends()[0].UUID
			want := []struct{ status, seq, code string }{{"sent", "1", ""}, {"undelivered", "2", "30"}}
			for i, w := range want {
				got := rc.reports[i]
				if got.Get("Status") != w.status || got.Get("Sequence") != w.seq || got.Get("ErrorCode") != w.code ||
					got.Get("MessageUUID") != uuid || got.Get("ref") != "42" && method == http.MethodGet {
					t.Fatalf("report %d=%v, want %s seq %s code %q for %s", i, got, w.status, w.seq, w.code, uuid)
				}
			}
		})
	}
}

func TestAPIScriptThenMode(t *testing.T) {
	api := startAPI(t)
	api.Script(simulator.ServerError, simulator.BadRequest)
	api.SetMode(simulator.RateLimited)
	want := []int{500, 400, 429, 429}
	for i, w := range want {
		req, _ := http.NewRequest(http.MethodPost, api.URL+"/v1/Account/"+api.AuthID+"/Message/", strings.NewReader(`{"dst":"1","text":"t"}`))
		req.SetBasicAuth(api.AuthID, api.AuthToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != w {
			t.Fatalf("send %d status=%d, want %d", i, resp.StatusCode, w)
		}
	}
	if n := api.Count("+1", "t"); n != 4 {
		t.Fatalf("count=%d, want 4", n)
	}
}

func TestAPIUndeliveredShare(t *testing.T) {
	rc := &received{}
	callbacks := httptest.NewServer(rc.handler(simulator.AuthToken))
	t.Cleanup(callbacks.Close)
	api := startAPI(t)
	api.DeliverTo(callbacks.URL, simulator.AuthToken)
	api.SetUndeliveredShare(0.25, "80")
	for range 8 {
		send(t, api, http.MethodPost)
	}
	if failures := api.WaitReports(); len(failures) != 0 {
		t.Fatalf("report failures=%v", failures)
	}
	final := map[string]url.Values{}
	rc.mu.Lock()
	for _, r := range rc.reports {
		if r.Get("Sequence") == "2" {
			final[r.Get("MessageUUID")] = r
		}
	}
	rc.mu.Unlock()
	for i, s := range api.Sends() {
		got := final[s.UUID]
		wantStatus, wantCode := "delivered", ""
		if i == 3 || i == 7 {
			wantStatus, wantCode = "undelivered", "80"
		}
		if got.Get("Status") != wantStatus || got.Get("ErrorCode") != wantCode {
			t.Errorf("send %d final report=%s code %q, want %s code %q", i+1, got.Get("Status"), got.Get("ErrorCode"), wantStatus, wantCode)
		}
	}

	api.SetUndeliveredShare(0, "80")
	send(t, api, http.MethodPost)
	api.WaitReports()
	last := api.Sends()[8].UUID
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, r := range rc.reports {
		if r.Get("MessageUUID") == last && r.Get("Status") == "undelivered" {
			t.Fatal("a share of 0 still made a send undelivered")
		}
	}
}

func TestSendXMLReportsToTheCallback(t *testing.T) {
	var mu sync.Mutex
	var got []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		got = append(got, r.PostForm)
		mu.Unlock()
	}))
	defer srv.Close()
	api := startAPI(t)
	api.DeliverTo(srv.URL, "tok")
	api.SendXML("14155550199", "14155550100", "Hello!", "https://sms.example.com/api/sms/delivery?ref=7")
	if errs := api.WaitReports(); len(errs) != 0 {
		t.Fatal(errs)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Get("Status") != "sent" || got[1].Get("Status") != "delivered" || got[1].Get("MessageUUID") == "" {
		t.Fatalf("reports=%v, want sent then delivered with a MessageUUID", got)
	}
	if n := api.Count("14155550100", "Hello!"); n != 1 {
		t.Fatalf("recorded sends=%d, want 1", n)
	}
}
