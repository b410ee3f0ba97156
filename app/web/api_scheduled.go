package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// apiScheduled is a scheduled message ("Send later") as the API shows it.
type apiScheduled struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversation_id"`
	Text           string    `json:"text"`
	SendAt         time.Time `json:"send_at"`
	TimeZone       string    `json:"time_zone"`
	State          string    `json:"state"`
	Reason         string    `json:"reason"`
	MessageID      *int64    `json:"message_id"`
	SentBy         *int64    `json:"sent_by"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func toAPIScheduled(sm inbox.ScheduledMessage) apiScheduled {
	out := apiScheduled{
		ID: sm.ID, ConversationID: sm.ConversationID, Text: sm.Body, SendAt: sm.DueAt.UTC(), TimeZone: sm.TimeZone,
		State: string(sm.State), Reason: sm.Reason, CreatedAt: sm.CreatedAt.UTC(), UpdatedAt: sm.UpdatedAt.UTC(),
	}
	if sm.MessageID != 0 {
		id := sm.MessageID
		out.MessageID = &id
	}
	if sm.SentBy != 0 {
		id := sm.SentBy
		out.SentBy = &id
	}
	return out
}

// apiScheduleRequest is the body of POST /conversations/:id/scheduled.
type apiScheduleRequest struct {
	Text     string `json:"text"`
	SendAt   string `json:"send_at"`
	TimeZone string `json:"time_zone"`
}

// apiScheduledPatch is the body of PATCH .../scheduled/:sid: the fields
// given replace the stored ones; those left out stay.
type apiScheduledPatch struct {
	Text     *string `json:"text"`
	SendAt   *string `json:"send_at"`
	TimeZone *string `json:"time_zone"`
}

// apiSendAt reads an RFC 3339 time. Errors: EINVALID (Field "send_at").
func apiSendAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, inbox.FieldError("send_at", "give the time to send it, in RFC 3339 (2026-12-24T09:00:00Z)")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, inbox.FieldError("send_at", "%q is not an RFC 3339 time (2026-12-24T09:00:00Z)", s)
	}
	return t, nil
}

// apiListScheduled lists a conversation's messages still waiting to be
// sent, earliest first.
func (s *server) apiListScheduled(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if _, err := s.deps.Inbox.FindConversation(ctx, id); err != nil {
		return err
	}
	list, err := s.deps.Inbox.ListScheduled(ctx, id)
	if err != nil {
		return err
	}
	items := make([]apiScheduled, len(list))
	for i, sm := range list {
		items[i] = toAPIScheduled(sm)
	}
	return apiJSON(c, fiber.StatusOK, newAPIList(items, ""))
}

// apiScheduleReply schedules a reply under the composer's Send later
// rules: consent and blocking now and when due, the text's length, a time
// from a minute to a year ahead, the sender's rate limits.
func (s *server) apiScheduleReply(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	req := apiBody[*apiScheduleRequest](c)
	due, err := apiSendAt(req.SendAt)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	sm, err := s.deps.Inbox.ScheduleReply(c.UserContext(), u, id, inbox.Schedule{Text: req.Text, DueAt: due, TimeZone: req.TimeZone})
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusCreated, toAPIScheduled(sm))
}

// apiEditScheduled changes a waiting message's text or time; one already
// sent, refused or cancelled is a conflict (409).
func (s *server) apiEditScheduled(c *fiber.Ctx) error {
	sm, err := s.apiFindScheduled(c)
	if err != nil {
		return err
	}
	req := apiBody[*apiScheduledPatch](c)
	sched := inbox.Schedule{Text: sm.Body, DueAt: sm.DueAt, TimeZone: sm.TimeZone}
	if req.Text != nil {
		sched.Text = *req.Text
	}
	if req.TimeZone != nil {
		sched.TimeZone = *req.TimeZone
	}
	if req.SendAt != nil {
		if sched.DueAt, err = apiSendAt(*req.SendAt); err != nil {
			return err
		}
	}
	u, _ := currentUser(c)
	if sm, err = s.deps.Inbox.EditScheduled(c.UserContext(), u, sm.ID, sched); err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, toAPIScheduled(sm))
}

// apiCancelScheduled cancels a waiting message; it is never sent. One
// already sent, refused or cancelled is a conflict (409).
func (s *server) apiCancelScheduled(c *fiber.Ctx) error {
	sm, err := s.apiFindScheduled(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	if sm, err = s.deps.Inbox.CancelScheduled(c.UserContext(), u, sm.ID); err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusOK, toAPIScheduled(sm))
}

// apiFindScheduled reads the scheduled message of the path, which must
// belong to the path's conversation. Errors: ENOTFOUND; EUNAVAILABLE.
func (s *server) apiFindScheduled(c *fiber.Ctx) (inbox.ScheduledMessage, error) {
	id, err := apiID(c, "id")
	if err != nil {
		return inbox.ScheduledMessage{}, err
	}
	sid, err := strconv.ParseInt(c.Params("sid"), 10, 64)
	if err != nil || sid <= 0 {
		return inbox.ScheduledMessage{}, inbox.Errorf(inbox.ENOTFOUND, "no such scheduled message")
	}
	sm, err := s.deps.Inbox.FindScheduled(c.UserContext(), sid)
	if err != nil {
		return inbox.ScheduledMessage{}, err
	}
	if sm.ConversationID != id {
		return inbox.ScheduledMessage{}, inbox.Errorf(inbox.ENOTFOUND, "no such scheduled message")
	}
	return sm, nil
}
