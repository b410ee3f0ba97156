package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/web"
)

// defaultSimulatedNumber is our number in development when none is
// configured.
const defaultSimulatedNumber = "+14155550199"

// simulate posts one inbound text to a running Parley exactly as Plivo
// would (form fields, V2 and V3 signatures with PLIVO_AUTH_TOKEN) and prints
// the XML answer.
func simulate(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stdout)
	defaultTo := defaultSimulatedNumber
	if len(cfg.PlivoPhoneNumbers) > 0 {
		defaultTo = cfg.PlivoPhoneNumbers[0]
	}
	from := fs.String("from", "+14155550100", "the customer's number (E.164)")
	to := fs.String("to", defaultTo, "our Plivo number (E.164)")
	text := fs.String("text", "hello", "the text")
	target := fs.String("url", cfg.PublicURL+web.WebhookPath, "the webhook URL to post to")
	messageUUID := fs.String("uuid", "", "the MessageUUID (default: a new one)")
	var media mediaFlag
	fs.Var(&media, "media", "a media URL, making the text an MMS (repeat for more files)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	fromN, err := inbox.ParseE164(*from)
	if err != nil {
		return fmt.Errorf("--from: %s", inbox.ErrorMessage(err))
	}
	toN, err := inbox.ParseE164(*to)
	if err != nil {
		return fmt.Errorf("--to: %s", inbox.ErrorMessage(err))
	}
	if *messageUUID == "" {
		*messageUUID = uuid.NewString()
	}
	form := simulator.InboundForm(fromN.Carrier(), toN.Carrier(), *text, *messageUUID)
	if len(media) > 0 {
		form = simulator.InboundMMSForm(fromN.Carrier(), toN.Carrier(), *text, *messageUUID, media)
	}
	var token string
	if len(cfg.PlivoAuthTokens) > 0 {
		token = cfg.PlivoAuthTokens[0]
	}
	req, err := simulator.SignedWebhook(ctx, token, *target, *target, http.MethodPost, form)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post to %s: %w (is Parley running?)", *target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	fmt.Fprintf(stdout, "%s %s\n%s\n", resp.Proto, resp.Status, strings.TrimSpace(string(body)))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("parley answered %s", resp.Status)
	}
	return nil
}

// simulateHint is the command that texts this Parley from another
// terminal. That terminal need not share the server's PORT or PUBLIC_URL,
// so any address but the default one is spelt out as --url.
func simulateHint(cfg config.Config) string {
	if cfg.PublicURL == "http://localhost:3000" {
		return "go run ./app simulate --text hello"
	}
	return "go run ./app simulate --url " + cfg.PublicURL + web.WebhookPath + " --text hello"
}

// mediaFlag collects the repeated --media of simulate.
type mediaFlag []string

func (f *mediaFlag) String() string { return strings.Join(*f, ",") }

func (f *mediaFlag) Set(v string) error {
	*f = append(*f, v)
	return nil
}
