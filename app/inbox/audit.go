package inbox

import (
	"context"
	"time"
)

// AuditAction names what an audit entry records.
type AuditAction string

// The actions the audit log records.
const (
	AuditSignIn        AuditAction = "sign_in"
	AuditUserInvited   AuditAction = "user_invited"
	AuditRoleChanged   AuditAction = "role_changed"
	AuditUserRemoved   AuditAction = "user_removed"
	AuditRuleSaved     AuditAction = "keyword_rule_saved"
	AuditRuleDeleted   AuditAction = "keyword_rule_deleted"
	AuditRuleMoved     AuditAction = "keyword_rule_moved"
	AuditOptOutByAgent AuditAction = "opt_out_by_agent"
	AuditOptInByAgent  AuditAction = "opt_in_by_agent"
	AuditLabelSaved    AuditAction = "label_saved"
	AuditLabelDeleted  AuditAction = "label_deleted"
	AuditExport        AuditAction = "export"
	AuditHoursSaved    AuditAction = "business_hours_saved"
	AuditCannedCreated AuditAction = "canned_reply_created"
	AuditCannedEdited  AuditAction = "canned_reply_edited"
	AuditCannedDeleted AuditAction = "canned_reply_deleted"
	AuditBlocked       AuditAction = "contact_blocked"
	AuditUnblocked     AuditAction = "contact_unblocked"
	AuditAssigned      AuditAction = "conversation_assigned"
	// Outgoing webhooks. A pause by Parley itself (the endpoint failed
	// for too long) has no actor.
	AuditWebhookCreated AuditAction = "webhook_created"
	AuditWebhookEdited  AuditAction = "webhook_edited"
	AuditWebhookDeleted AuditAction = "webhook_deleted"
	AuditWebhookRotated AuditAction = "webhook_secret_rotated"
	AuditWebhookPaused  AuditAction = "webhook_paused"
	AuditWebhookResumed AuditAction = "webhook_resumed"
	AuditWebhookResent  AuditAction = "webhook_delivery_resent"
)

// AuditPageSize is how many entries a page of the audit log holds.
const AuditPageSize = 50

// auditDetailMaxRunes bounds an entry's Detail (a keyword reply can be
// long).
const auditDetailMaxRunes = 200

// AuditEntry is one thing someone did that admins may need to account
// for later: who, what, to what, and when.
type AuditEntry struct {
	ID      int64
	ActorID int64
	// ActorEmail is kept beside ActorID so the entry still says who after
	// the user is removed.
	ActorEmail string
	Action     AuditAction
	// Subject is what it was done to: an email, a number, a rule's
	// keywords, a label's name.
	Subject string
	// Detail says more when there is more to say ("agent → admin").
	Detail string
	At     time.Time
}

// AuditLog returns a page of the audit log, newest first, with IDs below
// before (0: from the newest), and the cursor of the next page (0 when
// there is none).
//
// Errors: EFORBIDDEN unless actor is an admin; EUNAVAILABLE.
func (s *Service) AuditLog(ctx context.Context, actor User, before int64) ([]AuditEntry, int64, error) {
	if !actor.IsAdmin() {
		return nil, 0, Errorf(EFORBIDDEN, "only admins can read the audit log")
	}
	entries, err := s.store.AuditLog(ctx, before, AuditPageSize+1)
	if err != nil {
		return nil, 0, unavailable(err)
	}
	var next int64
	if len(entries) > AuditPageSize {
		entries = entries[:AuditPageSize]
		next = entries[AuditPageSize-1].ID
	}
	return entries, next, nil
}

// RecordAudit records that actor did action to subject, for features that
// log their own actions (an export records what it exported). It is not
// idempotent: each call is one entry.
//
// Errors: EINVALID for an empty action; EUNAVAILABLE.
func (s *Service) RecordAudit(ctx context.Context, actor User, action AuditAction, subject, detail string) error {
	if action == "" {
		return FieldError("action", "say what was done")
	}
	return s.audit(ctx, actor, action, subject, detail)
}

// auditEntry is an entry by actor at the clock's time.
func (s *Service) auditEntry(actor User, action AuditAction, subject, detail string) *AuditEntry {
	if r := []rune(detail); len(r) > auditDetailMaxRunes {
		detail = string(r[:auditDetailMaxRunes]) + "…"
	}
	return &AuditEntry{ActorID: actor.ID, ActorEmail: actor.Email, Action: action, Subject: subject, Detail: detail, At: s.now()}
}

// audit records an entry for a change the Users port made, which runs
// outside the store's transactions: the change is done, so a failure
// here is reported as the store being unavailable.
func (s *Service) audit(ctx context.Context, actor User, action AuditAction, subject, detail string) error {
	if err := s.store.AppendAudit(ctx, s.auditEntry(actor, action, subject, detail)); err != nil {
		return unavailable(err)
	}
	return nil
}
