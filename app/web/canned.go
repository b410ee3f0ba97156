package web

import (
	"context"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// cannedChoices are the canned replies filled for contact and me.
func (s *server) cannedChoices(ctx context.Context, contact inbox.Contact, me inbox.User) ([]views.CannedChoice, error) {
	rs, err := s.deps.Inbox.CannedReplies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]views.CannedChoice, len(rs))
	for i, r := range rs {
		out[i] = views.CannedChoice{Name: r.Name, Text: r.Fill(contact, me)}
	}
	return out, nil
}
