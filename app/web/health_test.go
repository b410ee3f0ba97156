package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func httpBody(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func TestHealthAndReadiness(t *testing.T) {
	ts := newTestServer(t)
	if status, body := ts.MustDo(t, httptest.NewRequest(http.MethodGet, "/healthz", nil)); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("/healthz=%d %s", status, body)
	}
	if status, body := ts.MustDo(t, httptest.NewRequest(http.MethodGet, "/readyz", nil)); status != 200 || !strings.Contains(body, `"database":"ok"`) {
		t.Fatalf("/readyz=%d %s, want 200 with database ok", status, body)
	}
	ts.store.Close()
	status, body := ts.MustDo(t, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"database":"error: unreachable"`) {
		t.Fatalf("/readyz with the database closed=%d %s, want 503 naming the database", status, body)
	}
	if strings.Contains(body, "sql") || strings.Contains(body, "store") {
		t.Fatalf("/readyz is public but tells how the database failed: %s", body)
	}
	if status, _ := ts.MustDo(t, httptest.NewRequest(http.MethodGet, "/healthz", nil)); status != 200 {
		t.Fatalf("/healthz with the database closed=%d, want 200 (alive)", status)
	}
}
