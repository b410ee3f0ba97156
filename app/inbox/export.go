package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ExportQuery selects what an export holds: the messages created from
// From up to (not including) To, where a zero end is open, in
// conversations on Channel (empty: every number) that carry LabelID (0:
// any).
type ExportQuery struct {
	From, To time.Time
	Channel  Number
	LabelID  int64
	// Format names the file written ("csv", "ndjson"), for the audit log.
	Format string
}

// Validate checks the query as an admin filled it in.
//
// Errors: EINVALID (Field "to") when the range ends before it starts.
func (q ExportQuery) Validate() error {
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return FieldError("to", "the end of the range must come after its start")
	}
	return nil
}

// ExportRecord is one exported message, with its conversation (LabelIDs
// filled in) and the delivery reports the carrier sent about it.
type ExportRecord struct {
	Conversation Conversation
	Message      Message
	Events       []MessageEvent
	// Scheduled is the scheduled send the message came from, if any. A
	// scheduled send still waiting or cancelled has no message yet: its
	// record's Message has ID 0 and only the text, numbers and author.
	Scheduled *ScheduledMessage
}

// ExportStore streams what an export selects. The store must implement it
// as well as Store for Export.
type ExportStore interface {
	// ExportMessages calls fn with each selected message, by conversation
	// and then message, reading a page at a time so that memory stays flat
	// however many messages there are. It stops at fn's first error and
	// returns it.
	ExportMessages(ctx context.Context, q ExportQuery, fn func(ExportRecord) error) error
}

// Export streams the messages q selects to fn, for an admin taking the
// team's history elsewhere; it returns how many it passed on. Nothing is
// changed, but the audit log records the export, what it selected and how
// many messages went out, finished or not.
//
// Errors: EFORBIDDEN unless actor is an admin; EINVALID (Field "to") when
// the range ends before it starts; EUNAVAILABLE; fn's own error.
func (s *Service) Export(ctx context.Context, actor User, q ExportQuery, fn func(ExportRecord) error) (int, error) {
	if !actor.IsAdmin() {
		return 0, Errorf(EFORBIDDEN, "only admins can export conversations")
	}
	if err := q.Validate(); err != nil {
		return 0, err
	}
	es, ok := s.store.(ExportStore)
	if !ok {
		return 0, Errorf(EINTERNAL, "this store cannot export")
	}
	n := 0
	var fnErr error
	err := es.ExportMessages(ctx, q, func(r ExportRecord) error {
		if fnErr = fn(r); fnErr != nil {
			return fnErr
		}
		n++
		return nil
	})
	detail := fmt.Sprintf("%s; %d messages", q.describe(s.labelName(ctx, q.LabelID)), n)
	if err != nil {
		detail += "; stopped early"
	}
	auditErr := s.audit(ctx, actor, AuditExport, strings.ToUpper(q.Format), detail)
	switch {
	case err == nil:
		return n, auditErr
	case fnErr != nil:
		return n, fnErr
	}
	return n, unavailable(err)
}

// labelName names a label for the audit log; its id when it cannot.
func (s *Service) labelName(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	labels, err := s.store.Labels(ctx)
	if err == nil {
		for _, l := range labels {
			if l.ID == id {
				return l.Name
			}
		}
	}
	return fmt.Sprintf("#%d", id)
}

// describe says what q selects, for the audit log.
func (q ExportQuery) describe(label string) string {
	parts := []string{"all dates"}
	switch {
	case !q.From.IsZero() && !q.To.IsZero():
		parts[0] = "from " + q.From.Format(time.DateOnly) + " to before " + q.To.Format(time.DateOnly)
	case !q.From.IsZero():
		parts[0] = "from " + q.From.Format(time.DateOnly)
	case !q.To.IsZero():
		parts[0] = "before " + q.To.Format(time.DateOnly)
	}
	if q.Channel != "" {
		parts = append(parts, "number "+string(q.Channel))
	}
	if label != "" {
		parts = append(parts, "label "+label)
	}
	return strings.Join(parts, "; ")
}
