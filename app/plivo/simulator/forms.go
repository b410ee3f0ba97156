package simulator

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// InboundForm is the form Plivo posts to the message URL when from texts
// to: every field Plivo sends for an SMS, numbers in Plivo's digits (a
// leading + is dropped) and Units counted as Plivo bills them. It is the
// one inbound form for simulate, the load tools and tests; sign it with
// SignedWebhook.
func InboundForm(from, to, text, messageUUID string) url.Values {
	return url.Values{
		"From": {strings.TrimPrefix(from, "+")}, "To": {strings.TrimPrefix(to, "+")},
		"Text": {text}, "Type": {"sms"}, "MessageUUID": {messageUUID},
		"Units":     {strconv.Itoa(max(inbox.Segment(text).Segments, 1))},
		"TotalRate": {"0"}, "TotalAmount": {"0"}, "MessageIntent": {""}, "PowerpackUUID": {""},
	}
}

// InboundMMSForm is InboundForm for an MMS carrying the files at
// mediaURLs, as Plivo names them: Type mms, MediaCount, Media0….
func InboundMMSForm(from, to, text, messageUUID string, mediaURLs []string) url.Values {
	form := InboundForm(from, to, text, messageUUID)
	form.Set("Type", "mms")
	form.Set("MediaCount", strconv.Itoa(len(mediaURLs)))
	for i, u := range mediaURLs {
		form.Set("Media"+strconv.Itoa(i), u)
	}
	return form
}

// DeliveryForm is the delivery report Plivo posts to the url of the sent
// message s when it reaches status: sequence counts the reports of one
// message from 1, and errorCode is Plivo's for undelivered and failed
// ("" otherwise). It is the one report form for the simulated carrier and
// tests.
func DeliveryForm(s Send, status string, sequence int, errorCode string) url.Values {
	return url.Values{
		"MessageUUID": {s.UUID}, "ParentMessageUUID": {s.UUID}, "Status": {status},
		"Sequence": {strconv.Itoa(sequence)}, "From": {s.Src}, "To": {s.Dst}, "Type": {s.Type},
		"Units": {"1"}, "TotalRate": {"0.00500"}, "TotalAmount": {"0.00500"},
		"MCC": {"310"}, "MNC": {"410"}, "PartInfo": {"1 of 1"}, "ErrorCode": {errorCode},
	}
}
