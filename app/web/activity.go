package web

import (
	"context"

	"github.com/a-h/templ"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func activityItems(acts []inbox.Activity, names map[int64]string) []views.ActivityItem {
	items := make([]views.ActivityItem, len(acts))
	for i, a := range acts {
		items[i] = views.ActivityItem{Activity: a, ActorName: names[a.ActorID], SubjectName: names[a.SubjectID]}
	}
	return items
}

// announcesActivity reports whether e's MessageID names an activity line
// (see inbox.Event.Activity).
func announcesActivity(e inbox.Event) bool {
	switch e.Kind {
	case inbox.EventConversationUpdated, inbox.EventConsentChanged, inbox.EventConversationAssigned, inbox.EventConversationLabeled:
		return e.MessageID != 0
	}
	return false
}

// activityPart is the activity line e announces, appended to its thread
// where that is open; nil when the line is gone.
func (s *server) activityPart(ctx context.Context, d *pageData, e inbox.Event) (templ.Component, error) {
	a, err := s.deps.Inbox.FindActivity(ctx, e.MessageID)
	if err != nil {
		return nil, skipMissing(err)
	}
	users, err := d.users()
	if err != nil {
		return nil, err
	}
	return views.ActivityAppend(activityItems([]inbox.Activity{a}, displayNames(users))[0]), nil
}
