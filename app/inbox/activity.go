package inbox

import (
	"context"
	"time"
)

// ActivityKind names what someone did to a conversation.
type ActivityKind string

// The activity a thread shows between its messages.
const (
	ActivityClosed     ActivityKind = "closed"
	ActivityReopened   ActivityKind = "reopened"
	ActivityAssigned   ActivityKind = "assigned"
	ActivityUnassigned ActivityKind = "unassigned"
	ActivityLabeled    ActivityKind = "labeled"
	ActivityUnlabeled  ActivityKind = "unlabeled"
	ActivitySnoozed    ActivityKind = "snoozed"
	ActivityWoke       ActivityKind = "woke"
	ActivityBlocked    ActivityKind = "blocked"
	ActivityUnblocked  ActivityKind = "unblocked"
	ActivityOptedOut   ActivityKind = "opted_out"
	ActivityOptedIn    ActivityKind = "opted_in"
)

// Activity is one thing someone did to a conversation, kept for good so
// its thread can say who did what, and when.
type Activity struct {
	ID             int64
	ConversationID int64
	// ActorID is who did it; 0 for Parley itself or the contact.
	ActorID int64
	Kind    ActivityKind
	// SubjectID is the assignee of an ActivityAssigned, the label of an
	// ActivityLabeled or ActivityUnlabeled; 0 otherwise.
	SubjectID int64
	// Detail is the label's name (as it was), or the keyword or reason of
	// a consent change.
	Detail string
	// Source is where a consent change came from, as ConsentEvent.Source.
	Source string
	// Until is the end of an ActivitySnoozed.
	Until *time.Time
	At    time.Time
}

// statusActivity is what changing a conversation's status from one value
// to another did, in the words of its thread.
func statusActivity(from, to ConversationStatus) ActivityKind {
	switch {
	case to == ConversationBlocked:
		return ActivityBlocked
	case from == ConversationBlocked:
		return ActivityUnblocked
	case to == ConversationClosed:
		return ActivityClosed
	}
	return ActivityReopened
}

// recordActivities stores the activity the events carry, in tx, each
// stamped with its event's conversation and time, and names it in the
// event's MessageID.
func recordActivities(ctx context.Context, tx Tx, events []Event) error {
	for i := range events {
		a := events[i].Activity
		if a == nil {
			continue
		}
		a.ConversationID, a.At = events[i].ConversationID, events[i].CreatedAt
		if err := tx.AppendActivity(ctx, a); err != nil {
			return err
		}
		events[i].MessageID = a.ID
	}
	return nil
}

// FindActivity returns one activity line. Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) FindActivity(ctx context.Context, id int64) (Activity, error) {
	a, err := s.store.FindActivityByID(ctx, id)
	if err != nil {
		return Activity{}, unavailable(err)
	}
	return a, nil
}

// activityFor loads the activity of the span a page of messages covers,
// as notesFor does its notes.
func (s *Service) activityFor(ctx context.Context, conversationID int64, page *MessagePage, before time.Time) error {
	var from time.Time
	if page.Before != 0 && len(page.Messages) > 0 {
		from = page.Messages[0].CreatedAt
	}
	acts, err := s.store.ListActivity(ctx, conversationID, from, before)
	if err != nil {
		return unavailable(err)
	}
	page.Activity = acts
	return nil
}
