package web

import (
	"github.com/gofiber/fiber/v2"
)

// apiListLabels is GET /labels: every label, by name.
func (s *server) apiListLabels(c *fiber.Ctx) error {
	labels, err := s.deps.Inbox.Labels(c.UserContext())
	if err != nil {
		return err
	}
	items := make([]apiLabel, len(labels))
	for i, l := range labels {
		items[i] = apiLabel{ID: l.ID, Name: l.Name, Color: l.Color}
	}
	return apiJSON(c, fiber.StatusOK, newAPIList(items, ""))
}

// apiListUsers is GET /users: the team, for assigning.
func (s *server) apiListUsers(c *fiber.Ctx) error {
	users, err := s.deps.Inbox.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	items := make([]apiUser, len(users))
	for i, u := range users {
		items[i] = apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Available: u.Available}
	}
	return apiJSON(c, fiber.StatusOK, newAPIList(items, ""))
}
