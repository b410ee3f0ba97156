package views

import "github.com/parleyhq/parley/app/inbox"

// AssignmentProps is who a conversation is assigned to, as one viewer sees
// it: a menu to change it, or just the name when they may not.
type AssignmentProps struct {
	ConversationID int64
	// Assignee is the person assigned; the zero User when nobody is.
	Assignee inbox.User
	// Me is the viewer.
	Me inbox.User
	// People are everyone the conversation can be assigned to.
	People []inbox.User
	// CanChange is false when the viewer may not reassign (an agent
	// looking at someone else's conversation).
	CanChange bool
}

// Assigned reports whether someone is assigned.
func (p AssignmentProps) Assigned() bool { return p.Assignee.ID != 0 }

// Mine reports whether the viewer is the one assigned.
func (p AssignmentProps) Mine() bool { return p.Assigned() && p.Assignee.ID == p.Me.ID }

// assigneeLabel is the name to show for who is assigned: "You" for the
// viewer.
func (p AssignmentProps) assigneeLabel() string {
	switch {
	case !p.Assigned():
		return "Unassigned"
	case p.Mine():
		return "You"
	}
	return p.Assignee.DisplayName()
}

func (p AssignmentProps) lockedTitle() string {
	if !p.Assigned() {
		return "Unassigned"
	}
	return p.Assignee.DisplayName() + " has this conversation; only they or an admin can reassign it"
}
