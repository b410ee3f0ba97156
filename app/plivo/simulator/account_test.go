package simulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

// TestAccountFixturesAreThoseOfPlivoGo keeps the copies the simulated
// account API answers from equal to plivo-go's own fixtures, so a plivo-go
// upgrade that changes a shape shows here.
func TestAccountFixturesAreThoseOfPlivoGo(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/plivo/plivo-go/v7").Output()
	if err != nil {
		t.Fatalf("go list plivo-go: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "fixtures")
	copies, err := filepath.Glob("fixtures/*.json")
	if err != nil || len(copies) < 7 {
		t.Fatalf("fixtures = %v, %v; want the seven copies", copies, err)
	}
	for _, c := range copies {
		ours, _ := os.ReadFile(c)
		theirs, err := os.ReadFile(filepath.Join(dir, filepath.Base(c)))
		if err != nil {
			t.Fatalf("plivo-go has no %s: %v", filepath.Base(c), err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s differs from plivo-go's", c)
		}
	}
}

// TestAccountAnswersHaveEveryFixtureKey checks the simulated answers
// against the fixtures key by key, nested lists and meta included.
func TestAccountAnswersHaveEveryFixtureKey(t *testing.T) {
	api, err := simulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	app := api.AddApplication(simulator.Application{AppName: "Old", MessageURL: "https://old.example.com/sms"})
	api.AddNumber(simulator.Number{Number: "14155550100", Type: "local", Region: "California, UNITED STATES", SMS: true, AppID: app})
	base := api.URL + "/v1/Account/" + api.AuthID + "/"
	tests := []struct {
		method, path, body, fixture string
		status                      int
	}{
		{"GET", "", "", "accountGetResponse.json", 200},
		{"GET", "Number/", "", "numberListResponse.json", 200},
		{"GET", "Application/", "", "applicationListResponse.json", 200},
		{"POST", "Application/", `{"app_name":"Parley-x","message_url":"https://x.example/api/sms/webhook"}`, "applicationCreateResponse.json", 201},
		{"POST", "Application/" + app + "/", `{"message_url":"https://x.example/api/sms/webhook"}`, "applicationModifyResponse.json", 202},
		{"POST", "Number/14155550100/", `{"app_id":"` + app + `"}`, "numberUpdateResponse.json", 202},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		req.SetBasicAuth(api.AuthID, api.AuthToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d (%s)", tt.method, tt.path, resp.StatusCode, tt.status, raw)
			continue
		}
		var got, want any
		fx, _ := os.ReadFile("fixtures/" + tt.fixture)
		if json.Unmarshal(raw, &got) != nil || json.Unmarshal(fx, &want) != nil {
			t.Fatalf("%s %s: not JSON: %s", tt.method, tt.path, raw)
		}
		if missing := missingKeys("", want, got); len(missing) > 0 {
			t.Errorf("%s %s: answer lacks %v of %s", tt.method, tt.path, missing, tt.fixture)
		}
	}
}

// missingKeys lists the object keys of want (recursively, lists through
// their first element) that got lacks.
func missingKeys(at string, want, got any) []string {
	var out []string
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		for k, v := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, at+k)
				continue
			}
			out = append(out, missingKeys(at+k+".", v, gv)...)
		}
	case []any:
		g, _ := got.([]any)
		if len(w) > 0 && len(g) > 0 {
			out = append(out, missingKeys(at+"0.", w[0], g[0])...)
		}
	}
	slices.Sort(out)
	return out
}

func TestAccountRefusesWrongCredentialsAndBadNames(t *testing.T) {
	api, err := simulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	req, _ := http.NewRequest("GET", api.URL+"/v1/Account/"+api.AuthID+"/Number/", nil)
	req.SetBasicAuth(api.AuthID, "wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", api.URL+"/v1/Account/"+api.AuthID+"/Application/", strings.NewReader(`{"app_name":"Parley (https://x)"}`))
	req.SetBasicAuth(api.AuthID, api.AuthToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || len(api.Applications()) != 0 {
		t.Errorf("bad app_name: status %d, %d apps; want 400 and none", resp.StatusCode, len(api.Applications()))
	}
}
