package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/web"
)

var fiberParam = regexp.MustCompile(`:([a-z]+)`)

// docPath is a Fiber pattern as the document writes it.
func docPath(fiberPath string) string {
	return fiberParam.ReplaceAllString(strings.TrimPrefix(fiberPath, web.APIPrefix), "{$1}")
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestOpenAPIMatchesTheRoutes is the API's contract: every operation the
// router serves under /api/v1 is in the OpenAPI document and every
// operation in the document is served; each one's path, query and body
// parameters are those the route table makes the handler read (the guard
// refuses any other query parameter, and the handler decodes its body
// into the type the table names, refusing unknown fields); the headers
// the guard honours and the errors it can answer with are declared. The
// statuses each operation really answers are checked against the
// document on every call the API tests make (checkAgainstDocument).
func TestOpenAPIMatchesTheRoutes(t *testing.T) {
	ts := newAPIServer(t)
	doc := mustOpenAPI(t)

	served := map[string]bool{}
	for _, r := range ts.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, web.APIPrefix+"/") || r.Method == http.MethodHead {
			continue
		}
		served[r.Method+" "+docPath(r.Path)] = true
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for op := range served {
		if !documented[op] {
			t.Errorf("%s is served but not in the OpenAPI document", op)
		}
	}
	for op := range documented {
		if !served[op] {
			t.Errorf("%s is in the OpenAPI document but not served", op)
		}
	}
	if len(served) < 17 {
		t.Fatalf("only %d operations found under %s; the walk is not seeing them", len(served), web.APIPrefix)
	}

	for _, r := range web.APIRoutes() {
		path, method := docPath(r.Path), strings.ToLower(r.Method)
		name := r.Method + " " + path
		op, ok := doc.Paths[path][method]
		if !ok {
			continue // reported above
		}
		if got, want := sorted(doc.params(path, method, "query")), sorted(r.Query); !slices.Equal(got, want) {
			t.Errorf("%s: the document's query parameters %v, the handler's %v", name, got, want)
		}
		var pathParams []string
		for _, m := range fiberParam.FindAllStringSubmatch(r.Path, -1) {
			pathParams = append(pathParams, m[1])
		}
		if got, want := sorted(doc.params(path, method, "path")), sorted(pathParams); !slices.Equal(got, want) {
			t.Errorf("%s: the document's path parameters %v, the route's %v", name, got, want)
		}
		headers := doc.params(path, method, "header")
		if r.Method == "POST" && !slices.Contains(headers, "Idempotency-Key") {
			t.Errorf("%s: Idempotency-Key is not declared", name)
		}
		if r.Method == "GET" && !slices.Contains(headers, "If-None-Match") {
			t.Errorf("%s: If-None-Match is not declared", name)
		}
		switch {
		case r.BodyFields == nil && op.RequestBody != nil:
			t.Errorf("%s: the document describes a body the handler does not read", name)
		case r.BodyFields != nil && op.RequestBody == nil:
			t.Errorf("%s: the handler reads a body %v the document does not describe", name, r.BodyFields)
		case r.BodyFields != nil:
			var props []string
			for p := range op.RequestBody.Content["application/json"].Schema.Properties {
				props = append(props, p)
			}
			if got, want := sorted(props), sorted(r.BodyFields); !slices.Equal(got, want) {
				t.Errorf("%s: the document's body fields %v, the handler's %v", name, got, want)
			}
		}
		// The guard answers these for any operation: a bad query or
		// body, no or a dead token, a missing scope, too many requests,
		// the database down.
		want := []string{"400", "401", "403", "429", "503"}
		if r.Method == "POST" {
			want = append(want, "409", "422") // Idempotency-Key in use, or reused
		}
		if r.Method == "GET" {
			want = append(want, "200", "304")
		}
		if strings.Contains(r.Path, ":") {
			want = append(want, "404")
		}
		for _, code := range want {
			if _, ok := op.Responses[code]; !ok {
				t.Errorf("%s: response %s is not declared", name, code)
			}
		}
	}
}

// TestOpenAPIIsServed: the document is served, to anyone, as the JSON the
// binary embeds, and it says what it must about itself.
func TestOpenAPIIsServed(t *testing.T) {
	ts := newAPIServer(t)
	ans := ts.api(t, "").get(web.OpenAPIPath).want(t, 200)
	var served, embedded map[string]any
	if err := json.Unmarshal([]byte(ans.body), &served); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(web.OpenAPI(), &embedded); err != nil {
		t.Fatal(err)
	}
	if served["openapi"] != "3.1.0" || len(served["paths"].(map[string]any)) != len(embedded["paths"].(map[string]any)) {
		t.Errorf("served document: openapi %v, %d paths", served["openapi"], len(served["paths"].(map[string]any)))
	}
	schemes := served["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if b := schemes["bearerAuth"].(map[string]any); b["scheme"] != "bearer" {
		t.Errorf("security scheme %v", b)
	}
	// Scopes in the document are the domain's.
	for _, sc := range inbox.Scopes {
		if !strings.Contains(ans.body, "Scope: `"+string(sc)+"`") {
			t.Errorf("no operation documents scope %s", sc)
		}
	}
}

// TestOpenAPIWebhooksMatchTheEventTypes: every event type an endpoint can
// subscribe to (and so the fan-out can emit) is described in the
// document's webhooks section, and nothing else is; each is a POST whose
// body is one of the payload schemas.
func TestOpenAPIWebhooksMatchTheEventTypes(t *testing.T) {
	var doc struct {
		Webhooks map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"webhooks"`
	}
	if err := json.Unmarshal(web.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var code []string
	for _, e := range inbox.WebhookEventTypes {
		code = append(code, string(e))
	}
	var documented []string
	for name, ops := range doc.Webhooks {
		documented = append(documented, name)
		want := map[string]string{
			"message":      "#/components/schemas/WebhookMessageEvent",
			"conversation": "#/components/schemas/WebhookConversationEvent",
			"contact":      "#/components/schemas/WebhookContactEvent",
		}[inbox.WebhookEventType(name).Resource()]
		if got := ops["post"].RequestBody.Content["application/json"].Schema.Ref; got != want || len(ops) != 1 {
			t.Errorf("webhook %s: operations %d, body %q, want one POST of %q", name, len(ops), got, want)
		}
	}
	if !slices.Equal(sorted(code), sorted(documented)) {
		t.Errorf("webhooks in the document %v, want the event types %v", sorted(documented), sorted(code))
	}
}
