package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// apiListConversations is GET /conversations: the inbox's list, with its
// filters and search, newest activity first, a cursor page at a time.
func (s *server) apiListConversations(c *fiber.Ctx) error {
	if f := c.Query("filter"); f != "" && !inbox.ConversationFilter(f).Valid() {
		return inbox.FieldError("filter", "%q is not a filter (open, closed, all, opted_out, mine, unassigned, snoozed, failed)", f)
	}
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	if q.Limit, err = apiLimit(c, 50, 100); err != nil {
		return err
	}
	page, err := s.deps.Inbox.ListConversations(c.UserContext(), q.Normalise())
	if err != nil {
		return err
	}
	items := make([]inbox.ConversationJSON, len(page.Conversations))
	for i, conv := range page.Conversations {
		items[i] = inbox.NewConversationJSON(conv)
	}
	return apiJSON(c, fiber.StatusOK, newAPIList(items, page.Next.String()))
}

// apiGetConversation is GET /conversations/:id. Reading it through the
// API does not mark it read.
func (s *server) apiGetConversation(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	conv, err := s.deps.Inbox.FindConversation(c.UserContext(), id)
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewConversationJSON(conv))
}

func (s *server) apiCloseConversation(c *fiber.Ctx) error {
	return s.apiSetStatus(c, inbox.ConversationClosed)
}

func (s *server) apiReopenConversation(c *fiber.Ctx) error {
	return s.apiSetStatus(c, inbox.ConversationOpen)
}

func (s *server) apiSetStatus(c *fiber.Ctx, status inbox.ConversationStatus) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	conv, err := s.deps.Inbox.SetConversationStatus(c.UserContext(), u, id, status)
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewConversationJSON(conv))
}

// apiAssignRequest is the body of POST /conversations/:id/assign; a null
// assignee_id unassigns.
type apiAssignRequest struct {
	AssigneeID *int64 `json:"assignee_id"`
}

func (s *server) apiAssignConversation(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	req := apiBody[*apiAssignRequest](c)
	var to int64
	if req.AssigneeID != nil {
		if to = *req.AssigneeID; to <= 0 {
			return inbox.FieldError("assignee_id", "no such person")
		}
	}
	u, _ := currentUser(c)
	conv, err := s.deps.Inbox.AssignConversation(c.UserContext(), u, id, to)
	if err != nil {
		if inbox.ErrorField(err) == "assignee" {
			return inbox.FieldError("assignee_id", "%s", inbox.ErrorMessage(err))
		}
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewConversationJSON(conv))
}

// apiLabelRequest is the body of POST /conversations/:id/labels.
type apiLabelRequest struct {
	LabelID int64 `json:"label_id"`
}

func (s *server) apiAddLabel(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	return s.apiSetLabel(c, id, apiBody[*apiLabelRequest](c).LabelID, true)
}

func (s *server) apiRemoveLabel(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	label, err := apiID(c, "label")
	if err != nil {
		return err
	}
	return s.apiSetLabel(c, id, label, false)
}

func (s *server) apiSetLabel(c *fiber.Ctx, id, label int64, on bool) error {
	u, _ := currentUser(c)
	conv, err := s.deps.Inbox.SetConversationLabel(c.UserContext(), u, id, label, on)
	if err != nil {
		if inbox.ErrorField(err) == "label" {
			return inbox.FieldError("label_id", "%s", inbox.ErrorMessage(err))
		}
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewConversationJSON(conv))
}

// apiSnoozeRequest is the body of POST /conversations/:id/snooze.
type apiSnoozeRequest struct {
	Minutes int `json:"minutes"`
}

func (s *server) apiSnoozeConversation(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	minutes := apiBody[*apiSnoozeRequest](c).Minutes
	u, _ := currentUser(c)
	conv, err := s.deps.Inbox.SnoozeConversation(c.UserContext(), u, id, time.Duration(minutes)*time.Minute)
	if err != nil {
		if inbox.ErrorField(err) == "until" {
			return inbox.FieldError("minutes", "snooze for 1 to %d minutes", int(inbox.MaxSnooze/time.Minute))
		}
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewConversationJSON(conv))
}

func (s *server) apiWakeConversation(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	conv, err := s.deps.Inbox.WakeConversation(c.UserContext(), u, id)
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, inbox.NewConversationJSON(conv))
}
