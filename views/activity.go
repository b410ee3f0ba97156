package views

import (
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// ActivityItem is one activity line of a thread with the names it shows.
type ActivityItem struct {
	Activity inbox.Activity
	// ActorName and SubjectName (the assignee) name people who still
	// exist; "" otherwise.
	ActorName   string
	SubjectName string
}

// activityText says what happened, in the thread's words: "Ana closed
// the conversation", "The contact opted out by texting STOP".
func activityText(now time.Time, it ActivityItem) string {
	a := it.Activity
	who := it.ActorName
	if who == "" {
		who = "Someone"
	}
	switch a.Kind {
	case inbox.ActivityClosed:
		return who + " closed the conversation"
	case inbox.ActivityReopened:
		return who + " reopened the conversation"
	case inbox.ActivityAssigned:
		if a.SubjectID == a.ActorID {
			return who + " took the conversation"
		}
		to := it.SubjectName
		if to == "" {
			to = "someone who has since left"
		}
		return who + " assigned the conversation to " + to
	case inbox.ActivityUnassigned:
		return who + " unassigned the conversation"
	case inbox.ActivityLabeled:
		return who + " added the label " + a.Detail
	case inbox.ActivityUnlabeled:
		return who + " removed the label " + a.Detail
	case inbox.ActivitySnoozed:
		if a.Until == nil {
			return who + " snoozed the conversation"
		}
		return who + " snoozed the conversation until " + shortDate(now, *a.Until)
	case inbox.ActivityWoke:
		if a.ActorID == 0 {
			return "The snooze ended"
		}
		return who + " woke the conversation"
	case inbox.ActivityBlocked:
		return who + " blocked the contact"
	case inbox.ActivityUnblocked:
		return who + " unblocked the contact"
	case inbox.ActivityOptedOut, inbox.ActivityOptedIn:
		return consentActivityText(who, a)
	}
	return who + " changed the conversation"
}

func consentActivityText(who string, a inbox.Activity) string {
	out := a.Kind == inbox.ActivityOptedOut
	switch a.Source {
	case "keyword":
		if out {
			return "The contact opted out by texting " + a.Detail
		}
		return "The contact opted back in by texting " + a.Detail
	case "intent", "carrier":
		if out {
			return "The contact opted out (reported by the carrier)"
		}
		return "The contact opted back in (reported by the carrier)"
	}
	if out {
		return who + " opted the contact out by hand"
	}
	if a.Detail != "" {
		return who + " opted the contact back in by hand: " + a.Detail
	}
	return who + " opted the contact back in by hand"
}

// activityIcon is the small icon before a line.
func activityIcon(k inbox.ActivityKind) string {
	switch k {
	case inbox.ActivityClosed:
		return "check-circle"
	case inbox.ActivityReopened:
		return "rotate"
	case inbox.ActivityAssigned, inbox.ActivityUnassigned:
		return "users"
	case inbox.ActivityLabeled, inbox.ActivityUnlabeled:
		return "tag"
	case inbox.ActivitySnoozed, inbox.ActivityWoke:
		return "clock"
	case inbox.ActivityBlocked, inbox.ActivityUnblocked:
		return "ban"
	}
	return "shield"
}
