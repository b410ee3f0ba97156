package web

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// reportCSVHeader names the columns of a report download: one figure a
// row, so a spreadsheet can filter by section and pivot by bucket.
var reportCSVHeader = []string{"section", "figure", "when", "value", "previous"}

// writeReportCSV answers with r as CSV. Times are RFC 3339 in the team's
// time zone; durations are whole seconds.
func writeReportCSV(c *fiber.Ctx, r inbox.Report) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="parley-report-%s-to-%s.csv"`,
		r.Query.Range.First.Format(time.DateOnly), r.Query.Range.Last.Format(time.DateOnly)))
	c.Set(fiber.HeaderCacheControl, "no-store")
	w := csv.NewWriter(c.Response().BodyWriter())
	rows := reportRows(r)
	if err := w.Write(reportCSVHeader); err != nil {
		return err
	}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

func reportRows(r inbox.Report) [][]string {
	cur, prev := r.Current, r.Previous
	i, secs := strconv.Itoa, func(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }
	var rows [][]string
	add := func(section, figure, when string, value, previous string) {
		rows = append(rows, []string{section, figure, when, value, previous})
	}
	add("period", "first day", "", r.Query.Range.First.Format(time.DateOnly), prev.Range.First.Format(time.DateOnly))
	add("period", "last day", "", r.Query.Range.Last.Format(time.DateOnly), prev.Range.Last.Format(time.DateOnly))
	add("period", "time zone", "", r.TimeZone.String(), r.TimeZone.String())
	add("totals", "conversations opened", "", i(cur.Opened), i(prev.Opened))
	add("totals", "texts received", "", i(cur.Received), i(prev.Received))
	add("totals", "texts sent", "", i(cur.Sent), i(prev.Sent))
	add("totals", "waits unanswered", "", i(cur.Waiting), i(prev.Waiting))
	for _, f := range []struct {
		name      string
		cur, prev inbox.Durations
	}{{"open hours", cur.FirstResponseInside, prev.FirstResponseInside}, {"closed hours", cur.FirstResponseOutside, prev.FirstResponseOutside}} {
		add("first response", f.name+": waits answered", "", i(f.cur.Count), i(f.prev.Count))
		add("first response", f.name+": median seconds", "", secs(f.cur.Median), secs(f.prev.Median))
		add("first response", f.name+": 90th percentile seconds", "", secs(f.cur.P90), secs(f.prev.P90))
	}
	add("resolution time", "closes", "", i(cur.Resolution.Count), i(prev.Resolution.Count))
	add("resolution time", "median seconds", "", secs(cur.Resolution.Median), secs(prev.Resolution.Median))
	add("resolution time", "90th percentile seconds", "", secs(cur.Resolution.P90), secs(prev.Resolution.P90))
	for _, d := range []struct {
		name      string
		cur, prev int
	}{
		{"delivered", cur.Delivery.Delivered, prev.Delivery.Delivered}, {"undelivered", cur.Delivery.Undelivered, prev.Delivery.Undelivered},
		{"failed", cur.Delivery.Failed, prev.Delivery.Failed}, {"unconfirmed", cur.Delivery.Unconfirmed, prev.Delivery.Unconfirmed},
		{"opt-outs by keyword", cur.Consent.OptOuts.Keyword, prev.Consent.OptOuts.Keyword},
		{"opt-outs by carrier", cur.Consent.OptOuts.Carrier, prev.Consent.OptOuts.Carrier},
		{"opt-outs by hand", cur.Consent.OptOuts.ByHand, prev.Consent.OptOuts.ByHand},
		{"opt-ins by keyword", cur.Consent.OptIns.Keyword, prev.Consent.OptIns.Keyword},
		{"opt-ins by carrier", cur.Consent.OptIns.Carrier, prev.Consent.OptIns.Carrier},
		{"opt-ins by hand", cur.Consent.OptIns.ByHand, prev.Consent.OptIns.ByHand},
	} {
		section := "delivery"
		if len(d.name) > 4 && d.name[:4] == "opt-" {
			section = "consent"
		}
		add(section, d.name, "", i(d.cur), i(d.prev))
	}
	for _, s := range []struct {
		name   string
		values []int
	}{
		{"conversations opened", cur.OpenedSeries}, {"texts received", cur.ReceivedSeries}, {"texts sent", cur.SentSeries},
		{"opt-outs", cur.Consent.OptOutSeries}, {"opt-ins", cur.Consent.OptInSeries}, {"closes", cur.ResolvedSeries},
	} {
		for k, v := range s.values {
			add("by bucket", s.name, r.Buckets[k].In(r.TimeZone).Format(time.RFC3339), i(v), "")
		}
	}
	for d := range 7 {
		for h := range 24 {
			add("texts by weekday and hour", time.Weekday(d).String(), fmt.Sprintf("%02d:00", h), i(r.Heat[d][h]), "")
		}
	}
	for _, a := range r.Agents {
		who := cell(a.User.Email)
		add("agents", who+": conversations", "", i(a.Conversations), "")
		add("agents", who+": replies", "", i(a.Replies), "")
		add("agents", who+": median first response seconds", "", secs(a.FirstResponse.Median), "")
		add("agents", who+": resolved", "", i(a.Resolved), "")
		add("agents", who+": open now", "", i(a.OpenNow), "")
	}
	for _, e := range r.Errors {
		add("delivery errors", e.Code+": "+e.Words, "", i(e.Count), "")
	}
	for _, b := range r.Busiest {
		add("busiest contacts", numberCell(b.Conversation.ContactNumber), strconv.FormatInt(b.Conversation.ID, 10), i(b.Texts), "")
	}
	for _, w := range r.Unanswered {
		add("unanswered", numberCell(w.Conversation.ContactNumber), w.Since.In(r.TimeZone).Format(time.RFC3339), secs(r.GeneratedAt.Sub(w.Since)), "")
	}
	return rows
}
