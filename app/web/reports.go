package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleReports shows the reports screen, or with format=csv downloads the
// same report. Agents see it as admins do; it changes nothing. A custom
// range that cannot be read comes back on the screen with the reason
// (422).
func (s *server) handleReports(c *fiber.Ctx) error {
	f := views.ReportsForm{
		Range: c.Query("range", string(inbox.Report7Days)), From: c.Query("from"), To: c.Query("to"),
		Number: c.Query("number"), Label: c.Query("label"), Agent: c.Query("agent"), Older: c.Query("older"),
	}
	q, err := reportQuery(f)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	r, err := s.deps.Inbox.Report(c.UserContext(), u, q)
	if err != nil && inbox.ErrorCode(err) != inbox.EINVALID {
		return err
	}
	if err == nil && c.Query("format") == "csv" {
		return writeReportCSV(c, r)
	}
	p, perr := s.reportsProps(c, f)
	if perr != nil {
		return perr
	}
	status := fiber.StatusOK
	if err != nil {
		p.Error, status = inbox.ErrorMessage(err), fiber.StatusUnprocessableEntity
	}
	p.Report = r
	return s.render(c, status, views.ReportsPage(p))
}

// reportQuery reads the form's filters; the dates are the domain's to
// read.
//
// Errors: EINVALID (Field "label", "agent" or "older") for a value that
// is not a positive number.
func reportQuery(f views.ReportsForm) (inbox.ReportQuery, error) {
	q := inbox.ReportQuery{Kind: inbox.ReportRangeKind(f.Range), From: f.From, To: f.To}
	q.Filter.Channel = inbox.Number(f.Number)
	for _, p := range []struct {
		field, value string
		into         *int64
	}{{"label", f.Label, &q.Filter.LabelID}, {"agent", f.Agent, &q.Filter.AssigneeID}} {
		if p.value == "" {
			continue
		}
		n, err := strconv.ParseInt(p.value, 10, 64)
		if err != nil || n <= 0 {
			return q, inbox.FieldError(p.field, "malformed %s", p.field)
		}
		*p.into = n
	}
	if f.Older != "" {
		h, err := strconv.Atoi(f.Older)
		if err != nil || h <= 0 || h > 24*31 {
			return q, inbox.FieldError("older", "give the unanswered threshold in hours, 1 to 744")
		}
		q.UnansweredAfter = time.Duration(h) * time.Hour
	}
	return q, nil
}

func (s *server) reportsProps(c *fiber.Ctx, f views.ReportsForm) (views.ReportsProps, error) {
	labels, err := s.page(c).labels()
	if err != nil {
		return views.ReportsProps{}, err
	}
	users, err := s.page(c).users()
	if err != nil {
		return views.ReportsProps{}, err
	}
	return views.ReportsProps{Form: f, Numbers: s.deps.Inbox.Numbers(), Labels: labels, Users: users}, nil
}
