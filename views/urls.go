package views

import (
	"net/url"
	"strconv"
)

// Routes the views link to and post to. The web layer registers the same
// paths; these builders are the one place that spells them.
const (
	InboxURL            = "/"
	ConversationsURL    = "/conversations"
	NewConversationURL  = "/conversations/new"
	MeterURL            = "/compose/meter"
	EventsURL           = "/events"
	LoginURL            = "/login"
	LogoutURL           = "/auth/logout"
	DevSignInURL        = "/auth/dev"
	KeywordRulesURL     = "/settings/keywords"
	KeywordPreviewURL   = "/settings/keywords/preview"
	UsersURL            = "/settings/users"
	APISendURL          = "/api/sms/send"
	MentionsURL         = "/mentions"
	LabelsURL           = "/settings/labels"
	AuditURL            = "/settings/audit"
	CannedRepliesURL    = "/settings/canned"
	AvailableURL        = "/me/available"
	MentionsBadgeURL    = "/mentions/badge"
	csrfFieldName       = "_csrf"
	conversationsPrefix = "/conversations/"
	messagesPrefix      = "/messages/"
)

// Conversation list filters, as the ?filter= value.
const (
	FilterOpen     = "open"
	FilterClosed   = "closed"
	FilterAll      = "all"
	FilterOptedOut = "opted_out"
	// FilterMine and FilterUnassigned list open conversations assigned to
	// the viewer, and to nobody.
	FilterMine       = "mine"
	FilterUnassigned = "unassigned"
	// FilterSnoozed lists open conversations that are snoozed.
	FilterSnoozed = "snoozed"
	// FilterFailed lists open conversations whose last reply failed.
	FilterFailed = "failed"
)

// Thread actions, the last path element of POST /conversations/{id}/{action}.
const (
	ActionClose   = "close"
	ActionReopen  = "reopen"
	ActionBlock   = "block"
	ActionUnblock = "unblock"
	ActionOptOut  = "opt-out"
	// ActionOptIn posts OptInReasonField; only admins may.
	ActionOptIn = "opt-in"
	// ActionAssign posts the form field AssigneeField: a user ID, AssignMe
	// or "" for nobody.
	ActionAssign = "assign"
	// ActionLabel posts LabelField (a label ID) and on ("true" puts it
	// on, "false" takes it off).
	ActionLabel = "label"
	// ActionSnooze posts SnoozeField, a duration such as "4h";
	// ActionWake ends a snooze.
	ActionSnooze = "snooze"
	ActionWake   = "wake"
)

// AssigneeField and AssignMe are the assign action's form field and the
// value that means "me".
const (
	AssigneeField = "assignee"
	AssignMe      = "me"
	LabelField    = "label"
	SnoozeField   = "for"
	// OptInReasonField says why an admin opts a contact back in.
	OptInReasonField = "reason"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// ThreadURL is the page (and htmx partial) of one conversation.
func ThreadURL(conversationID int64) string { return conversationsPrefix + id(conversationID) }

// ThreadActionURL is where a thread action (ActionClose, …) is posted.
func ThreadActionURL(conversationID int64, action string) string {
	return ThreadURL(conversationID) + "/" + action
}

// MessagesURL is where a reply is posted.
func MessagesURL(conversationID int64) string { return ThreadURL(conversationID) + "/messages" }

// ContactURL is where a conversation's contact details are posted.
func ContactURL(conversationID int64) string { return ThreadURL(conversationID) + "/contact" }

// NotesURL is where an internal note is posted.
func NotesURL(conversationID int64) string { return ThreadURL(conversationID) + "/notes" }

// OlderMessagesURL pages a thread backwards from the before cursor.
func OlderMessagesURL(conversationID int64, before string) string {
	return MessagesURL(conversationID) + "?" + url.Values{"before": {before}}.Encode()
}

// TimelineURL is the delivery timeline fragment of one message.
func TimelineURL(messageID int64) string { return messagesPrefix + id(messageID) + "/timeline" }

// RetryURL is where "send again" of a failed message is posted.
func RetryURL(messageID int64) string { return messagesPrefix + id(messageID) + "/retry" }

// ListURL is the conversation list with a filter, search and cursor; empty
// values are left out.
func ListURL(filter, query, cursor string) string {
	return FilteredListURL(filter, query, cursor, 0, "")
}

// FilteredListURL is ListURL showing only the conversations with a label
// (0: any) on one of our numbers ("": any).
func FilteredListURL(filter, query, cursor string, label int64, number string) string {
	v := url.Values{}
	if label != 0 {
		v.Set("label", id(label))
	}
	if number != "" {
		v.Set("number", number)
	}
	if filter != "" {
		v.Set("filter", filter)
	}
	if query != "" {
		v.Set("q", query)
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return ConversationsURL
	}
	return ConversationsURL + "?" + v.Encode()
}

// KeywordRuleURL is where an edited rule is posted.
func KeywordRuleURL(ruleID int64) string { return KeywordRulesURL + "/" + id(ruleID) }

// KeywordRuleActionURL is where a rule's "move", "toggle" or "delete" is posted.
func KeywordRuleActionURL(ruleID int64, action string) string {
	return KeywordRuleURL(ruleID) + "/" + action
}

// UserActionURL is where a user's "role" change or "remove" is posted.
func UserActionURL(userID int64, action string) string {
	return UsersURL + "/" + id(userID) + "/" + action
}

// LabelURL is where an edited label is posted.
func LabelURL(labelID int64) string { return LabelsURL + "/" + id(labelID) }

// LabelActionURL is where a label's "delete" is posted.
func LabelActionURL(labelID int64, action string) string {
	return LabelURL(labelID) + "/" + action
}

// ThreadHeaderURL is a conversation's thread header alone.
func ThreadHeaderURL(conversationID int64) string { return ThreadURL(conversationID) + "/header" }

func threadHeaderID(conversationID int64) string { return "thread-header-" + id(conversationID) }

func threadSyncID(conversationID int64) string { return "thread-sync-" + id(conversationID) }
