package views

import "github.com/parleyhq/parley/app/inbox"

// ContactPanelProps is the thread's contact panel: what the team knows
// about the number, and the form to change it.
type ContactPanelProps struct {
	ConversationID int64
	Contact        inbox.Contact
	// Open shows the form unfolded (after a refused save).
	Open bool
	// Error says why a save was refused; the form keeps what was typed.
	Error string
}

// blankFieldRows is how many empty field rows the form offers for new
// fields.
const blankFieldRows = 2

func (p ContactPanelProps) fieldRows() []inbox.ContactField {
	rows := append([]inbox.ContactField(nil), p.Contact.Fields...)
	for range blankFieldRows {
		rows = append(rows, inbox.ContactField{})
	}
	return rows
}

func (p ContactPanelProps) summary() string {
	c := p.Contact
	switch {
	case c.Notes != "":
		return c.Notes
	case len(c.Fields) > 0:
		return c.Fields[0].Key + ": " + c.Fields[0].Value
	case c.Name == "":
		return "Add a name, notes and fields"
	}
	return "No notes"
}

func threadTitleID(conversationID int64) string { return "thread-title-" + id(conversationID) }
