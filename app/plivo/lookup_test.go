package plivo_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	plivogo "github.com/plivo/plivo-go/v7"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

func mustLookup(tb testing.TB, api *plivotest.API) *plivo.Lookup {
	tb.Helper()
	l, err := plivo.NewLookup(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// The fake API's get and list answers have the keys of plivo-go's own
// fixtures, so what passes here decodes from Plivo too.
func TestFakeLookupAnswersInPlivoGoFixtureShapes(t *testing.T) {
	api := plivotest.NewAPI(t)
	if _, err := mustSender(t, api, 0).Send(context.Background(), sms(1, "shape")); err != nil {
		t.Fatal(err)
	}
	uuid := api.Sends()[0].UUID
	for _, c := range []struct{ fixture, path string }{
		{"messageGetResponse.json", "/Message/" + uuid + "/"},
		{"messageListResponse.json", "/Message/?limit=20"},
	} {
		fixture := readFixture(t, c.fixture)
		got := getJSON(t, api, c.path)
		if c.fixture == "messageListResponse.json" {
			if !sameKeys(fixture["meta"], got["meta"]) {
				t.Errorf("list meta keys %v, want those of %v", got["meta"], fixture["meta"])
			}
			fixture = fixture["objects"].([]any)[0].(map[string]any)
			got = got["objects"].([]any)[0].(map[string]any)
		}
		for key := range got {
			if _, ok := fixture[key]; !ok {
				t.Errorf("%s: key %q is not in plivo-go's fixture", c.fixture, key)
			}
		}
		for _, key := range []string{"message_uuid", "from_number", "to_number", "message_direction", "message_state", "message_time", "message_type", "error_code"} {
			if _, ok := got[key]; !ok {
				t.Errorf("%s: key %q missing", c.fixture, key)
			}
		}
	}
}

func readFixture(t *testing.T, name string) map[string]any {
	t.Helper()
	dir := plivoGoDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// plivoGoDir is plivo-go's module directory, found from a type it declares.
func plivoGoDir(t *testing.T) string {
	t.Helper()
	mod := reflect.TypeFor[plivogo.Message]().PkgPath()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mod).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", mod, err)
	}
	return strings.TrimSpace(string(out))
}

func getJSON(t *testing.T, api *plivotest.API, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, api.URL+"/v1/Account/"+api.AuthID+path, nil)
	req.SetBasicAuth(api.AuthID, api.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func sameKeys(a, b any) bool {
	am, _ := a.(map[string]any)
	bm, _ := b.(map[string]any)
	if len(am) != len(bm) {
		return false
	}
	for k := range am {
		if _, ok := bm[k]; !ok {
			return false
		}
	}
	return true
}

func TestLookupFindsMessagesByUUIDAndByNumbers(t *testing.T) {
	api := plivotest.NewAPI(t)
	clock := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	api.SetClock(func() time.Time { return clock })
	s, l, ctx := mustSender(t, api, 0), mustLookup(t, api), context.Background()
	var uuids []string
	for i := range 25 {
		uuid, err := s.Send(ctx, sms(int64(i), "page"))
		if err != nil {
			t.Fatal(err)
		}
		uuids = append(uuids, uuid)
		clock = clock.Add(time.Second)
	}
	other := inbox.OutboundSMS{MessageID: 99, From: "+14155550199", To: "+14155550111", Text: "other contact"}
	if _, err := s.Send(ctx, other); err != nil {
		t.Fatal(err)
	}

	got, err := l.MessageByUUID(ctx, uuids[3])
	want := inbox.CarrierMessage{UUID: uuids[3], From: "+14155550199", To: "+14155550100", Direction: inbox.DirectionOutbound,
		State: "sent", Time: time.Date(2026, 3, 1, 9, 30, 3, 0, time.UTC)}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("MessageByUUID=%+v, %v; want %+v", got, err, want)
	}
	if _, err := l.MessageByUUID(ctx, "00000000-0000-0000-0000-000000000000"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("unknown UUID: err=%v, want ENOTFOUND", err)
	}

	start := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	all, err := l.SentMessages(ctx, inbox.SentQuery{From: "+14155550199", To: "+14155550100", Since: start, Until: clock})
	if err != nil || len(all) != 25 {
		t.Fatalf("SentMessages over two pages: %d, %v; want 25", len(all), err)
	}
	if _, lists := api.Lookups(); lists != 2 {
		t.Fatalf("list requests=%d, want 2 pages", lists)
	}
	window, err := l.SentMessages(ctx, inbox.SentQuery{From: "+14155550199", To: "+14155550100", Since: start.Add(20 * time.Second), Until: start.Add(22 * time.Second)})
	if err != nil || len(window) != 3 {
		t.Fatalf("SentMessages over 3 s: %d, %v; want 3", len(window), err)
	}
	for _, m := range window {
		if !strings.Contains(strings.Join(uuids[20:23], " "), m.UUID) {
			t.Fatalf("window holds %s, not one of %v", m.UUID, uuids[20:23])
		}
	}

	api.FailLookups(http.StatusTooManyRequests)
	if _, err := l.SentMessages(ctx, inbox.SentQuery{From: "+14155550199", To: "+14155550100", Since: start, Until: clock}); inbox.ErrorCode(err) != inbox.EUNAVAILABLE || !strings.Contains(inbox.ErrorMessage(err), "429") {
		t.Fatalf("failing list: err=%v, want EUNAVAILABLE naming HTTP 429", err)
	}
}

// A 429's Retry-After reaches the outbox; a refused connection is known
// never to have carried the request.
func TestSenderReadsRetryAfterAndKnowsARefusedConnection(t *testing.T) {
	api := plivotest.NewAPI(t)
	api.SetRetryAfter("30")
	api.Script(plivotest.RateLimited)
	_, err := mustSender(t, api, 0).Send(context.Background(), sms(1, "slow down"))
	var se *inbox.SendError
	if !errors.As(err, &se) || se.Status != 429 || se.RetryAfter != 30*time.Second || !se.Retryable {
		t.Fatalf("429: err=%v, want a retryable SendError with RetryAfter 30s", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), sms(2, "refused"))
	if !errors.As(err, &se) || !se.NotSent || se.Status != 0 {
		t.Fatalf("refused: err=%v, want a SendError that says it was not sent", err)
	}
}
