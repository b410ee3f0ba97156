package web

import "github.com/gofiber/fiber/v2"

// routes registers every route. Public routes are marked as such; the two
// Plivo webhooks are public to browsers but signature-checked.
func (s *server) routes(app *fiber.App) {
	app.Use(s.requestID, s.logRequests)

	// Public by intent: probes for load balancers and orchestrators.
	app.Get("/healthz", s.handleHealthz)
	app.Get("/readyz", s.handleReadyz)

	// Plivo's message_url; its message_method may be GET or POST.
	app.Post("/api/sms/webhook", s.handleSMSWebhook)
	app.Get("/api/sms/webhook", s.handleSMSWebhook)
}
