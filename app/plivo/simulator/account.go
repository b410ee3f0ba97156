package simulator

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// fixtures are plivo-go v7.60.2's own test fixtures, copied unchanged (a
// test keeps them equal to the module's): every account answer starts from
// one of them, so the simulated API speaks the JSON shapes plivo-go expects.
//
//go:embed fixtures/*.json
var fixtures embed.FS

// AccountName and CashCredits are what the simulated account API reports.
const (
	AccountName = "Parley Test Account"
	CashCredits = "4.88860"
)

// Number is one number on the simulated account.
type Number struct {
	// Number is digits with the country code and no "+", as Plivo writes it.
	Number string
	// Type is Plivo's number_type: "local", "tollfree", "shortcode", …
	Type string
	// Region is Plivo's "Florida, UNITED STATES".
	Region   string
	SMS, MMS bool
	AppID    string // empty: no application
	Alias    string
	// SubAccount is the auth ID of the subaccount holding the number.
	SubAccount     string
	SubAccountName string
}

// Application is one application on the simulated account.
type Application struct {
	AppID, AppName, MessageURL, MessageMethod, AnswerURL string
}

// AccountRequest is one account API request the simulator received.
type AccountRequest struct {
	Method string
	// Path is below /v1/Account/{auth_id}/, e.g. "Number/14155550100/".
	Path string
	// Body is a POST's JSON body as decoded.
	Body map[string]any
}

// accountState is the simulated account: its numbers and applications,
// and the requests that read or changed them.
type accountState struct {
	numbers  []Number
	apps     []Application
	requests []AccountRequest
	nextApp  int64
}

// AddNumber puts n on the simulated account, or replaces the number of the
// same digits.
func (a *API) AddNumber(n Number) {
	n.Number = strings.TrimPrefix(n.Number, "+")
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range a.account.numbers {
		if a.account.numbers[i].Number == n.Number {
			a.account.numbers[i] = n
			return
		}
	}
	a.account.numbers = append(a.account.numbers, n)
}

// AddApplication puts app on the simulated account and returns its id (a
// fresh one when app.AppID is empty).
func (a *API) AddApplication(app Application) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if app.AppID == "" {
		app.AppID = a.newAppIDLocked()
	}
	if app.MessageMethod == "" {
		app.MessageMethod = http.MethodPost
	}
	a.account.apps = append(a.account.apps, app)
	return app.AppID
}

// Numbers returns the account's numbers as they are now.
func (a *API) Numbers() []Number {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Number(nil), a.account.numbers...)
}

// Applications returns the account's applications as they are now.
func (a *API) Applications() []Application {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Application(nil), a.account.apps...)
}

// AccountRequests returns every account API request so far, in order.
func (a *API) AccountRequests() []AccountRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]AccountRequest(nil), a.account.requests...)
}

func (a *API) newAppIDLocked() string {
	a.account.nextApp++
	return strconv.FormatInt(20468599130939380+a.account.nextApp, 10)
}

// appNameRule is Plivo's: letters, digits, hyphens and underscores.
var appNameRule = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// serveAccount answers the account, number and application requests
// plivo-go makes, and reports whether r was one.
func (a *API) serveAccount(w http.ResponseWriter, r *http.Request) bool {
	prefix := "/v1/Account/" + a.AuthID + "/"
	if !strings.HasPrefix(r.URL.Path, prefix) || strings.HasPrefix(r.URL.Path, prefix+"Message/") {
		return false
	}
	path := strings.TrimPrefix(r.URL.Path, prefix)
	if user, pass, ok := r.BasicAuth(); !ok || user != a.AuthID || pass != a.AuthToken {
		// Plivo's answer to wrong credentials is not JSON.
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "Could not verify your access level for that URL.\nYou have to login with proper credentials")
		return true
	}
	req := AccountRequest{Method: r.Method, Path: path}
	if r.Method == http.MethodPost {
		raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || json.Unmarshal(raw, &req.Body) != nil {
			answer(w, http.StatusBadRequest, errorJSON("request body is not JSON"))
			return true
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.account.requests = append(a.account.requests, req)
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case strings.Trim(path, "/") == "" && r.Method == http.MethodGet: // plivo-go asks for /v1/Account/{id}//
		a.answerAccountLocked(w)
	case segs[0] == "Number" && len(segs) == 1 && r.Method == http.MethodGet:
		a.answerNumbersLocked(w, r)
	case segs[0] == "Number" && len(segs) == 2 && r.Method == http.MethodPost:
		a.updateNumberLocked(w, segs[1], req.Body)
	case segs[0] == "Application" && len(segs) == 1 && r.Method == http.MethodGet:
		a.answerApplicationsLocked(w, r)
	case segs[0] == "Application" && len(segs) == 1 && r.Method == http.MethodPost:
		a.createApplicationLocked(w, req.Body)
	case segs[0] == "Application" && len(segs) == 2 && r.Method == http.MethodPost:
		a.updateApplicationLocked(w, segs[1], req.Body)
	default:
		answer(w, http.StatusNotFound, errorJSON("not found"))
	}
	return true
}

func (a *API) answerAccountLocked(w http.ResponseWriter) {
	out := fixture("accountGetResponse.json")
	out["api_id"], out["auth_id"], out["name"], out["cash_credits"] = uuid.NewString(), a.AuthID, AccountName, CashCredits
	out["resource_uri"] = "/v1/Account/" + a.AuthID + "/"
	writeJSON(w, http.StatusOK, out)
}

func (a *API) answerNumbersLocked(w http.ResponseWriter, r *http.Request) {
	template := fixture("numberListResponse.json")
	item := template["objects"].([]any)[0].(map[string]any)
	objects := make([]any, 0, len(a.account.numbers))
	for _, n := range a.account.numbers {
		o := clone(item)
		o["number"], o["number_type"], o["region"] = n.Number, n.Type, n.Region
		o["sms_enabled"], o["mms_enabled"], o["alias"] = n.SMS, n.MMS, n.Alias
		o["application"] = nil
		if n.AppID != "" {
			o["application"] = "/v1/Account/" + a.AuthID + "/Application/" + n.AppID + "/"
		}
		o["sub_account"], o["sub_account_name"] = nil, nil
		if n.SubAccount != "" {
			o["sub_account"], o["sub_account_name"] = n.SubAccount, n.SubAccountName
		}
		o["resource_uri"] = "/v1/Account/" + a.AuthID + "/Number/" + n.Number + "/"
		objects = append(objects, o)
	}
	writeJSON(w, http.StatusOK, page(template, objects, r, "/v1/Account/"+a.AuthID+"/Number/"))
}

func (a *API) updateNumberLocked(w http.ResponseWriter, number string, body map[string]any) {
	for i := range a.account.numbers {
		n := &a.account.numbers[i]
		if n.Number != number {
			continue
		}
		if id, ok := body["app_id"].(string); ok {
			if id != "" && a.appLocked(id) == nil {
				answer(w, http.StatusBadRequest, errorJSON("invalid app_id"))
				return
			}
			n.AppID = id
		}
		if alias, ok := body["alias"].(string); ok {
			n.Alias = alias
		}
		out := fixture("numberUpdateResponse.json")
		out["api_id"] = uuid.NewString()
		writeJSON(w, http.StatusAccepted, out)
		return
	}
	answer(w, http.StatusNotFound, errorJSON("number not found"))
}

func (a *API) answerApplicationsLocked(w http.ResponseWriter, r *http.Request) {
	template := fixture("applicationListResponse.json")
	item := template["objects"].([]any)[0].(map[string]any)
	name := r.URL.Query().Get("app_name")
	objects := make([]any, 0, len(a.account.apps))
	for _, app := range a.account.apps {
		if name != "" && app.AppName != name {
			continue
		}
		objects = append(objects, a.applicationJSON(item, app))
	}
	writeJSON(w, http.StatusOK, page(template, objects, r, "/v1/Account/"+a.AuthID+"/Application/"))
}

func (a *API) applicationJSON(item map[string]any, app Application) map[string]any {
	o := clone(item)
	o["app_id"], o["app_name"], o["message_method"] = app.AppID, app.AppName, app.MessageMethod
	o["message_url"], o["answer_url"] = app.MessageURL, app.AnswerURL
	if app.MessageURL == "" {
		o["message_url"] = nil
	}
	o["resource_uri"] = "/v1/Account/" + a.AuthID + "/Application/" + app.AppID + "/"
	o["sip_uri"] = "sip:" + app.AppID + "@app.plivo.com"
	return o
}

func (a *API) createApplicationLocked(w http.ResponseWriter, body map[string]any) {
	app := Application{AppName: text(body, "app_name"), MessageURL: text(body, "message_url"),
		MessageMethod: text(body, "message_method"), AnswerURL: text(body, "answer_url")}
	if !appNameRule.MatchString(app.AppName) {
		answer(w, http.StatusBadRequest, errorJSON("app_name may hold only letters, digits, hyphens and underscores"))
		return
	}
	if app.MessageMethod == "" {
		app.MessageMethod = http.MethodPost
	}
	app.AppID = a.newAppIDLocked()
	a.account.apps = append(a.account.apps, app)
	out := fixture("applicationCreateResponse.json")
	out["api_id"], out["app_id"] = uuid.NewString(), app.AppID
	writeJSON(w, http.StatusCreated, out)
}

func (a *API) updateApplicationLocked(w http.ResponseWriter, id string, body map[string]any) {
	app := a.appLocked(id)
	if app == nil {
		answer(w, http.StatusNotFound, errorJSON("application not found"))
		return
	}
	if v, ok := body["app_name"].(string); ok {
		if !appNameRule.MatchString(v) {
			answer(w, http.StatusBadRequest, errorJSON("app_name may hold only letters, digits, hyphens and underscores"))
			return
		}
		app.AppName = v
	}
	if v, ok := body["message_url"].(string); ok {
		app.MessageURL = v
	}
	if v, ok := body["message_method"].(string); ok {
		app.MessageMethod = v
	}
	if v, ok := body["answer_url"].(string); ok {
		app.AnswerURL = v
	}
	out := fixture("applicationModifyResponse.json")
	out["api_id"] = uuid.NewString()
	writeJSON(w, http.StatusAccepted, out)
}

func (a *API) appLocked(id string) *Application {
	for i := range a.account.apps {
		if a.account.apps[i].AppID == id {
			return &a.account.apps[i]
		}
	}
	return nil
}

// page cuts objects to the request's limit (20 at most, Plivo's cap) and
// offset and fills the template's meta, "next" naming the following page.
func page(template map[string]any, objects []any, r *http.Request, path string) map[string]any {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 20 {
		limit = 20
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = min(max(offset, 0), len(objects))
	end := min(offset+limit, len(objects))
	meta := template["meta"].(map[string]any)
	meta["limit"], meta["offset"], meta["total_count"] = limit, offset, len(objects)
	meta["next"], meta["previous"] = nil, nil
	if end < len(objects) {
		meta["next"] = fmt.Sprintf("%s?limit=%d&offset=%d", path, limit, end)
	}
	if offset > 0 {
		meta["previous"] = fmt.Sprintf("%s?limit=%d&offset=%d", path, limit, max(offset-limit, 0))
	}
	template["api_id"] = uuid.NewString()
	template["objects"] = objects[offset:end]
	return template
}

// fixture is a fresh decoded copy of one of plivo-go's fixtures.
func fixture(name string) map[string]any {
	raw, err := fixtures.ReadFile("fixtures/" + name)
	if err != nil {
		panic("simulator: " + err.Error()) // embedded at build time
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		panic("simulator: fixture " + name + ": " + err.Error())
	}
	return out
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	answer(w, status, string(body))
}
