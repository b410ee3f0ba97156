package views

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SectionReports is the reports screen's place in the navigation.
const SectionReports = "reports"

// ReportsURL is the reports screen; with format=csv it downloads the
// report instead.
const ReportsURL = "/reports"

// ReportsForm is the reports screen's choices as picked, kept as text so a
// refused custom range comes back as typed.
type ReportsForm struct {
	Range    string // "today", "7d", "30d" or "custom"
	From, To string // YYYY-MM-DD, for "custom"
	Number   string
	Label    string
	Agent    string
	Older    string // hours a text may wait before it is listed unanswered
}

// Query is the form as URL parameters, plus extra ones.
func (f ReportsForm) Query(extra ...string) string {
	v := url.Values{}
	for k, s := range map[string]string{"range": f.Range, "from": f.From, "to": f.To, "number": f.Number, "label": f.Label, "agent": f.Agent, "older": f.Older} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v.Encode()
}

// CSVURL downloads the report the form shows.
func (f ReportsForm) CSVURL() string { return ReportsURL + "?" + f.Query("format", "csv") }

// ReportsProps is the reports screen.
type ReportsProps struct {
	Report  inbox.Report
	Form    ReportsForm
	Numbers []inbox.Number
	Labels  []inbox.Label
	Users   []inbox.User
	// Error, when set, says why the custom range was refused; Report is
	// then empty.
	Error string
}

// reportDuration writes a time span as a team lead reads it: "45 min",
// "3 h 5 min", "2 d 4 h"; "–" when nothing was measured.
func reportDuration(d inbox.Durations, pick func(inbox.Durations) time.Duration) string {
	if d.Count == 0 {
		return "–"
	}
	return spanWords(pick(d))
}

func spanWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	case d < 24*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	days, h := int(d.Hours())/24, int(d.Hours())%24
	if h == 0 {
		return fmt.Sprintf("%d d", days)
	}
	return fmt.Sprintf("%d d %d h", days, h)
}

func median(d inbox.Durations) time.Duration { return d.Median }
func p90(d inbox.Durations) time.Duration    { return d.P90 }

// share writes n of total as a whole percentage.
func share(n, total int) string {
	if total == 0 {
		return "–"
	}
	return strconv.Itoa((n*100+total/2)/total) + "%"
}

// bucketLabel names a chart bar: a day ("Mon 9") or an hour ("14:00").
func bucketLabel(r inbox.Report, t time.Time) string {
	t = t.In(r.TimeZone)
	if r.Query.Range.Hourly() {
		return t.Format("15:04")
	}
	return t.Format("Mon 2")
}

// periodWords says which days a period covers, for the comparison lines.
func periodWords(rr inbox.ReportRange) string {
	if rr.Days() == 1 {
		return rr.First.Format("Mon 2 Jan 2006")
	}
	return rr.First.Format("2 Jan") + " – " + rr.Last.Format("2 Jan 2006")
}

func itoa(n int) string { return strconv.Itoa(n) }

func userName(u inbox.User) string {
	switch {
	case u.Name != "":
		return u.Name
	case u.Email != "":
		return u.Email
	}
	return "Removed user #" + strconv.FormatInt(u.ID, 10)
}

// unansweredChoices are the unanswered list's thresholds, in hours.
var unansweredChoices = []struct{ Value, Label string }{
	{"1", "1 hour"}, {"4", "4 hours"}, {"8", "8 hours"}, {"24", "1 day"}, {"72", "3 days"},
}

// reportRanges are the choices of the range picker.
var reportRanges = []struct{ Value, Label string }{
	{string(inbox.ReportToday), "Today"}, {string(inbox.Report7Days), "7 days"},
	{string(inbox.Report30Days), "30 days"}, {string(inbox.ReportCustom), "Custom"},
}

// One-line definitions of the figures; docs/reports.md gives the exact
// rules and edge cases.
const (
	defOpened        = "New conversations: a contact's first text to one of our numbers, or our first text to them. Reopening does not count."
	defReceived      = "Texts from contacts, by when they arrived."
	defSent          = "Texts we sent, by people and automatic replies alike, by when they were written."
	defFirstResponse = "From a contact's first unanswered text to the next reply written by a person, in clock time; automatic replies and notes do not count. Split by whether the text came inside business hours."
	defResolution    = "From a conversation's opening, or its reopening, to the close, in clock time (snoozes included). Each close counts once, in the period of the close; closed, reopened and closed again is two."
	noteResolution   = "Counts the closes recorded since Parley began keeping activity lines in threads (migration 0027); closes before that are not measured."
	defWaiting       = "Waits that began in the period and have had no reply from a person yet."
	defAgents        = "Per person: conversations and replies written in the period, the median first response of the waits they ended, the conversations they closed, and open conversations assigned to them now."
	defDelivery      = "Texts we sent in the period, by the carrier's latest word: delivered, undelivered, failed, or not confirmed yet."
	defConsent       = "Opt-outs and opt-ins by keyword (STOP, START…), by the carrier (error 200), or by hand in Parley."
	defHeat          = "Contact texts of the period by weekday and hour in the team's time zone."
	defBusiest       = "Conversations whose contacts sent the most texts in the period."
	defUnanswered    = "Contacts whose text, sent in the period, has waited longer than this for a reply from a person, longest first."
	defFilters       = "Number, label and assignee pick conversations: every figure counts only their texts. Assigned to means assigned now."
)
