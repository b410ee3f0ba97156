package webhooks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// slackMessage is a Slack incoming webhook's body: text for notifications
// and clients without blocks, blocks for the message itself.
type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks,omitempty"`
}

type slackBlock struct {
	Type      string       `json:"type"`
	Text      *slackText   `json:"text,omitempty"`
	Elements  []slackText  `json:"elements,omitempty"`
	Accessory *slackButton `json:"accessory,omitempty"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackButton struct {
	Type string    `json:"type"`
	Text slackText `json:"text"`
	URL  string    `json:"url"`
}

// SlackBody formats a Standard Webhooks payload as a Slack message: a text
// as who wrote what with a link to its thread; any other event as one line
// naming it and the conversation.
func SlackBody(payload []byte) ([]byte, error) {
	var p inbox.WebhookPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("webhooks: read payload: %w", err)
	}
	subject, err := p.Subject()
	if err != nil {
		return nil, fmt.Errorf("webhooks: read payload: %w", err)
	}
	who := subject.ContactNumber.Display()
	link := func(label string) string {
		if p.ThreadURL == "" {
			return label
		}
		return "<" + p.ThreadURL + "|" + slackEscape(label) + ">"
	}
	if p.Type == inbox.WebhookMessageReceived && subject.Message != nil {
		m := subject.Message
		body := m.Text
		if body == "" && len(m.Media) > 0 {
			body = fmt.Sprintf("(%d attachment(s))", len(m.Media))
		}
		msg := slackMessage{
			Text: fmt.Sprintf("New text from %s: %s", who, body),
			Blocks: []slackBlock{
				{Type: "section", Text: &slackText{Type: "mrkdwn", Text: "*New text from " + slackEscape(who) + "*\n" + slackQuote(body)}},
				{Type: "context", Elements: []slackText{{Type: "mrkdwn", Text: "To " + slackEscape(subject.ChannelNumber.Display()) + " · " + link("Open the thread in Parley")}}},
			},
		}
		if p.ThreadURL != "" {
			msg.Blocks[0].Accessory = &slackButton{Type: "button", Text: slackText{Type: "plain_text", Text: "Reply"}, URL: p.ThreadURL}
		}
		return json.Marshal(msg)
	}
	line := fmt.Sprintf("%s: conversation with %s", p.Type, who)
	return json.Marshal(slackMessage{Text: line, Blocks: []slackBlock{
		{Type: "section", Text: &slackText{Type: "mrkdwn", Text: "`" + string(p.Type) + "` " + link("conversation with "+who)}},
	}})
}

// slackEscape escapes the three characters Slack's mrkdwn gives meaning.
func slackEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '&':
			out = append(out, []rune("&amp;")...)
		case '<':
			out = append(out, []rune("&lt;")...)
		case '>':
			out = append(out, []rune("&gt;")...)
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

// slackQuote shows a text as a quote, each line marked.
func slackQuote(s string) string {
	return "&gt; " + strings.ReplaceAll(slackEscape(s), "\n", "\n&gt; ")
}
