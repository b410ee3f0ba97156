package inbox

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// CannedReply is a shared snippet agents insert into a reply by its short
// name ("/thanks") or from a picker. Its body may hold placeholders that
// are filled from the contact and the agent (see Placeholders).
type CannedReply struct {
	ID        int64
	Name      string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Placeholders are what a canned reply's {{…}} may name: the contact's
// first name and full name ("there" when unknown), their number, and the
// agent's first name.
var Placeholders = []string{"first_name", "name", "phone", "my_name"}

var (
	cannedName  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,29}$`)
	placeholder = regexp.MustCompile(`\{\{\s*([a-zA-Z_]+)\s*\}\}`)
)

// Fill returns the body with its placeholders filled for contact and
// agent.
func (r CannedReply) Fill(contact Contact, agent User) string {
	name := strings.TrimSpace(contact.Name)
	first := "there"
	if f := strings.Fields(name); len(f) > 0 {
		first = f[0]
	}
	if name == "" {
		name = "there"
	}
	me := agent.DisplayName()
	if f := strings.Fields(agent.Name); len(f) > 0 {
		me = f[0]
	}
	return placeholder.ReplaceAllStringFunc(r.Body, func(m string) string {
		switch strings.ToLower(placeholder.FindStringSubmatch(m)[1]) {
		case "first_name":
			return first
		case "name":
			return name
		case "phone":
			return contact.Number.Display()
		case "my_name":
			return me
		}
		return m
	})
}

// CannedReplies returns every canned reply, by name. Errors: EUNAVAILABLE.
func (s *Service) CannedReplies(ctx context.Context) ([]CannedReply, error) {
	rs, err := s.store.CannedReplies(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	return rs, nil
}

// SaveCannedReply adds a canned reply (ID 0) or changes one.
//
// Errors: EFORBIDDEN unless actor is an admin; EINVALID (field "name" or
// "body") for a name that is not 1-30 lower-case letters, digits, - or _
// (starting with a letter or digit), a body that cannot be sent, or an
// unknown placeholder; ECONFLICT (field "name") for a name in use;
// ENOTFOUND; EUNAVAILABLE.
func (s *Service) SaveCannedReply(ctx context.Context, actor User, r CannedReply) (CannedReply, error) {
	if !actor.IsAdmin() {
		return CannedReply{}, Errorf(EFORBIDDEN, "only admins can change canned replies")
	}
	r.Name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(r.Name), "/"))
	if !cannedName.MatchString(r.Name) {
		return CannedReply{}, FieldError("name", "a short name is 1 to 30 lower-case letters, digits, - or _")
	}
	r.Body = strings.TrimSpace(r.Body)
	if _, err := ValidateText(r.Body); err != nil {
		return CannedReply{}, FieldError("body", "%s", ErrorMessage(err))
	}
	for _, m := range placeholder.FindAllStringSubmatch(r.Body, -1) {
		if !slices.Contains(Placeholders, strings.ToLower(m[1])) {
			return CannedReply{}, FieldError("body", "{{%s}} is not a placeholder; use {{first_name}}, {{name}}, {{phone}} or {{my_name}}", m[1])
		}
	}
	existing, err := s.store.CannedReplies(ctx)
	if err != nil {
		return CannedReply{}, unavailable(err)
	}
	for _, e := range existing {
		if e.ID != r.ID && e.Name == r.Name {
			return CannedReply{}, &Error{Code: ECONFLICT, Field: "name", Message: "/" + r.Name + " is taken"}
		}
	}
	now := s.now()
	action := AuditCannedEdited
	if r.ID == 0 {
		r.CreatedAt, action = now, AuditCannedCreated
	}
	r.UpdatedAt = now
	err = s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		if err := tx.SaveCannedReply(ctx, &r); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.auditEntry(actor, action, "/"+r.Name, r.Body))
	})
	if err != nil {
		return CannedReply{}, unavailable(err)
	}
	return r, nil
}

// DeleteCannedReply removes a canned reply.
//
// Errors: EFORBIDDEN unless actor is an admin; ENOTFOUND; EUNAVAILABLE.
func (s *Service) DeleteCannedReply(ctx context.Context, actor User, id int64) error {
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only admins can change canned replies")
	}
	replies, err := s.store.CannedReplies(ctx)
	if err != nil {
		return unavailable(err)
	}
	var name string
	if i := slices.IndexFunc(replies, func(r CannedReply) bool { return r.ID == id }); i >= 0 {
		name = "/" + replies[i].Name
	}
	err = s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		if err := tx.DeleteCannedReply(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.auditEntry(actor, AuditCannedDeleted, name, ""))
	})
	return unavailableOrNil(err)
}
