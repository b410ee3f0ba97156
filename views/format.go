package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/parleyhq/parley/app/inbox"
)

// RelativeTime is the short label lists show for t, counted from now and in
// now's time zone: "now", "5m", "2h", "3d", then "Mar 3", and "Mar 3, 2024"
// for another year. A t in the future reads "now" (clocks drift).
func RelativeTime(now, t time.Time) string {
	t = t.In(now.Location())
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 7*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case t.Year() == now.Year():
		return t.Format("Jan 2")
	}
	return t.Format("Jan 2, 2006")
}

// DayLabel names the day of t for separators in a thread: "Today",
// "Yesterday", "Mon, Mar 3", or "Mar 3, 2024" for another year.
func DayLabel(now, t time.Time) string {
	t = t.In(now.Location())
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	switch {
	case ty == ny && tm == nm && td == nd:
		return "Today"
	case sameDay(t, now.AddDate(0, 0, -1)):
		return "Yesterday"
	case ty == ny:
		return t.Format("Mon, Jan 2")
	}
	return t.Format("Jan 2, 2006")
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.In(a.Location()).Date()
	return ay == by && am == bm && ad == bd
}

// clock is the time of day of t in now's zone, "14:05".
func clock(now, t time.Time) string { return t.In(now.Location()).Format("15:04") }

// fullTime is the tooltip of a time, "Mon, Mar 3 2026, 14:05 UTC".
func fullTime(now, t time.Time) string {
	return t.In(now.Location()).Format("Mon, Jan 2 2006, 15:04 MST")
}

// shortDate is "Mar 3, 14:05" (this year) or "Mar 3 2024, 14:05".
func shortDate(now, t time.Time) string {
	t = t.In(now.Location())
	if t.Year() == now.Year() {
		return t.Format("Jan 2, 15:04")
	}
	return t.Format("Jan 2 2006, 15:04")
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// PageTitle is the document title: "Keyword replies · Parley", or just
// "Parley", with "(3) " in front while there are unread conversations.
func PageTitle(title string, unread int) string {
	s := "Parley"
	if title != "" {
		s = title + " · Parley"
	}
	if unread > 0 {
		s = "(" + strconv.Itoa(unread) + ") " + s
	}
	return s
}

// thousands formats n with comma separators: 1600 -> "1,600".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// initials are up to two letters for an avatar: "Ada Lovelace" -> "AL".
func initials(name string) string {
	var out []rune
	for _, f := range strings.Fields(name) {
		for _, r := range f {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				out = append(out, unicode.ToUpper(r))
				break
			}
		}
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// statusWords is the one table of what each status is called, what its
// tooltip explains, and whether it is shown as a problem.
var statusWords = map[inbox.Status]struct {
	label, help string
	problem     bool
}{
	inbox.StatusReceived:    {"Received", "Received from the contact", false},
	inbox.StatusQueued:      {"Queued", "Waiting in the outbox to be sent", false},
	inbox.StatusSending:     {"Sending", "Being handed to Plivo", false},
	inbox.StatusSent:        {"Sent", "Accepted by the carrier; waiting for a delivery report", false},
	inbox.StatusDelivered:   {"Delivered", "The carrier confirmed delivery to the phone", false},
	inbox.StatusUndelivered: {"Undelivered", "The carrier could not deliver it to the phone", true},
	inbox.StatusFailed:      {"Failed", "Sending failed", true},
	inbox.StatusRejected:    {"Rejected", "Plivo refused to send it", true},
}

// StatusLabel is the word shown beside a message's status icon.
func StatusLabel(s inbox.Status) string {
	if w, ok := statusWords[s]; ok {
		return w.label
	}
	if s == "" {
		return "Unknown"
	}
	return string(s)
}

// statusHelp is the tooltip that explains a status, with the carrier's
// error code when there is one.
func statusHelp(m inbox.Message) string {
	s := "Status unknown"
	if w, ok := statusWords[m.Status]; ok {
		s = w.help
	}
	if m.ErrorCode != "" {
		s += " (error " + m.ErrorCode + ")"
	}
	return s
}

func statusProblem(s inbox.Status) bool { return statusWords[s].problem }

// nonGSMName shows the character that forced UCS-2 so a person can find
// it: the character itself in quotes, or its code point when it is
// invisible (a no-break space pasted from a document is the usual culprit).
func nonGSMName(r rune) string {
	if unicode.IsSpace(r) || !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) {
		return fmt.Sprintf("U+%04X", r)
	}
	return "“" + string(r) + "”"
}

// nonGSMNames lists the characters that forced Unicode, as the meter
// names them: "“é”, “ü”", and "and more" past inbox.MaxNamedNonGSM.
func nonGSMNames(rs []rune) string {
	names := make([]string, 0, len(rs))
	for i, r := range rs {
		if i == inbox.MaxNamedNonGSM {
			names = append(names, "and more")
			break
		}
		names = append(names, nonGSMName(r))
	}
	return strings.Join(names, ", ")
}

// channelNumbers names our numbers for a sentence: "+1 415-555-0199",
// "+1 415-555-0199 or +44 20 7183 8750", or "your Plivo number" when
// none is configured.
func channelNumbers(cs []inbox.Channel) string {
	names := make([]string, 0, len(cs))
	for _, c := range cs {
		names = append(names, c.Number.Display())
	}
	switch len(names) {
	case 0:
		return "your Plivo number"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// encodingName is how the meter names an encoding.
func encodingName(e inbox.Encoding) string {
	if e == inbox.UCS2 {
		return "Unicode"
	}
	return string(e)
}

func consentLabel(e inbox.ConsentEvent) string {
	if e.Kind == inbox.ConsentOptOut {
		return "Opted out"
	}
	return "Opted in"
}

// consentCause says what caused a consent change: "texted STOP", "carrier
// opt-out", "by Ada".
func consentCause(e inbox.ConsentEvent, actors map[int64]string) string {
	switch e.Source {
	case "keyword":
		if e.Keyword != "" {
			return "texted " + e.Keyword
		}
		return "by keyword"
	case "intent":
		return "carrier flagged the text as " + strings.TrimPrefix(e.Keyword, "intent:")
	case "carrier":
		return "reported by the carrier"
	case "agent":
		if name := actors[e.ActorID]; name != "" {
			return "by " + name
		}
		return "by an agent"
	case "manual":
		by := "by an admin"
		if name := actors[e.ActorID]; name != "" {
			by = "by " + name
		}
		return by + ": " + e.Reason
	}
	return e.Source
}

func filterLabel(f string) string {
	switch f {
	case FilterOpen:
		return "Open"
	case FilterClosed:
		return "Closed"
	case FilterAll:
		return "All"
	case FilterOptedOut:
		return "Opted out"
	case FilterMine:
		return "Mine"
	case FilterUnassigned:
		return "Unassigned"
	case FilterSnoozed:
		return "Snoozed"
	case FilterFailed:
		return "Failed"
	}
	return f
}

// filters is the order of the list's tabs.
var filters = []string{FilterOpen, FilterMine, FilterUnassigned, FilterSnoozed, FilterFailed, FilterClosed, FilterAll, FilterOptedOut}

func normFilter(f string) string {
	for _, x := range filters {
		if f == x {
			return f
		}
	}
	return FilterOpen
}

func roleLabel(r inbox.Role) string {
	switch r {
	case inbox.RoleAdmin:
		return "Admin"
	case inbox.RoleAgent:
		return "Agent"
	}
	return string(r)
}

func keywordList(k []string) string { return strings.Join(k, ", ") }

// previewWhy explains a keyword decision to an admin.
func previewWhy(d inbox.Decision) string {
	switch d.Consent {
	case inbox.ConsentOptOut:
		return "Opts the contact out (the law), then replies:"
	case inbox.ConsentOptIn:
		return "Opts the contact back in, then replies:"
	}
	if d.Keyword != "" {
		return "Matches " + d.Keyword + ", so Parley replies:"
	}
	return "Parley replies:"
}

// channelLabel names one of our numbers in a picker: the inbox's name and
// its number, or the number alone when it has no name.
func channelLabel(ch inbox.Channel) string {
	if ch.Name == "" || ch.Name == ch.Number.Display() {
		return ch.Number.Display()
	}
	return ch.Name + " · " + ch.Number.Display()
}
