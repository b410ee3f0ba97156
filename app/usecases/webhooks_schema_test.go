package usecases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/app/web"
)

// webhookSchemas compiles, once, the request body schema of each event
// in the OpenAPI document's webhooks section, with its references into
// the API's component schemas.
var webhookSchemas = sync.OnceValues(func() (map[inbox.WebhookEventType]*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(web.OpenAPI()))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("openapi.json", doc); err != nil {
		return nil, err
	}
	var d struct {
		Webhooks map[string]json.RawMessage `json:"webhooks"`
	}
	if err := json.Unmarshal(web.OpenAPI(), &d); err != nil {
		return nil, err
	}
	out := map[inbox.WebhookEventType]*jsonschema.Schema{}
	for name := range d.Webhooks {
		sch, err := c.Compile("openapi.json#/webhooks/" + name + "/post/requestBody/content/application~1json/schema")
		if err != nil {
			return nil, fmt.Errorf("webhook %s: %w", name, err)
		}
		out[inbox.WebhookEventType(name)] = sch
	}
	return out, nil
})

// validateWebhookPayload checks body against the schema the document
// gives its event type.
func validateWebhookPayload(t testing.TB, body []byte) error {
	t.Helper()
	schemas, err := webhookSchemas()
	if err != nil {
		t.Fatalf("openapi.json webhooks: %v", err)
	}
	var p inbox.WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return err
	}
	sch, ok := schemas[p.Type]
	if !ok {
		return fmt.Errorf("the document has no webhook %q", p.Type)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func mustMessage(t testing.TB, p inbox.WebhookPayload) inbox.MessageJSON {
	t.Helper()
	var m inbox.MessageJSON
	mustDecode(t, p.Data, &m)
	return m
}

func mustDecode(t testing.TB, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

// TestWebhookSchemaRefusesAChangedPayload shows the schema check can
// fail: a real payload of each resource validates, and the same payload
// with one field renamed, or of a type the document does not know, does
// not.
func TestWebhookSchemaRefusesAChangedPayload(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rig := newWebhookRig(t, s, inbox.WebhookDispatcherOptions{})
		rcv := newReceiver(t)
		ep, err := rig.svc.SaveWebhookEndpoint(ctx, rig.admin, inbox.WebhookEndpoint{URL: rcv.srv.URL, Events: inbox.WebhookEventTypes})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = ep.Secret
		conv := storetest.MustReceive(t, rig.svc, inboxtest.Inbound("in-1", contact, channel, "STOP")).Conversation
		if _, err := rig.svc.SetConversationStatus(ctx, rig.admin, conv.ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			rig.round(t)
		}
		bodies := rcv.acceptedBodies()
		if len(bodies) != 3 {
			t.Fatalf("accepted %d payloads, want a message, a contact and a conversation event", len(bodies))
		}
		renames := map[string][2]string{
			"message.received":    {`"text":`, `"body":`},
			"contact.opted_out":   {`"conversation_id":`, `"conversation":`},
			"conversation.closed": {`"contact_number":`, `"contact":`},
		}
		for _, body := range bodies {
			if err := validateWebhookPayload(t, body); err != nil {
				t.Fatalf("real payload refused: %v\n%s", err, body)
			}
			var p inbox.WebhookPayload
			mustDecode(t, body, &p)
			r, ok := renames[string(p.Type)]
			if !ok {
				t.Fatalf("unexpected event %s", p.Type)
			}
			renamed := strings.Replace(string(body), r[0], r[1], 1)
			if renamed == string(body) {
				t.Fatalf("%s has no %s to rename: %s", p.Type, r[0], body)
			}
			if err := validateWebhookPayload(t, []byte(renamed)); err == nil {
				t.Errorf("%s with %s renamed %s validated, want refused", p.Type, r[0], r[1])
			}
			retyped := strings.Replace(string(body), string(p.Type), "message.deleted", 1)
			if err := validateWebhookPayload(t, []byte(retyped)); err == nil {
				t.Errorf("a payload of an undocumented type validated, want refused")
			}
		}
	})
}
