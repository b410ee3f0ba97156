package views

import "github.com/parleyhq/parley/app/inbox"

// AuditProps is the audit log screen: one page, newest first.
type AuditProps struct {
	Entries []inbox.AuditEntry
	// Names are the display names of actors who still exist, by ID.
	Names map[int64]string
	// Before loads the next (older) page; 0 when there is none.
	Before int64
}

func (p AuditProps) actor(e inbox.AuditEntry) string {
	if n := p.Names[e.ActorID]; n != "" {
		return n
	}
	if e.ActorEmail != "" {
		return e.ActorEmail
	}
	return "Someone"
}

// auditVerb says what an entry records, in words.
func auditVerb(a inbox.AuditAction) string {
	switch a {
	case inbox.AuditSignIn:
		return "signed in"
	case inbox.AuditUserInvited:
		return "invited"
	case inbox.AuditRoleChanged:
		return "changed the role of"
	case inbox.AuditUserRemoved:
		return "removed"
	case inbox.AuditRuleSaved:
		return "saved the keyword rule"
	case inbox.AuditRuleDeleted:
		return "deleted the keyword rule"
	case inbox.AuditRuleMoved:
		return "moved the keyword rule"
	case inbox.AuditOptOutByAgent:
		return "opted out by hand"
	case inbox.AuditOptInByAgent:
		return "opted in by hand"
	case inbox.AuditLabelSaved:
		return "saved the label"
	case inbox.AuditLabelDeleted:
		return "deleted the label"
	case inbox.AuditHoursSaved:
		return "saved business hours"
	case inbox.AuditExport:
		return "exported"
	case inbox.AuditCannedCreated:
		return "created the canned reply"
	case inbox.AuditCannedEdited:
		return "edited the canned reply"
	case inbox.AuditCannedDeleted:
		return "deleted the canned reply"
	case inbox.AuditBlocked:
		return "blocked"
	case inbox.AuditUnblocked:
		return "unblocked"
	case inbox.AuditAssigned:
		return "changed who is assigned to"
	case inbox.AuditAPITokenCreated:
		return "created the API token"
	case inbox.AuditAPITokenRevoked:
		return "revoked the API token"
	case inbox.AuditAPITokenDenied:
		return "was refused with the API token"
	case inbox.AuditWebhookCreated:
		return "added the webhook to"
	case inbox.AuditWebhookEdited:
		return "edited the webhook to"
	case inbox.AuditWebhookDeleted:
		return "deleted the webhook to"
	case inbox.AuditWebhookRotated:
		return "rotated the signing secret of the webhook to"
	case inbox.AuditWebhookPaused:
		return "paused the webhook to"
	case inbox.AuditWebhookResumed:
		return "resumed the webhook to"
	case inbox.AuditWebhookResent:
		return "sent a webhook delivery again to"
	}
	return string(a)
}

// AuditURLBefore is the audit log's page of entries older than before.
func AuditURLBefore(before int64) string { return AuditURL + "?before=" + id(before) }
