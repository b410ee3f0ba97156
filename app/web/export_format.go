package web

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// exportEncoder writes export records in one format.
type exportEncoder interface {
	// Write encodes one record.
	Write(r inbox.ExportRecord) error
	// Close finishes the file; failed says the export stopped early, which
	// a format that can say so records at its end.
	Close(failed error) error
}

// exportNames turn the ids in a record into what a reader understands.
type exportNames struct {
	labels map[int64]string
	users  map[int64]string // email of each user id
	// publicURL prefixes the links to kept media files.
	publicURL string
}

func (n exportNames) labelList(ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if name, ok := n.labels[id]; ok {
			out = append(out, name)
		}
	}
	return out
}

// exportColumns are the CSV file's columns, one message per row.
var exportColumns = []string{
	"conversation_id", "contact_number", "our_number", "labels", "message_id", "created_at",
	"direction", "status", "from", "to", "body", "segments", "encoding", "media", "sent_by",
	"via", "error_code", "delivery_reports", "scheduled_for", "schedule_state", "attachments",
}

type csvExport struct {
	w     *csv.Writer
	names exportNames
}

func newCSVExport(w io.Writer, names exportNames) (*csvExport, error) {
	e := &csvExport{w: csv.NewWriter(w), names: names}
	return e, e.w.Write(exportColumns)
}

func (e *csvExport) Write(r inbox.ExportRecord) error {
	m := r.Message
	var media, reports []string
	for _, md := range m.Media {
		media = append(media, e.names.mediaURL(md))
	}
	for _, ev := range r.Events {
		s := string(ev.Status) + " " + ev.OccurredAt.UTC().Format(time.RFC3339)
		if ev.ErrorCode != "" {
			s += " (error " + ev.ErrorCode + ")"
		}
		reports = append(reports, s)
	}
	// Every text column goes through the guard: a sender ID, a carrier's
	// error code, a media URL or an address can start a formula as well
	// as a body can.
	due, state := scheduleCells(r.Scheduled)
	return e.w.Write([]string{
		strconv.FormatInt(r.Conversation.ID, 10), numberCell(r.Conversation.ContactNumber), numberCell(r.Conversation.ChannelNumber),
		cell(strings.Join(e.names.labelList(r.Conversation.LabelIDs), "; ")),
		idCell(m.ID), m.CreatedAt.UTC().Format(time.RFC3339Nano),
		cell(string(m.Direction)), cell(string(m.Status)), numberCell(m.From), numberCell(m.To), cell(m.Body),
		strconv.Itoa(m.Segments), cell(string(m.Encoding)), cell(strings.Join(media, " ")), cell(e.names.users[m.SentBy]),
		cell(m.Via), cell(m.ErrorCode), cell(strings.Join(reports, "; ")), due, cell(state), cell(e.names.attachmentsCell(m.Media)),
	})
}

func (e *csvExport) Close(error) error {
	e.w.Flush()
	return e.w.Error()
}

// cell keeps a spreadsheet from running a text as a formula: a contact who
// texts "=HYPERLINK(…)" gets a leading apostrophe, which spreadsheets show
// as plain text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// numberCell is cell for a phone number, except that an E.164 number (+
// and up to 15 digits) stays as it is: + and digits alone cannot run
// anything (a spreadsheet at worst reads them as a number), and the file
// keeps the exact number for whatever imports it. Short codes are digits
// already; an alphanumeric sender ID, which the carrier passes as sent, is
// guarded like any text.
func numberCell(n inbox.Number) string {
	s := string(n)
	if len(s) >= 2 && len(s) <= 16 && s[0] == '+' && s[1] != '0' && strings.Trim(s[1:], "0123456789") == "" {
		return s
	}
	return cell(s)
}

type ndjsonExport struct {
	enc   *json.Encoder
	names exportNames
}

type ndjsonRecord struct {
	Conversation ndjsonConversation `json:"conversation"`
	Message      ndjsonMessage      `json:"message"`
	Delivery     []ndjsonReport     `json:"delivery_reports"`
}

type ndjsonConversation struct {
	ID            int64    `json:"id"`
	ContactNumber string   `json:"contact_number"`
	OurNumber     string   `json:"our_number"`
	Status        string   `json:"status"`
	Labels        []string `json:"labels"`
}

type ndjsonMessage struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Direction string    `json:"direction"`
	Status    string    `json:"status"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Body      string    `json:"body"`
	Segments  int       `json:"segments"`
	Encoding  string    `json:"encoding"`
	Media     []string  `json:"media,omitempty"`
	// Attachments describe the files of Media, in the same order.
	Attachments []exportAttachment `json:"attachments,omitempty"`
	SentBy      string             `json:"sent_by,omitempty"`
	Via         string             `json:"via,omitempty"`
	ErrorCode   string             `json:"error_code,omitempty"`
	// Scheduled is set on a message written with Send later.
	Scheduled *ndjsonSchedule `json:"scheduled,omitempty"`
}

type ndjsonReport struct {
	Status     string    `json:"status"`
	ErrorCode  string    `json:"error_code,omitempty"`
	OccurredAt time.Time `json:"occurred_at"`
}

func newNDJSONExport(w io.Writer, names exportNames) *ndjsonExport {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &ndjsonExport{enc: enc, names: names}
}

func (e *ndjsonExport) Write(r inbox.ExportRecord) error {
	m := r.Message
	rec := ndjsonRecord{
		Conversation: ndjsonConversation{
			ID: r.Conversation.ID, ContactNumber: string(r.Conversation.ContactNumber), OurNumber: string(r.Conversation.ChannelNumber),
			Status: string(r.Conversation.Status), Labels: e.names.labelList(r.Conversation.LabelIDs),
		},
		Message: ndjsonMessage{
			ID: m.ID, CreatedAt: m.CreatedAt.UTC(), Direction: string(m.Direction), Status: string(m.Status),
			From: string(m.From), To: string(m.To), Body: m.Body, Segments: m.Segments, Encoding: string(m.Encoding),
			SentBy: e.names.users[m.SentBy], Via: m.Via, ErrorCode: m.ErrorCode,
		},
		Delivery: make([]ndjsonReport, 0, len(r.Events)),
	}
	for _, md := range m.Media {
		rec.Message.Media = append(rec.Message.Media, e.names.mediaURL(md))
	}
	rec.Message.Scheduled = newNDJSONSchedule(r.Scheduled)
	rec.Message.Attachments = e.names.attachments(m.Media)
	for _, ev := range r.Events {
		rec.Delivery = append(rec.Delivery, ndjsonReport{Status: string(ev.Status), ErrorCode: ev.ErrorCode, OccurredAt: ev.OccurredAt.UTC()})
	}
	return e.enc.Encode(rec)
}

// Close ends an export that stopped early with a line saying so, since
// the status line went out with the first record.
func (e *ndjsonExport) Close(failed error) error {
	if failed == nil {
		return nil
	}
	return e.enc.Encode(map[string]string{"error": "the export stopped early: " + inbox.ErrorMessage(failed)})
}
