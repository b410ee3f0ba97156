package web

import "github.com/gofiber/fiber/v2"

// publicRoutes lists every route anyone may reach without signing in, as
// "METHOD path". A test walks the router and proves that every other route
// refuses the anonymous user.
var publicRoutes = map[string]bool{
	"GET /healthz":                 true,
	"GET /readyz":                  true,
	"POST " + WebhookPath:          true, // signature-checked
	"GET " + WebhookPath:           true, // signature-checked
	"POST " + DeliveryPath:         true, // signature-checked
	"GET " + DeliveryPath:          true, // signature-checked
	"GET /static/*":                true,
	"GET /login":                   true,
	"GET /auth/:provider":          true,
	"GET /auth/:provider/callback": true,
	"POST /auth/dev":               true, // development mode only
	"POST /auth/logout":            true, // ends whatever session there is
	"GET " + OpenAPIPath:           true, // the API's description
	"GET /media/signed/:key":       true, // signature-checked, expiring
}

// PublicRoutes returns the routes anyone may reach without signing in.
func PublicRoutes() map[string]bool { return publicRoutes }

// routes registers every route. Order matters: the webhooks and probes come
// before the session middleware, so Plivo's requests never touch cookies.
func (s *server) routes(app *fiber.App) {
	app.Use(s.compress, s.recoverPanics, s.requestID, s.logRequests, s.securityHeaders, s.requireHost, s.limitBody)
	if s.opts.Development {
		app.Use(s.checkHost)
	}

	app.Get("/healthz", s.handleHealthz)
	app.Get("/readyz", s.handleReadyz)

	// Plivo's message_url; its message_method may be GET or POST.
	app.Post(WebhookPath, s.handleSMSWebhook)
	app.Get(WebhookPath, s.handleSMSWebhook)
	app.Post(DeliveryPath, s.handleDeliveryReport)
	app.Get(DeliveryPath, s.handleDeliveryReport)

	app.Get("/static/*", s.handleStatic)
	s.mediaPublicRoutes(app)

	s.apiV1(app) // token-authenticated: before sessions and CSRF (api_routes.go)

	app.Use(s.refuseBearer, s.noStore, s.loadSession, s.checkCSRF)

	app.Get("/login", s.handleLoginPage)
	app.Post("/auth/logout", s.handleLogout)
	if s.opts.Development {
		app.Post("/auth/dev", s.limitSignIn, s.handleDevSignIn)
	}
	app.Get("/auth/:provider", s.limitSignIn, s.handleSignInStart)
	app.Get("/auth/:provider/callback", s.limitSignIn, s.handleSignInCallback)

	app.Get("/", s.requireUser, s.handleInbox)
	app.Get("/conversations", s.requireUser, s.handleInbox)
	app.Post("/conversations", s.requireUser, s.handleStartConversation)
	app.Get("/conversations/new", s.requireUser, s.livePage, s.handleNewConversationForm)
	app.Get("/conversations/:id", s.requireUser, s.handleThread)
	app.Get("/conversations/:id/messages", s.requireUser, s.handleOlderMessages)
	app.Get("/conversations/:id/header", s.requireUser, s.handleThreadHeader)
	app.Post("/conversations/:id/messages", s.requireUser, s.handleSendReply)
	app.Post("/conversations/:id/scheduled", s.requireUser, s.handleScheduleReply)
	app.Post("/conversations/:id/notes", s.requireUser, s.handleNoteAdd)
	app.Post("/conversations/:id/read", s.requireUser, s.handleMarkRead)
	app.Post("/conversations/:id/contact", s.requireUser, s.handleContactSave)
	app.Post("/conversations/:id/:action", s.requireUser, s.handleThreadAction)
	app.Post("/compose/meter", s.requireUser, s.handleMeter)
	s.mediaRoutes(app)
	app.Post("/api/sms/send", s.requireUser, s.handleAPISend)
	app.Get("/messages/:id/timeline", s.requireUser, s.handleMessageTimeline)
	app.Post("/messages/:id/retry", s.requireUser, s.handleRetryMessage)
	app.Post("/scheduled/:id", s.requireUser, s.handleScheduledEdit)
	app.Post("/scheduled/:id/cancel", s.requireUser, s.handleScheduledCancel)

	s.tokenScreens(app) // every user's, so before the admins-only group (settings_tokens.go)
	admin := app.Group("/settings", s.requireUser, s.requireAdmin, s.livePage)
	admin.Get("/keywords", s.handleKeywordRules)
	admin.Post("/keywords", s.handleKeywordRuleSave)
	admin.Post("/keywords/preview", s.handleKeywordPreview)
	admin.Post("/keywords/:id", s.handleKeywordRuleSave)
	admin.Post("/keywords/:id/:action", s.handleKeywordRuleAction)
	admin.Get("/hours", s.handleBusinessHours)
	admin.Post("/hours", s.handleBusinessHoursSave)
	admin.Post("/hours/preview", s.handleBusinessHoursPreview)
	admin.Get("/export", s.handleExportPage)
	admin.Post("/export", s.handleExport)
	admin.Get("/users", s.handleUsersPage)
	admin.Post("/users", s.handleUserInvite)
	admin.Post("/users/:id/:action", s.handleUserAction)
	admin.Get("/labels", s.handleLabels)
	admin.Post("/labels", s.handleLabelSave)
	admin.Post("/labels/:id", s.handleLabelSave)
	admin.Post("/labels/:id/:action", s.handleLabelAction)
	admin.Get("/audit", s.handleAudit)
	admin.Get("/sending", s.handleSending)
	admin.Get("/canned", s.handleCannedReplies)
	admin.Post("/canned", s.handleCannedSave)
	admin.Post("/canned/:id", s.handleCannedSave)
	admin.Post("/canned/:id/:action", s.handleCannedAction)
	s.webhookRoutes(admin)
	admin.Get("/plivo", s.handlePlivo)
	admin.Post("/plivo/preview", s.handlePlivoPreview)
	admin.Post("/plivo/connect", s.handlePlivoConnect)
	admin.Post("/plivo/test", s.handlePlivoTestText)
	app.Get("/events", s.requireUser, s.handleEvents)
	app.Get("/mentions", s.requireUser, s.handleMentions)
	app.Get("/reports", s.requireUser, s.handleReports)
	app.Get("/mentions/badge", s.requireUser, s.handleMentionsBadge)
	app.Post("/me/available", s.requireUser, s.handleAvailable)
}
