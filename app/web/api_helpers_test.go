package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/web"
)

// apiClient calls /api/v1 with a token, and checks every answer against
// the OpenAPI document: the operation must be described, the status among
// its responses, and an error in the documented shape.
type apiClient struct {
	t     testing.TB
	ts    *testServer
	token string
}

type apiAnswer struct {
	status int
	body   string
	header http.Header
}

func (ts *testServer) api(t testing.TB, token string) *apiClient {
	return &apiClient{t: t, ts: ts, token: token}
}

// mustToken creates a token for u with scopes.
func (ts *testServer) mustToken(t testing.TB, u inbox.User, scopes ...inbox.Scope) (inbox.APIToken, string) {
	t.Helper()
	tok, secret, err := ts.svc.CreateAPIToken(context.Background(), u, inbox.NewAPIToken{Name: "test " + u.Email, Scopes: scopes})
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok, secret
}

func (a *apiClient) do(method, target, body string, header ...string) apiAnswer {
	a.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	a.ts.setHost(req)
	resp, err := a.ts.app.Test(req, -1)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	ans := apiAnswer{status: resp.StatusCode, body: string(b), header: resp.Header}
	checkAgainstDocument(a.t, method, req.URL.Path, ans)
	return ans
}

func (a *apiClient) get(target string, header ...string) apiAnswer {
	a.t.Helper()
	return a.do(http.MethodGet, target, "", header...)
}

func (a *apiClient) post(target, body string, header ...string) apiAnswer {
	a.t.Helper()
	return a.do(http.MethodPost, target, body, header...)
}

// want fails the test unless the answer has status.
func (ans apiAnswer) want(t testing.TB, status int) apiAnswer {
	t.Helper()
	if ans.status != status {
		t.Fatalf("status %d, want %d: %s", ans.status, status, ans.body)
	}
	return ans
}

// errorOf decodes an error answer.
func (ans apiAnswer) errorOf(t testing.TB) (code, message, field string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	if err := json.Unmarshal([]byte(ans.body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("status %d: %q is not {error:{code,message}}", ans.status, ans.body)
	}
	return e.Error.Code, e.Error.Message, e.Error.Field
}

func decodeAs[T any](t testing.TB, ans apiAnswer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(ans.body), &v); err != nil {
		t.Fatalf("status %d body %q: %v", ans.status, ans.body, err)
	}
	return v
}

// openAPIDoc is the parts of the document the tests read.
type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Parameters []struct {
			Ref  string `json:"$ref"`
			Name string `json:"name"`
			In   string `json:"in"`
		} `json:"parameters"`
		RequestBody *struct {
			Content map[string]struct {
				Schema struct {
					Properties map[string]any `json:"properties"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]any `json:"responses"`
	} `json:"paths"`
	Components struct {
		Parameters map[string]struct {
			Name string `json:"name"`
			In   string `json:"in"`
		} `json:"parameters"`
	} `json:"components"`
}

var loadDoc = sync.OnceValues(func() (openAPIDoc, error) {
	var d openAPIDoc
	err := json.Unmarshal(web.OpenAPI(), &d)
	return d, err
})

func mustOpenAPI(t testing.TB) openAPIDoc {
	t.Helper()
	d, err := loadDoc()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// params lists an operation's parameters of one kind ("query", "path",
// "header"), resolving references.
func (d openAPIDoc) params(path, method, in string) []string {
	var out []string
	for _, p := range d.Paths[path][method].Parameters {
		name, where := p.Name, p.In
		if p.Ref != "" {
			c := d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			name, where = c.Name, c.In
		}
		if where == in {
			out = append(out, name)
		}
	}
	return out
}

var docParam = regexp.MustCompile(`\{[^/]+\}`)

// match finds the document's path template matching a request path
// below /api/v1; a literal path beats a template.
func (d openAPIDoc) match(path string) (string, bool) {
	rel := strings.TrimPrefix(path, web.APIPrefix)
	var best string
	for tmpl := range d.Paths {
		re := regexp.MustCompile("^" + docParam.ReplaceAllString(tmpl, `[^/]+`) + "$")
		if re.MatchString(rel) && (best == "" || !strings.Contains(tmpl, "{")) {
			best = tmpl
		}
	}
	return best, best != ""
}

// checkAgainstDocument fails the test when an answer of /api/v1 is not
// one the document describes for the operation.
func checkAgainstDocument(t testing.TB, method, path string, ans apiAnswer) {
	t.Helper()
	d := mustOpenAPI(t)
	tmpl, ok := d.match(path)
	if !ok {
		if ans.status != http.StatusNotFound {
			t.Errorf("%s %s answered %d but the document has no such path", method, path, ans.status)
		}
		return
	}
	op, ok := d.Paths[tmpl][strings.ToLower(method)]
	if !ok {
		if ans.status != http.StatusNotFound && ans.status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s answered %d but the document has no %s on %s", method, path, ans.status, method, tmpl)
		}
		return
	}
	if _, ok := op.Responses[strconv.Itoa(ans.status)]; !ok {
		t.Errorf("%s %s answered %d, which the document does not declare for %s %s: %.200s", method, path, ans.status, method, tmpl, ans.body)
	}
	if ans.status >= 400 {
		var e struct {
			Error *struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(ans.body), &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Errorf("%s %s: error %d is not {error:{code,message}}: %q", method, path, ans.status, ans.body)
		}
	}
}
