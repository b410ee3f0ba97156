package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleUsersPage shows the people who may sign in.
func (s *server) handleUsersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, views.InviteDraft{Role: inbox.RoleAgent})
}

func (s *server) renderUsers(c *fiber.Ctx, status int, invite views.InviteDraft) error {
	users, err := s.page(c).users()
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	p := views.UsersProps{Users: users, Me: me, Invite: invite}
	return s.renderScreen(c, status, views.Users(p), views.UsersPage(p))
}

// usersChanged answers a change to who may sign in.
func (s *server) usersChanged(c *fiber.Ctx) error {
	return s.afterSettingsChange(c, views.UsersURL, func() error {
		return s.renderUsers(c, fiber.StatusOK, views.InviteDraft{Role: inbox.RoleAgent})
	})
}

// handleUserInvite lets a new address sign in with a role.
func (s *server) handleUserInvite(c *fiber.Ctx) error {
	u, _ := currentUser(c)
	email, role := c.FormValue("email"), inbox.Role(c.FormValue("role"))
	if _, err := s.deps.Inbox.InviteUser(c.UserContext(), u, email, role); err != nil {
		return refuseForm(err, func(status int, reason string) error {
			return s.renderUsers(c, status, views.InviteDraft{Email: email, Role: role, Error: reason})
		})
	}
	return s.usersChanged(c)
}

// handleUserAction changes a user's role or removes them.
func (s *server) handleUserAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	switch c.Params("action") {
	case "role":
		_, err = s.deps.Inbox.SetUserRole(c.UserContext(), u, id, inbox.Role(c.FormValue("role")))
	case "remove":
		err = s.deps.Inbox.RemoveUser(c.UserContext(), u, id)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.usersChanged(c)
}
