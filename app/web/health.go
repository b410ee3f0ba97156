package web

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
)

// handleHealthz says the process is alive; it touches nothing else.
func (s *server) handleHealthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readiness is /readyz's answer.
type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// handleReadyz runs every check. A failed required check (the database)
// answers 503 so a load balancer stops sending traffic; a failed optional
// one (the event bus) answers 200 "degraded", because without the bus
// texts are still stored and answered and live clients catch up from the
// event log, while taking the instance out would stop all of that.
func (s *server) handleReadyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	r := readiness{Status: "ok", Checks: map[string]string{}}
	status := fiber.StatusOK
	for _, chk := range s.deps.Checks {
		if err := chk.Probe(ctx); err != nil {
			// /readyz is public: the reason names no user, database or
			// address; the log has the whole error.
			s.log.Warn("readiness check failed", "check", chk.Name, "err", err)
			r.Checks[chk.Name] = "error: unreachable"
			if errors.Is(err, context.DeadlineExceeded) {
				r.Checks[chk.Name] = "error: timed out"
			}
			if chk.Required {
				r.Status, status = "unavailable", fiber.StatusServiceUnavailable
			} else if r.Status == "ok" {
				r.Status = "degraded"
			}
			continue
		}
		r.Checks[chk.Name] = "ok"
	}
	return c.Status(status).JSON(r)
}
