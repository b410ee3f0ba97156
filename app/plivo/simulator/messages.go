package simulator

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// accountZone is the zone the simulated account's message times are
// written in: Plivo writes message_time in the account's zone with its
// offset ("2017-05-22 21:36:14+05:30" in plivo-go's fixtures), while its
// filters take UTC.
var accountZone = time.FixedZone("IST", 5*3600+1800)

// lookupState is the state of the message get and list endpoints.
type lookupState struct {
	clock func() time.Time
	// delay is how long after a send the message shows in get and list.
	delay time.Duration
	// failStatus, when set, answers every lookup with that status.
	failStatus int
	// retryAfter is the Retry-After header of 429 answers to sends.
	retryAfter  string
	gets, lists int
}

// SetClock makes the API read time from now (a test's fake clock) for
// Send.At, message times and the list's time filters; nil restores the
// system clock.
func (a *API) SetClock(now func() time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lookup.clock = now
}

// SetLookupDelay makes a message Plivo took show in the message get and
// list endpoints only d after its send arrived.
func (a *API) SetLookupDelay(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lookup.delay = d
}

// FailLookups makes the get and list endpoints answer status with an error
// body; 0 makes them answer again.
func (a *API) FailLookups(status int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lookup.failStatus = status
}

// SetRetryAfter sets the Retry-After header of later 429 answers (delay
// seconds or an HTTP date); "" sends none.
func (a *API) SetRetryAfter(v string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lookup.retryAfter = v
}

// Lookups returns how many get and list requests the API answered.
func (a *API) Lookups() (gets, lists int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lookup.gets, a.lookup.lists
}

// Now is the API's clock.
func (a *API) Now() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.nowLocked()
}

func (a *API) nowLocked() time.Time {
	if a.lookup.clock != nil {
		return a.lookup.clock()
	}
	return time.Now()
}

func (a *API) setRetryAfter(w http.ResponseWriter) {
	a.mu.Lock()
	v := a.lookup.retryAfter
	a.mu.Unlock()
	if v != "" {
		w.Header().Set("Retry-After", v)
	}
}

// serveLookup answers GET /v1/Account/{auth_id}/Message/ (list) and
// GET …/Message/{uuid}/ (get) from the sends Plivo took (Accept and
// AcceptLost), newest first, in the JSON shapes of plivo-go's fixtures
// messageListResponse.json and messageGetResponse.json. The list honours
// limit (at most 20), offset, message_direction, message_time__gte/__lte
// (UTC) and from_number/to_number; it has no total count and pages by
// meta.next, as Plivo's does.
func (a *API) serveLookup(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != a.AuthID || pass != a.AuthToken {
		answer(w, http.StatusUnauthorized, errorJSON(UnauthorizedText))
		return
	}
	prefix := "/v1/Account/" + a.AuthID + "/Message/"
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, prefix), "/")

	a.mu.Lock()
	now, st := a.nowLocked(), a.lookup
	if id == "" {
		a.lookup.lists++
	} else {
		a.lookup.gets++
	}
	var visible []Send
	for _, s := range a.sends {
		if s.UUID != "" && !s.At.Add(st.delay).After(now) {
			visible = append(visible, s)
		}
	}
	a.mu.Unlock()

	if st.failStatus != 0 {
		answer(w, st.failStatus, errorJSON(ServerErrorText))
		return
	}
	if id != "" {
		for _, s := range visible {
			if s.UUID == id {
				body := a.messageJSON(s)
				body["api_id"] = uuid.NewString()
				writeJSON(w, http.StatusOK, body)
				return
			}
		}
		answer(w, http.StatusNotFound, errorJSON("not found"))
		return
	}
	a.serveList(w, r.URL.Query(), visible)
}

func (a *API) serveList(w http.ResponseWriter, q url.Values, visible []Send) {
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 20 {
		limit = 20
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	since, sinceOK := filterTime(q.Get("message_time__gte"))
	until, untilOK := filterTime(q.Get("message_time__lte"))
	from, to := strings.TrimPrefix(q.Get("from_number"), "+"), strings.TrimPrefix(q.Get("to_number"), "+")
	var match []Send
	for _, s := range visible {
		at := s.At.Truncate(time.Second)
		switch {
		case q.Get("message_direction") != "" && q.Get("message_direction") != "outbound":
		case sinceOK && at.Before(since), untilOK && at.After(until):
		case from != "" && s.Src != from, to != "" && s.Dst != to:
		default:
			match = append(match, s)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].At.After(match[j].At) })
	page := match[min(offset, len(match)):min(offset+limit, len(match))]
	objects := make([]map[string]any, len(page))
	for i, s := range page {
		objects[i] = a.messageJSON(s)
	}
	var next, previous *string
	base := "/v1/Account/" + a.AuthID + "/Message/?limit=" + strconv.Itoa(limit) + "&offset="
	if offset+limit < len(match) {
		n := base + strconv.Itoa(offset+limit)
		next = &n
	}
	if offset > 0 {
		p := base + strconv.Itoa(max(offset-limit, 0))
		previous = &p
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"api_id":  uuid.NewString(),
		"meta":    map[string]any{"limit": limit, "offset": offset, "next": next, "previous": previous},
		"objects": objects,
	})
}

// messageJSON is one message as Plivo's get and list show it. There is no
// text field: Plivo's API does not return the text.
func (a *API) messageJSON(s Send) map[string]any {
	typ := s.Type
	if typ == "" {
		typ = "sms"
	}
	return map[string]any{
		"error_code": nil, "from_number": s.Src, "to_number": s.Dst,
		"message_direction": "outbound", "message_state": "sent",
		"message_time": s.At.In(accountZone).Format("2006-01-02 15:04:05-07:00"),
		"message_type": typ, "message_uuid": s.UUID,
		"resource_uri": "/v1/Account/" + a.AuthID + "/Message/" + s.UUID + "/",
		"total_amount": "0.00250", "total_rate": "0.00250", "units": 1,
		"requester_ip": "192.0.2.1", "is_domestic": false, "error_message": "",
	}
}

// filterTime reads a list filter time: UTC, "YYYY-MM-DD HH:MM[:ss[.uuuuuu]]".
func filterTime(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
