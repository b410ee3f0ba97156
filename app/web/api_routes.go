package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// APIPrefix is where version 1 of the REST API lives.
const APIPrefix = "/api/v1"

// apiRoute is one operation of the REST API. The table below is the only
// place operations are registered, and what the guard enforces: the
// scope, the query parameters the handler may read (any other is
// refused) and the JSON body it takes. The contract test compares it
// with the OpenAPI document both ways.
type apiRoute struct {
	Method string
	// Path is Fiber's pattern below APIPrefix.
	Path  string
	Scope inbox.Scope
	Query []string
	// Body returns a new value to decode the request body into (a
	// pointer to a struct), nil when the operation takes no body. The
	// handler reads it with apiBody.
	Body   func() any
	Handle func(s *server, c *fiber.Ctx) error
}

// apiRoutes is every operation of /api/v1 but the document itself.
var apiRoutes = []apiRoute{
	{Method: "GET", Path: "/conversations", Scope: inbox.ScopeRead, Query: []string{"filter", "q", "label", "number", "cursor", "limit"}, Handle: (*server).apiListConversations},
	{Method: "GET", Path: "/conversations/:id", Scope: inbox.ScopeRead, Handle: (*server).apiGetConversation},
	{Method: "POST", Path: "/conversations/:id/close", Scope: inbox.ScopeManage, Handle: (*server).apiCloseConversation},
	{Method: "POST", Path: "/conversations/:id/reopen", Scope: inbox.ScopeManage, Handle: (*server).apiReopenConversation},
	{Method: "POST", Path: "/conversations/:id/assign", Scope: inbox.ScopeManage, Body: func() any { return new(apiAssignRequest) }, Handle: (*server).apiAssignConversation},
	{Method: "POST", Path: "/conversations/:id/labels", Scope: inbox.ScopeManage, Body: func() any { return new(apiLabelRequest) }, Handle: (*server).apiAddLabel},
	{Method: "DELETE", Path: "/conversations/:id/labels/:label", Scope: inbox.ScopeManage, Handle: (*server).apiRemoveLabel},
	{Method: "POST", Path: "/conversations/:id/snooze", Scope: inbox.ScopeManage, Body: func() any { return new(apiSnoozeRequest) }, Handle: (*server).apiSnoozeConversation},
	{Method: "POST", Path: "/conversations/:id/wake", Scope: inbox.ScopeManage, Handle: (*server).apiWakeConversation},
	{Method: "GET", Path: "/conversations/:id/messages", Scope: inbox.ScopeRead, Query: []string{"cursor", "limit"}, Handle: (*server).apiListMessages},
	{Method: "POST", Path: "/conversations/:id/messages", Scope: inbox.ScopeSend, Body: func() any { return new(apiReplyRequest) }, Handle: (*server).apiSendReply},
	{Method: "GET", Path: "/conversations/:id/scheduled", Scope: inbox.ScopeRead, Handle: (*server).apiListScheduled},
	{Method: "POST", Path: "/conversations/:id/scheduled", Scope: inbox.ScopeSend, Body: func() any { return new(apiScheduleRequest) }, Handle: (*server).apiScheduleReply},
	{Method: "PATCH", Path: "/conversations/:id/scheduled/:sid", Scope: inbox.ScopeSend, Body: func() any { return new(apiScheduledPatch) }, Handle: (*server).apiEditScheduled},
	{Method: "POST", Path: "/conversations/:id/scheduled/:sid/cancel", Scope: inbox.ScopeSend, Handle: (*server).apiCancelScheduled},
	{Method: "POST", Path: "/messages", Scope: inbox.ScopeSend, Body: func() any { return new(apiSendRequest) }, Handle: (*server).apiSendMessage},
	{Method: "GET", Path: "/conversations/:id/contact", Scope: inbox.ScopeRead, Handle: (*server).apiGetContact},
	{Method: "PATCH", Path: "/conversations/:id/contact", Scope: inbox.ScopeManage, Body: func() any { return new(apiContactPatch) }, Handle: (*server).apiUpdateContact},
	{Method: "GET", Path: "/labels", Scope: inbox.ScopeRead, Handle: (*server).apiListLabels},
	{Method: "GET", Path: "/users", Scope: inbox.ScopeRead, Handle: (*server).apiListUsers},
}

// OpenAPIPath serves the API's description; anyone may read it.
const OpenAPIPath = APIPrefix + "/openapi.json"

// apiV1 registers the REST API. It comes before the session and CSRF
// middleware, so neither runs on it: these routes accept API tokens
// alone, and a session cookie opens nothing here.
func (s *server) apiV1(app *fiber.App) {
	// Answers hold the team's conversations: no browser or proxy keeps
	// them. A client revalidates with the ETag it kept itself.
	app.Use(APIPrefix, s.noStore)
	app.Get(OpenAPIPath, s.handleOpenAPI)
	for _, r := range apiRoutes {
		app.Add(r.Method, APIPrefix+r.Path, s.apiGuard(r))
	}
	// Anything else below the prefix is a JSON 404, not a sign-in page.
	app.Use(APIPrefix, func(c *fiber.Ctx) error {
		return inbox.Errorf(inbox.ENOTFOUND, "no such API operation: %s %s", c.Method(), c.Path())
	})
}
