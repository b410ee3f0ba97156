package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

type convList struct {
	Data []struct {
		ID            int64   `json:"id"`
		ContactNumber string  `json:"contact_number"`
		Status        string  `json:"status"`
		AssigneeID    *int64  `json:"assignee_id"`
		LabelIDs      []int64 `json:"label_ids"`
	} `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

type apiConv struct {
	ID           int64   `json:"id"`
	Status       string  `json:"status"`
	AssigneeID   *int64  `json:"assignee_id"`
	LabelIDs     []int64 `json:"label_ids"`
	SnoozedUntil *string `json:"snoozed_until"`
	UnreadCount  int     `json:"unread_count"`
}

type apiMsg struct {
	ID             int64  `json:"id"`
	ConversationID int64  `json:"conversation_id"`
	Direction      string `json:"direction"`
	Text           string `json:"text"`
	Status         string `json:"status"`
	Segments       int    `json:"segments"`
	SentBy         *int64 `json:"sent_by"`
}

type msgList struct {
	Data       []apiMsg `json:"data"`
	NextCursor *string  `json:"next_cursor"`
}

// seedAPI receives texts from three contacts (the last, +14155551002,
// newest) and returns their conversation IDs.
func seedAPI(t *testing.T, ts *testServer) []int64 {
	t.Helper()
	var ids []int64
	for i, text := range []string{"where is my order", "hello there", "refund please"} {
		r, err := ts.svc.Receive(context.Background(), inboxtest.Inbound(fmt.Sprintf("seed-%d", i), fmt.Sprintf("+1415555%04d", 1000+i), apiChannel, text))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.Conversation.ID)
	}
	return ids
}

func mustUser(t testing.TB, ts *testServer, email string, role inbox.Role) inbox.User {
	t.Helper()
	u := inbox.User{Email: email, Name: strings.Split(email, "@")[0], Role: role}
	if err := ts.store.SaveUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestAPIV1Routes walks every operation of the API on both databases,
// reading back what each change did.
func TestAPIV1Routes(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}})
		ctx := context.Background()
		admin := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
		agent := mustUser(t, ts, "ann@team.example.com", inbox.RoleAgent)
		_, secret := ts.mustToken(t, admin, inbox.ScopeRead, inbox.ScopeSend, inbox.ScopeManage)
		api := ts.api(t, secret)
		ids := seedAPI(t, ts)
		vip, err := ts.svc.SaveLabel(ctx, admin, inbox.Label{Name: "VIP", Color: "blue"})
		if err != nil {
			t.Fatal(err)
		}

		// List: newest first, a page at a time.
		page1 := decodeAs[convList](t, api.get("/api/v1/conversations?limit=2").want(t, 200))
		if len(page1.Data) != 2 || page1.Data[0].ID != ids[2] || page1.Data[1].ID != ids[1] || page1.NextCursor == nil {
			t.Fatalf("page 1 = %+v", page1)
		}
		page2 := decodeAs[convList](t, api.get("/api/v1/conversations?limit=2&cursor="+*page1.NextCursor).want(t, 200))
		if len(page2.Data) != 1 || page2.Data[0].ID != ids[0] || page2.NextCursor != nil {
			t.Fatalf("page 2 = %+v", page2)
		}
		// Search, as the inbox searches.
		found := decodeAs[convList](t, api.get("/api/v1/conversations?q=refund").want(t, 200))
		if len(found.Data) != 1 || found.Data[0].ID != ids[2] {
			t.Fatalf("search refund = %+v", found)
		}
		// Bad parameters are errors, never ignored.
		for target, field := range map[string]string{
			"/api/v1/conversations?filter=bogus": "filter",
			"/api/v1/conversations?limit=500":    "limit",
			"/api/v1/conversations?cursor=@@":    "cursor",
			"/api/v1/conversations?stauts=open":  "stauts",
		} {
			code, _, f := api.get(target).want(t, 400).errorOf(t)
			if code != "invalid" || f != field {
				t.Errorf("%s: code %q field %q, want invalid %q", target, code, f, field)
			}
		}

		// Get, with an ETag that answers 304 while nothing changes.
		one := api.get(fmt.Sprintf("/api/v1/conversations/%d", ids[0])).want(t, 200)
		etag := one.header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag on GET")
		}
		if nm := api.get(fmt.Sprintf("/api/v1/conversations/%d", ids[0]), "If-None-Match", etag); nm.status != 304 || nm.body != "" {
			t.Fatalf("If-None-Match with the current ETag: %d %q", nm.status, nm.body)
		}
		if decodeAs[apiConv](t, one).UnreadCount != 1 {
			t.Errorf("reading through the API marked the conversation read: %s", one.body)
		}
		api.get("/api/v1/conversations/999999").want(t, 404)

		// Close and reopen.
		conv := decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/close", ids[0]), "").want(t, 200))
		if conv.Status != "closed" {
			t.Fatalf("after close: %+v", conv)
		}
		if api.get(fmt.Sprintf("/api/v1/conversations/%d", ids[0]), "If-None-Match", etag).status != 200 {
			t.Fatal("the old ETag still matches after a change")
		}
		closed := decodeAs[convList](t, api.get("/api/v1/conversations?filter=closed").want(t, 200))
		if len(closed.Data) != 1 || closed.Data[0].ID != ids[0] {
			t.Fatalf("closed list = %+v", closed)
		}
		if conv = decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/reopen", ids[0]), "").want(t, 200)); conv.Status != "open" {
			t.Fatalf("after reopen: %+v", conv)
		}

		// Assign and unassign.
		conv = decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/assign", ids[1]), fmt.Sprintf(`{"assignee_id": %d}`, agent.ID)).want(t, 200))
		if conv.AssigneeID == nil || *conv.AssigneeID != agent.ID {
			t.Fatalf("after assign: %+v", conv)
		}
		stored, _ := ts.svc.FindConversation(ctx, ids[1])
		if stored.AssigneeID != agent.ID {
			t.Fatalf("stored assignee %d", stored.AssigneeID)
		}
		if _, _, f := api.post(fmt.Sprintf("/api/v1/conversations/%d/assign", ids[1]), `{"assignee_id": 424242}`).want(t, 400).errorOf(t); f != "assignee_id" {
			t.Errorf("unknown assignee: field %q", f)
		}
		if conv = decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/assign", ids[1]), `{"assignee_id": null}`).want(t, 200)); conv.AssigneeID != nil {
			t.Fatalf("after unassign: %+v", conv)
		}

		// Label and unlabel.
		conv = decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/labels", ids[1]), fmt.Sprintf(`{"label_id": %d}`, vip.ID)).want(t, 200))
		if len(conv.LabelIDs) != 1 || conv.LabelIDs[0] != vip.ID {
			t.Fatalf("after label: %+v", conv)
		}
		byLabel := decodeAs[convList](t, api.get(fmt.Sprintf("/api/v1/conversations?label=%d", vip.ID)).want(t, 200))
		if len(byLabel.Data) != 1 || byLabel.Data[0].ID != ids[1] {
			t.Fatalf("label filter = %+v", byLabel)
		}
		if conv = decodeAs[apiConv](t, api.do(http.MethodDelete, fmt.Sprintf("/api/v1/conversations/%d/labels/%d", ids[1], vip.ID), "").want(t, 200)); len(conv.LabelIDs) != 0 {
			t.Fatalf("after unlabel: %+v", conv)
		}
		api.post(fmt.Sprintf("/api/v1/conversations/%d/labels", ids[1]), `{"label_id": 999}`).want(t, 400)

		// Snooze and wake.
		if conv = decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/snooze", ids[2]), `{"minutes": 60}`).want(t, 200)); conv.SnoozedUntil == nil {
			t.Fatalf("after snooze: %+v", conv)
		}
		snoozed := decodeAs[convList](t, api.get("/api/v1/conversations?filter=snoozed").want(t, 200))
		if len(snoozed.Data) != 1 || snoozed.Data[0].ID != ids[2] {
			t.Fatalf("snoozed list = %+v", snoozed)
		}
		if _, _, f := api.post(fmt.Sprintf("/api/v1/conversations/%d/snooze", ids[2]), `{"minutes": 0}`).want(t, 400).errorOf(t); f != "minutes" {
			t.Errorf("snooze 0: field %q", f)
		}
		if conv = decodeAs[apiConv](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/wake", ids[2]), "").want(t, 200)); conv.SnoozedUntil != nil {
			t.Fatalf("after wake: %+v", conv)
		}

		// Reply, under the composer's rules.
		reply := decodeAs[apiMsg](t, api.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[0]), `{"text": "It ships today"}`).want(t, 202))
		if reply.Status != "queued" || reply.Direction != "outbound" || reply.SentBy == nil || *reply.SentBy != admin.ID || reply.Segments != 1 {
			t.Fatalf("reply = %+v", reply)
		}
		if _, _, f := api.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[0]), `{"text": ""}`).want(t, 400).errorOf(t); f != "text" {
			t.Errorf("blank reply: field %q", f)
		}
		if _, _, f := api.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[0]), `{"txt": "hi"}`).want(t, 400).errorOf(t); f != "txt" {
			t.Errorf("misspelt field: field %q", f)
		}
		api.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[0]), `{"text": "x", "media_urls": ["ftp://nope"]}`).want(t, 400)
		// A contact who opted out gets nothing.
		if _, err := ts.svc.Receive(ctx, inboxtest.Inbound("stop-1", "+14155551001", apiChannel, "STOP")); err != nil {
			t.Fatal(err)
		}
		before := ts.countMessages(t)
		if code, _, _ := api.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[1]), `{"text": "still there?"}`).want(t, 403).errorOf(t); code != "opted_out" {
			t.Errorf("opted out: code %q", code)
		}
		if ts.countMessages(t) != before {
			t.Error("a refused reply was stored")
		}

		// A new message to a number.
		sent := decodeAs[apiMsg](t, api.post("/api/v1/messages", `{"to": "+14155559999", "text": "Your table is ready"}`).want(t, 202))
		if sent.ConversationID == 0 || sent.Status != "queued" {
			t.Fatalf("sent = %+v", sent)
		}
		if _, _, f := api.post("/api/v1/messages", `{"to": "555", "text": "x"}`).want(t, 400).errorOf(t); f != "to" {
			t.Errorf("bad number: field %q", f)
		}

		// The thread, newest page first, paged back by cursor.
		msgs := decodeAs[msgList](t, api.get(fmt.Sprintf("/api/v1/conversations/%d/messages?limit=1", ids[0])).want(t, 200))
		if len(msgs.Data) != 1 || msgs.Data[0].ID != reply.ID || msgs.NextCursor == nil {
			t.Fatalf("messages page 1 = %+v", msgs)
		}
		older := decodeAs[msgList](t, api.get(fmt.Sprintf("/api/v1/conversations/%d/messages?limit=1&cursor=%s", ids[0], *msgs.NextCursor)).want(t, 200))
		if len(older.Data) != 1 || older.Data[0].Text != "where is my order" || older.NextCursor != nil {
			t.Fatalf("messages page 2 = %+v", older)
		}
		api.get("/api/v1/conversations/999999/messages").want(t, 404)

		// The contact: read, patched field by field.
		contact := api.get(fmt.Sprintf("/api/v1/conversations/%d/contact", ids[0])).want(t, 200)
		if !strings.Contains(contact.body, `"number":"+14155551000"`) {
			t.Fatalf("contact = %s", contact.body)
		}
		patched := api.do(http.MethodPatch, fmt.Sprintf("/api/v1/conversations/%d/contact", ids[0]), `{"name": "Dana Reyes", "fields": [{"key": "Order", "value": "1042"}]}`).want(t, 200)
		if !strings.Contains(patched.body, `"name":"Dana Reyes"`) || !strings.Contains(patched.body, `"key":"Order"`) {
			t.Fatalf("patched = %s", patched.body)
		}
		renamed := api.do(http.MethodPatch, fmt.Sprintf("/api/v1/conversations/%d/contact", ids[0]), `{"name": "Dana R."}`).want(t, 200)
		if !strings.Contains(renamed.body, `"name":"Dana R."`) || !strings.Contains(renamed.body, `"value":"1042"`) {
			t.Fatalf("a name-only patch lost the fields: %s", renamed.body)
		}
		c, _ := ts.svc.FindContact(ctx, "+14155551000")
		if c.Name != "Dana R." || len(c.Fields) != 1 {
			t.Fatalf("stored contact = %+v", c)
		}
		if _, _, f := api.do(http.MethodPatch, fmt.Sprintf("/api/v1/conversations/%d/contact", ids[0]), `{"name": "`+strings.Repeat("n", 81)+`"}`).want(t, 400).errorOf(t); f != "name" {
			t.Errorf("long name: field %q", f)
		}

		// Labels and users.
		if l := api.get("/api/v1/labels").want(t, 200); !strings.Contains(l.body, `"name":"VIP"`) {
			t.Fatalf("labels = %s", l.body)
		}
		if u := api.get("/api/v1/users").want(t, 200); !strings.Contains(u.body, `"email":"ann@team.example.com"`) || !strings.Contains(u.body, `"role":"admin"`) {
			t.Fatalf("users = %s", u.body)
		}

		// Anything else below /api/v1 is a JSON 404.
		if code, _, _ := api.get("/api/v1/nothing-here").want(t, 404).errorOf(t); code != "not_found" {
			t.Errorf("unknown operation: code %q", code)
		}
	})
}
