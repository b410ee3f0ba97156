package views

import (
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// Sections of the app, for the header's navigation.
const (
	SectionInbox    = "inbox"
	SectionKeywords = "keywords"
	SectionUsers    = "users"
	SectionMentions = "mentions"
	SectionLabels   = "labels"
	SectionAudit    = "audit"
	SectionCanned   = "canned"
	SectionWebhooks = "webhooks"
)

// settingsSections are the admin screens under the header's Settings menu.
var settingsSections = map[string]bool{
	SectionKeywords: true, SectionHours: true, SectionLabels: true, SectionUsers: true, SectionExport: true, SectionAudit: true, SectionCanned: true,
	SectionTokens: true, SectionSending: true, SectionWebhooks: true, SectionPlivo: true,
}

// Toast kinds.
const (
	ToastSuccess = "success"
	ToastInfo    = "info"
	ToastError   = "error"
)

// LayoutProps frame every signed-in page. The user comes from the context
// (WithUser).
type LayoutProps struct {
	// Title is the page's own title; "" for the inbox.
	Title string
	// Unread counts conversations with unread messages; the title shows it.
	Unread int
	// Section highlights the header navigation: SectionInbox, ….
	Section string
	// EventsURL, when set (to EventsURL), connects the page to the live feed
	// over SSE. Empty leaves the live indicator "Offline".
	EventsURL string
}

// Provider is one way to sign in, such as {"google", "Continue with
// Google", "/auth/google"}.
type Provider struct {
	Name  string
	Label string
	URL   string
}

// LoginProps is the sign-in page.
type LoginProps struct {
	Providers []Provider
	// DevSignIn offers "Continue as local admin", posting to DevSignInURL.
	DevSignIn bool
	// Error is shown in red ("Sign-in with Google failed"); Notice in a
	// neutral tone ("Your session expired, sign in again").
	Error  string
	Notice string
	// Next is where to go after signing in; the dev sign-in form posts it
	// as "next" (provider URLs carry their own).
	Next string
}

// ConversationItem is one row of the conversation list.
type ConversationItem struct {
	Conversation inbox.Conversation
	// ContactName is the contact's name when known, else "".
	ContactName string
	// AssigneeName names the person assigned, when there is one.
	AssigneeName string
	// SenderName names the agent who wrote the latest message, when it is
	// outbound and written by someone.
	SenderName string
	// Labels are the conversation's labels.
	Labels []inbox.Label
	// Inbox names our number the conversation is on, when there are
	// several; "" otherwise.
	Inbox string
	// Search is the search the row was found by ("" in a plain list), and
	// Excerpt what it matched in the conversation's texts, notes or contact.
	Search  string
	Excerpt *inbox.SearchExcerpt
}

// Title is the contact's name, or their number formatted for people.
func (c ConversationItem) Title() string {
	if c.ContactName != "" {
		return c.ContactName
	}
	return c.Conversation.ContactNumber.Display()
}

// ConversationListProps is the list region: filter tabs, rows, "Load more".
type ConversationListProps struct {
	Conversations []ConversationItem
	// Filter is FilterOpen, FilterClosed, FilterAll or FilterOptedOut; ""
	// means FilterOpen.
	Filter     string
	Query      string
	NextCursor string
	// SelectedID marks the open conversation's row.
	SelectedID int64
	// Label narrows the list to one label (0: any); Labels are all the
	// labels, for the label filter.
	Label  int64
	Labels []inbox.Label
	// Number narrows the list to one of our numbers ("": all); Channels
	// are our numbers, for the inbox filter shown when there are several.
	Number   string
	Channels []inbox.Channel
	// Development is development mode, where texts come from the simulated
	// carrier: the empty list says how to send one.
	Development bool
	// Counts are the numbers on the tabs.
	Counts inbox.TabCounts
}

// InboxProps is the inbox page: the list, and the open thread if any.
type InboxProps struct {
	Conversations []ConversationItem
	Filter        string
	Query         string
	NextCursor    string
	// Selected is the open conversation; nil shows the list alone on
	// phones and a placeholder beside it on larger screens.
	Selected *ThreadProps
	// Compose, when set and Selected is nil, shows the new message form in
	// the thread pane (GET /conversations/new as a page).
	Compose *NewConversationProps
	// Unread counts conversations with unread messages, for the title.
	Unread    int
	EventsURL string
	// Label, Labels, Number and Channels are ConversationListProps'.
	Label       int64
	Labels      []inbox.Label
	Number      string
	Channels    []inbox.Channel
	Development bool
	Counts      inbox.TabCounts
}

func (p InboxProps) list() ConversationListProps {
	l := ConversationListProps{
		Conversations: p.Conversations,
		Filter:        p.Filter,
		Query:         p.Query,
		NextCursor:    p.NextCursor,
		Label:         p.Label,
		Labels:        p.Labels,
		Number:        p.Number,
		Channels:      p.Channels,
		Development:   p.Development,
		Counts:        p.Counts,
	}
	if p.Selected != nil {
		l.SelectedID = p.Selected.Conversation.ID
	}
	return l
}

// MessageItem is one message of a thread.
type MessageItem struct {
	Message inbox.Message
	// SentByName names the agent who wrote an outbound message, if known.
	SentByName string
	// FailureReason says in plain words why an outbound message did not
	// reach the contact; "" when it did not fail.
	FailureReason string
}

// TimelineProps is the delivery timeline of one outbound message: what
// Parley did with it and every report the carrier sent.
type TimelineProps struct {
	Message inbox.Message
	// Entries are the carrier's reports, in the order it made them.
	Entries []TimelineEntry
	// ErrorText says in Parley's words why the message failed or is being
	// retried (Message.ErrorMessage); "" when the reports say it all.
	ErrorText string
}

// TimelineEntry is one delivery report.
type TimelineEntry struct {
	// Status is the carrier's word ("queued", "sent", "delivered", …).
	Status inbox.Status
	At     time.Time
	// ErrorCode is the carrier's code, if any; Explanation says in plain
	// words what it means.
	ErrorCode   string
	Explanation string
}

// ThreadProps is one conversation: header and actions, consent history,
// messages and composer.
type ThreadProps struct {
	Conversation inbox.Conversation
	ContactName  string
	// Inbox names our number the conversation is on ("Support").
	Inbox string
	// Messages are oldest first.
	Messages []MessageItem
	// Notes are the internal notes in the span of Messages, oldest first.
	Notes []NoteItem
	// Activity is who did what to the conversation in the same span,
	// oldest first.
	Activity []ActivityItem
	// Consent is the contact's consent history, newest first.
	Consent []inbox.ConsentEvent
	// ConsentActors names the agents in Consent by ActorID.
	ConsentActors map[int64]string
	// OlderCursor, when set, adds a "load older" trigger at the top.
	OlderCursor string
	// Composer carries a draft and its error after a failed send; its
	// ConversationID and DisabledReason are filled in from Conversation.
	Composer ComposerProps
	// Filter is the list filter to go back to on phones.
	Filter string
	// Assignment is the header's assignee control.
	Assignment AssignmentProps
	// Labels are the header's labels; ConversationID is filled in.
	Labels ThreadLabelsProps
	// Contact is what the team knows about the number (its Name is
	// ContactName).
	Contact inbox.Contact
	// Canned are the canned replies, filled for this conversation.
	Canned []CannedChoice
	// Scheduled are the messages waiting to be sent, shown at the end.
	Scheduled []ScheduledItem
}

func (p ThreadProps) item() ConversationItem {
	item := ConversationItem{Conversation: p.Conversation, ContactName: p.ContactName, AssigneeName: p.Assignment.Assignee.DisplayName(), Labels: p.Labels.On}
	for _, u := range p.Assignment.People {
		if u.ID == p.Conversation.LastMessageSentBy {
			item.SenderName = u.DisplayName()
		}
	}
	return item
}

func (p ThreadProps) assignment() AssignmentProps {
	a := p.Assignment
	a.ConversationID = p.Conversation.ID
	return a
}

func (p ThreadProps) contactPanel() ContactPanelProps {
	c := p.Contact
	c.Number = p.Conversation.ContactNumber
	return ContactPanelProps{ConversationID: p.Conversation.ID, Contact: c}
}

func (p ThreadProps) labels() ThreadLabelsProps {
	l := p.Labels
	l.ConversationID = p.Conversation.ID
	return l
}

func (p ThreadProps) composer() ComposerProps {
	c := ComposerFor(p.Conversation)
	c.Text, c.Error, c.SendAt = p.Composer.Text, p.Composer.Error, p.Composer.SendAt
	if p.Composer.DisabledReason != "" {
		c.DisabledReason = p.Composer.DisabledReason
	}
	return c
}

// OlderMessagesProps is one page of older messages, for the "load older"
// trigger to replace itself with.
type OlderMessagesProps struct {
	ConversationID int64
	// Messages are oldest first.
	Messages []MessageItem
	// Notes are the internal notes in the span of Messages, oldest first.
	Notes       []NoteItem
	Activity    []ActivityItem
	OlderCursor string
}

// ComposerProps is the reply form of a thread.
type ComposerProps struct {
	ConversationID int64
	// Text is the draft, kept after a failed send.
	Text string
	// Error is shown under the text box (422 answers).
	Error string
	// DisabledReason, when set, disables the form and says why.
	DisabledReason string
	// ContactZone is the contact's time zone from their number, for Send
	// later; SendAt is its picker's value kept after a refusal.
	ContactZone, SendAt string
	// Attachments are the files waiting to go with the reply.
	Attachments []Attachment
	// MediaDisabledReason, when set, turns attachments off and says why.
	MediaDisabledReason string
}

// ComposerFor is an empty composer for c, disabled when the contact has
// opted out or is blocked.
func ComposerFor(c inbox.Conversation) ComposerProps {
	p := ComposerProps{ConversationID: c.ID, ContactZone: c.ContactNumber.TimeZone(), MediaDisabledReason: mediaDisabledReason(c)}
	switch {
	case c.OptedOut():
		p.DisabledReason = "This contact opted out, so Parley will not text them. Replying opens again when they text START."
	case c.Status == inbox.ConversationBlocked:
		p.DisabledReason = "This contact is blocked. Unblock them to reply."
	}
	return p
}

// NewConversationProps is the form to text a number first.
type NewConversationProps struct {
	To   string
	Text string
	// From is the chosen channel number when Channels has more than one.
	From     string
	Channels []inbox.Channel
	// ToError and TextError are field errors; Error is any other.
	ToError   string
	TextError string
	Error     string
}

// KeywordRulesProps is the keyword replies settings screen.
type KeywordRulesProps struct {
	// Rules are sorted by Position.
	Rules []inbox.KeywordRule
	// Draft is the add form (ID 0) or the rule being edited, redisplayed
	// with its Error after a failed save.
	Draft   KeywordRuleDraft
	Preview KeywordPreviewProps
}

// KeywordRuleDraft is what an admin typed into a rule form.
type KeywordRuleDraft struct {
	ID       int64
	Keywords string
	Reply    string
	Error    string
}

// KeywordPreviewProps is the answer to "what would this text get back?".
type KeywordPreviewProps struct {
	Text string
	// OptedOut previews the text as from a contact who has opted out; the
	// form posts it as opted_out=true.
	OptedOut bool
	// Decision is inbox.Decide's answer for Text.
	Decision inbox.Decision
}

// UsersProps is the users settings screen.
type UsersProps struct {
	Users  []inbox.User
	Me     inbox.User
	Invite InviteDraft
}

// InviteDraft is what an admin typed into the invite form.
type InviteDraft struct {
	Email string
	Role  inbox.Role
	Error string
}

func (p InboxProps) selectedThread() ThreadProps {
	t := *p.Selected
	if t.Filter == "" {
		t.Filter = p.Filter
	}
	return t
}
