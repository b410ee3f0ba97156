package plivo

import (
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// Delivery is one delivery report (message status callback) as Plivo sent
// it. Fields are the trimmed strings of the form, except the counts.
type Delivery struct {
	MessageUUID string
	// Status is lower-case: queued, sent, delivered, undelivered, failed,
	// rejected or read.
	Status    string
	ErrorCode string
	// Sequence orders the reports of one message; 0 when absent or garbage.
	Sequence int
	// Units is the billed parts; 0 when absent or garbage.
	Units              int
	TotalAmount        string
	TotalRate          string
	From, To           string
	MessageTime        string
	QueuedTime         string
	SentTime           string
	DeliveryReportTime string
	// Ref is the ref query parameter of the callback URL: our own message id,
	// set on XML replies, whose MessageUUID we learn only from this report.
	Ref string
	// Raw keeps every form key with its first value, bounded as in
	// ParseInbound.
	Raw map[string]string
}

var deliveryStatuses = map[string]bool{
	"queued": true, "sent": true, "delivered": true, "undelivered": true,
	"failed": true, "rejected": true, "read": true,
}

const maxSequence = 1 << 30

// ParseDelivery reads a delivery report. form holds the report's fields (the
// POST body, or the query itself for a GET callback); query is the callback
// URL's query, where ref lives. ParseDelivery is pure, so it is idempotent.
//
// Errors: EINVALID with Field "Status" for a missing or unknown status,
// "MessageUUID" when it is missing and there is no ref, or malformed, and
// "ref" for a ref that is not 1 to 64 letters, digits or dashes.
func ParseDelivery(form map[string][]string, query map[string][]string) (Delivery, error) {
	d := Delivery{
		MessageUUID:        first(form, "MessageUUID"),
		Status:             strings.ToLower(field(form, "Status")),
		ErrorCode:          field(form, "ErrorCode"),
		TotalAmount:        field(form, "TotalAmount"),
		TotalRate:          field(form, "TotalRate"),
		From:               field(form, "From"),
		To:                 field(form, "To"),
		MessageTime:        field(form, "MessageTime"),
		QueuedTime:         field(form, "QueuedTime"),
		SentTime:           field(form, "SentTime"),
		DeliveryReportTime: field(form, "DeliveryReportTime"),
		Ref:                first(query, "ref"),
		Raw:                rawFields(form),
	}
	d.Sequence, _ = count(first(form, "Sequence"), maxSequence)
	if units, ok := count(first(form, "Units"), maxUnits); ok {
		d.Units = units
	}
	switch {
	case d.Status == "":
		return Delivery{}, inbox.FieldError("Status", "missing")
	case !deliveryStatuses[d.Status]:
		return Delivery{}, inbox.FieldError("Status", "not a known delivery status")
	case d.Ref != "" && !validID(d.Ref):
		return Delivery{}, inbox.FieldError("ref", "must be 1 to 64 letters, digits or dashes")
	case d.MessageUUID == "" && d.Ref == "":
		return Delivery{}, inbox.FieldError("MessageUUID", "missing")
	case d.MessageUUID != "" && !validID(d.MessageUUID):
		return Delivery{}, inbox.FieldError("MessageUUID", "must be 1 to 64 letters, digits or dashes")
	}
	return d, nil
}
