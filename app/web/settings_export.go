package web

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleExportPage shows the export form.
func (s *server) handleExportPage(c *fiber.Ctx) error {
	p, err := s.exportProps(c, views.ExportForm{Format: "csv"})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.ExportPage(p))
}

func (s *server) exportProps(c *fiber.Ctx, f views.ExportForm) (views.ExportProps, error) {
	labels, err := s.page(c).labels()
	if err != nil {
		return views.ExportProps{}, err
	}
	hours, err := s.deps.Inbox.BusinessHoursSettings(c.UserContext())
	if err != nil {
		return views.ExportProps{}, err
	}
	return views.ExportProps{Form: f, Numbers: s.deps.Inbox.Numbers(), Labels: labels, TimeZone: hours.Location().String()}, nil
}

// handleExport streams the conversations the form selects as a CSV or
// NDJSON download: written as it is read, a page of messages at a time,
// so a million messages take no more memory than a thousand. A refused
// form comes back with the reason (422).
func (s *server) handleExport(c *fiber.Ctx) error {
	f := views.ExportForm{
		From: c.FormValue("from"), To: c.FormValue("to"), Number: c.FormValue("number"),
		Label: c.FormValue("label"), Format: c.FormValue("format"),
	}
	q, err := s.exportQuery(c, f)
	if err != nil {
		return refuseForm(err, func(status int, reason string) error {
			p, err := s.exportProps(c, f)
			if err != nil {
				return err
			}
			p.Error = reason
			return s.render(c, status, views.ExportPage(p))
		})
	}
	names, err := s.exportNames(s.page(c))
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	// The stream writer runs after this handler returns, on a context of
	// its own: Fiber reuses c.
	ctx := context.WithoutCancel(c.UserContext())
	stamp := time.Now().UTC().Format("2006-01-02-1504")
	ext, contentType := "csv", "text/csv; charset=utf-8"
	if f.Format == "ndjson" {
		ext, contentType = "ndjson", "application/x-ndjson"
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="parley-export-%s.%s"`, stamp, ext))
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.log.With("admin", u.Email, "format", ext, "from", f.From, "to", f.To, "number", f.Number, "label", f.Label)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		var enc exportEncoder
		if ext == "ndjson" {
			enc = newNDJSONExport(w, names)
		} else {
			csvEnc, err := newCSVExport(w, names)
			if err != nil {
				return
			}
			enc = csvEnc
		}
		start := time.Now()
		n, err := s.deps.Inbox.Export(ctx, u, q, enc.Write)
		if cerr := enc.Close(err); err == nil {
			err = cerr
		}
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		if err != nil {
			log.Warn("export stopped early", "messages", n, "err", err)
			return
		}
		log.Info("export finished", "messages", n, "duration", time.Since(start).Round(time.Millisecond))
	})
	return nil
}

// exportQuery reads the export form: dates are whole days in the team's
// time zone (business hours), the end day included.
//
// Errors: EINVALID (Field "from", "to", "number", "label" or "format").
func (s *server) exportQuery(c *fiber.Ctx, f views.ExportForm) (inbox.ExportQuery, error) {
	q := inbox.ExportQuery{Format: f.Format}
	if f.Format != "csv" && f.Format != "ndjson" {
		return q, inbox.FieldError("format", "choose CSV or NDJSON")
	}
	hours, err := s.deps.Inbox.BusinessHoursSettings(c.UserContext())
	if err != nil {
		return q, err
	}
	loc := hours.Location()
	day := func(field, v string) (time.Time, error) {
		if strings.TrimSpace(v) == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), loc)
		if err != nil {
			return time.Time{}, inbox.FieldError(field, "%q is not a date", v)
		}
		return t, nil
	}
	if q.From, err = day("from", f.From); err != nil {
		return q, err
	}
	if q.To, err = day("to", f.To); err != nil {
		return q, err
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // the end day is included
	}
	if f.Number != "" {
		q.Channel = inbox.Number(f.Number)
		if !slices.Contains(s.deps.Inbox.Numbers(), q.Channel) {
			return q, inbox.FieldError("number", "%s is not one of our numbers", f.Number)
		}
	}
	if f.Label != "" {
		if q.LabelID, err = strconv.ParseInt(f.Label, 10, 64); err != nil || q.LabelID <= 0 {
			return q, inbox.FieldError("label", "unknown label")
		}
	}
	return q, q.Validate()
}

// exportNames reads what turns ids into names for the file: label names
// and the emails of the agents who sent messages.
func (s *server) exportNames(d *pageData) (exportNames, error) {
	n := exportNames{labels: map[int64]string{}, users: map[int64]string{}, publicURL: s.opts.PublicURL}
	labels, err := d.labels()
	if err != nil {
		return n, err
	}
	for _, l := range labels {
		n.labels[l.ID] = l.Name
	}
	users, err := d.users()
	if err != nil {
		return n, err
	}
	for _, u := range users {
		n.users[u.ID] = u.Email
	}
	return n, nil
}
