// Package simulator is a simulated carrier: Plivo's Message API over real
// HTTP on a loopback port, which records every send, answers as it is
// told, and posts signed delivery reports back. Development mode sends
// through it when there are no Plivo credentials, the load tools measure
// the outbox against it, and tests (through plivotest) script its answers.
// It ships in the parley binary, so it imports nothing made for tests.
package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Credentials the simulated API accepts unless told otherwise (made up).
const (
	AuthID    = "MAFAKEAUTHID0000TEST"
	AuthToken = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"
)

// Mode is how the simulated API answers a send.
type Mode string

// Modes, with the error texts the JSON answers carry.
const (
	Accept           Mode = "202"       // 202 with a fresh UUID
	BadRequest       Mode = "400"       // {"error": BadRequestText}
	Unauthorized     Mode = "401"       // {"error": UnauthorizedText}
	RateLimited      Mode = "429"       // {"error": RateLimitedText}
	ServerError      Mode = "500"       // {"error": ServerErrorText}
	EmptyServerError Mode = "500-empty" // 500 with no body at all
	Hang             Mode = "hang"      // no answer until the client gives up or the API closes
	// AcceptLost takes the message (a UUID, delivery reports) but its
	// answer never arrives: the client times out, as when a network drops
	// Plivo's 202.
	AcceptLost Mode = "202-lost"

	BadRequestText   = "dst is not a valid phone number"
	UnauthorizedText = "authentication failed"
	RateLimitedText  = "too many requests, slow down"
	ServerErrorText  = "unexpected error, please retry"
)

// Send is one request the simulated API received.
type Send struct {
	// AuthID is the basic-auth user.
	AuthID string
	// Body is the JSON body as decoded.
	Body map[string]any
	// The body's fields plivo-go sets.
	Src, Dst, Text, Type, URL, Method string
	MediaURLs                         []string
	// Mode is how the API answered; UUID is the message's, for Accept.
	Mode Mode
	UUID string
	// At is when the request arrived, by the API's clock (SetClock).
	At time.Time
}

// API simulates Plivo's Message API over real HTTP: POST
// /v1/Account/{auth_id}/Message/ with basic auth, as plivo-go sends it. It
// records every send, answers according to its mode, and can post signed
// delivery reports back, so development, the load tools and tests see the
// whole loop. It is safe for concurrent use.
type API struct {
	// URL is the API's base URL, e.g. http://127.0.0.1:41234.
	URL       string
	AuthID    string
	AuthToken string

	srv  *http.Server
	ln   net.Listener
	done chan struct{} // closed when srv stops serving
	// ctx ends at Close: hanging answers and reports in flight stop.
	ctx       context.Context
	cancel    context.CancelFunc
	closeOnce sync.Once
	client    *http.Client

	mu       sync.Mutex
	idle     *sync.Cond // signalled when pending drops to 0
	mode     Mode
	script   []Mode
	sends    []Send
	pending  int
	deliver  deliverTo
	failures []error
	// undelivered is the share of reported sends made undelivered with
	// undeliveredCode; owed accumulates it, so the share is spread evenly.
	undelivered     float64
	undeliveredCode string
	owed            float64
	// lookup is the state of the message get and list endpoints.
	lookup  lookupState
	account accountState
	// fetched are the media files fetched for MMS sends (media.go).
	fetched []FetchedMedia
}

type deliverTo struct {
	baseURL, token    string
	status, errorCode string
}

// Start starts a simulated API listening on addr (e.g. "127.0.0.1:0")
// that accepts every send. Close stops it.
func Start(addr string) (*API, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulator: listen: %w", err)
	}
	a := newAPI()
	a.ln, a.done = ln, make(chan struct{})
	a.srv = &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	a.URL = "http://" + ln.Addr().String()
	go func() {
		defer close(a.done)
		_ = a.srv.Serve(ln) // ends with ErrServerClosed at Close
	}()
	return a, nil
}

func newAPI() *API {
	a := &API{
		AuthID: AuthID, AuthToken: AuthToken, mode: Accept,
		// No keep-alive: a report connection left idle would only hold up
		// the shutdown of the Parley it reports to.
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}},
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.idle = sync.NewCond(&a.mu)
	return a
}

// Close ends hanging requests, waits for reports in flight, and stops the
// server once the requests it is answering are done. It is idempotent.
func (a *API) Close() {
	a.closeOnce.Do(func() {
		a.cancel()
		a.WaitReports()
		// Every answer ends soon once a.ctx is done: Shutdown waits for
		// them, as the test server this replaces did, and closes idle
		// keep-alive connections.
		_ = a.srv.Shutdown(context.Background())
		<-a.done
	})
}

// SetMode sets how sends are answered from now on, after any script.
func (a *API) SetMode(m Mode) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.mode = m
}

// Script answers the next len(modes) sends with modes, in order; later
// sends get the mode set by SetMode.
func (a *API) Script(modes ...Mode) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.script = append(a.script, modes...)
}

// DeliverTo makes the API post delivery reports for every accepted send
// that asked for them: "sent" (Sequence 1), then the final status
// ("delivered" unless SetOutcome says otherwise, Sequence 2). Each report
// is signed with token for the callback URL the send named (the public
// URL), and posted to baseURL plus that URL's path and query, so a server
// reachable at another address than its public one still gets it. An
// empty baseURL stops the reports.
func (a *API) DeliverTo(baseURL, token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.deliver.baseURL, a.deliver.token = strings.TrimRight(baseURL, "/"), token
}

// SetOutcome sets the final status and ErrorCode of later delivery
// reports, e.g. ("undelivered", "30").
func (a *API) SetOutcome(status, errorCode string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.deliver.status, a.deliver.errorCode = status, errorCode
}

// SetUndeliveredShare makes a share p (0 to 1) of later sends that ask for
// delivery reports end "undelivered" with errorCode, whatever SetOutcome
// says. The share is spread evenly, not drawn at random, so a test knows
// which sends fail: with p = 0.25 every fourth one does. p of 0 or less
// stops it; over 1 counts as 1.
func (a *API) SetUndeliveredShare(p float64, errorCode string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.undelivered, a.undeliveredCode, a.owed = min(max(p, 0), 1), errorCode, 0
}

// Sends returns a copy of every send received so far, in order.
func (a *API) Sends() []Send {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Send(nil), a.sends...)
}

// Count returns how many sends to dst (with or without "+") with text the
// API received, however they were answered.
func (a *API) Count(dst, text string) int {
	dst = strings.TrimPrefix(dst, "+")
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, s := range a.sends {
		if s.Dst == dst && s.Text == text {
			n++
		}
	}
	return n
}

// WaitReports waits until every delivery report started so far has been
// posted, and returns the failures: reports not answered with a 2xx.
func (a *API) WaitReports() []error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.pending > 0 {
		a.idle.Wait()
	}
	return append([]error(nil), a.failures...)
}

// ServeHTTP implements the Message API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/Account/"+a.AuthID+"/Message/") {
		a.serveLookup(w, r)
		return
	}
	if a.serveAccount(w, r) {
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/Account/"+a.AuthID+"/Message/" {
		answer(w, http.StatusNotFound, "{}")
		return
	}
	var s Send
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || json.Unmarshal(raw, &s.Body) != nil {
		answer(w, http.StatusBadRequest, errorJSON("request body is not JSON"))
		return
	}
	s.Src, s.Dst, s.Text = text(s.Body, "src"), text(s.Body, "dst"), text(s.Body, "text")
	s.Type, s.URL, s.Method = text(s.Body, "type"), text(s.Body, "url"), text(s.Body, "method")
	if media, ok := s.Body["media_urls"].([]any); ok {
		for _, m := range media {
			if u, ok := m.(string); ok {
				s.MediaURLs = append(s.MediaURLs, u)
			}
		}
	}
	user, pass, ok := r.BasicAuth()
	s.AuthID = user

	a.mu.Lock()
	s.At = a.nowLocked()
	s.Mode = a.mode
	if len(a.script) > 0 {
		s.Mode, a.script = a.script[0], a.script[1:]
	}
	if !ok || user != a.AuthID || pass != a.AuthToken {
		s.Mode = Unauthorized
	}
	if s.Mode == Accept || s.Mode == AcceptLost {
		s.UUID = uuid.NewString()
	}
	d, report := a.recordLocked(s)
	a.mu.Unlock()

	switch s.Mode {
	case Accept:
		body, _ := json.Marshal(map[string]any{"api_id": uuid.NewString(), "message": "message(s) queued", "message_uuid": []string{s.UUID}})
		answer(w, http.StatusAccepted, string(body))
	case BadRequest:
		answer(w, http.StatusBadRequest, errorJSON(BadRequestText))
	case Unauthorized:
		answer(w, http.StatusUnauthorized, errorJSON(UnauthorizedText))
	case RateLimited:
		a.setRetryAfter(w)
		answer(w, http.StatusTooManyRequests, errorJSON(RateLimitedText))
	case ServerError:
		answer(w, http.StatusInternalServerError, errorJSON(ServerErrorText))
	case EmptyServerError:
		w.WriteHeader(http.StatusInternalServerError)
	case Hang, AcceptLost:
		select {
		case <-r.Context().Done():
		case <-a.ctx.Done():
		}
	default:
		answer(w, http.StatusInternalServerError, errorJSON("simulated API has no mode "+string(s.Mode)))
	}
	if report {
		go a.report(s, d)
	}
}

// recordLocked records a send and says whether, and how, to report on it;
// a.mu must be held.
func (a *API) recordLocked(s Send) (deliverTo, bool) {
	a.sends = append(a.sends, s)
	d := a.deliver
	report := (s.Mode == Accept || s.Mode == AcceptLost) && d.baseURL != "" && s.URL != ""
	if report {
		a.pending++
		if a.owed += a.undelivered; a.undelivered > 0 && a.owed >= 1-1e-9 {
			a.owed--
			d.status, d.errorCode = "undelivered", a.undeliveredCode
		}
	}
	return d, report
}

// SendXML plays Plivo acting on a <Message> of a webhook's XML answer: it
// records the message as an accepted send and, when DeliverTo is set, posts
// its delivery reports to callbackURL, so automatic replies move past
// "queued" in development too.
func (a *API) SendXML(src, dst, text, callbackURL string) {
	s := Send{Src: src, Dst: dst, Text: text, Type: "sms", URL: callbackURL, Method: http.MethodPost, Mode: Accept, UUID: uuid.NewString()}
	a.mu.Lock()
	s.At = a.nowLocked()
	d, report := a.recordLocked(s)
	a.mu.Unlock()
	if report {
		go a.report(s, d)
	}
}

// report posts the delivery reports of one accepted send.
func (a *API) report(s Send, d deliverTo) {
	defer func() {
		a.mu.Lock()
		a.pending--
		if a.pending == 0 {
			a.idle.Broadcast()
		}
		a.mu.Unlock()
	}()
	final := d.status
	if final == "" {
		final = "delivered"
	}
	// An MMS whose media cannot be fetched does not go out.
	if !a.fetchMedia(s) {
		final = "failed"
	}
	for i, status := range []string{"sent", final} {
		errorCode := ""
		if i == 1 {
			errorCode = d.errorCode
		}
		if err := a.postReport(s, d, DeliveryForm(s, status, i+1, errorCode)); err != nil {
			a.mu.Lock()
			a.failures = append(a.failures, err)
			a.mu.Unlock()
			return
		}
	}
}

func (a *API) postReport(s Send, d deliverTo, form url.Values) error {
	method := strings.ToUpper(s.Method)
	if method == "" {
		method = http.MethodPost
	}
	public, err := url.Parse(s.URL)
	if err != nil {
		return fmt.Errorf("simulator: callback URL %q: %w", s.URL, err)
	}
	target := d.baseURL + public.EscapedPath()
	if public.RawQuery != "" {
		target += "?" + public.RawQuery
	}
	req, err := SignedWebhook(a.ctx, d.token, target, s.URL, method, form)
	if err != nil {
		return fmt.Errorf("simulator: report: %w", err)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("simulator: report %s to %s: %w", form.Get("Status"), target, err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("simulator: report %s to %s: HTTP %d: %s", form.Get("Status"), target, resp.StatusCode, reply)
	}
	return nil
}

func text(body map[string]any, key string) string {
	s, _ := body[key].(string)
	return s
}

func errorJSON(msg string) string {
	b, _ := json.Marshal(map[string]string{"api_id": uuid.NewString(), "error": msg})
	return string(b)
}

func answer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}
