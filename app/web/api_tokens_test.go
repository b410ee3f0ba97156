package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// TestAPITokenScopes: each operation needs its scope; a refusal is 403
// in the API's error shape and is audited.
func TestAPITokenScopes(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}})
		admin := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
		ids := seedAPI(t, ts)
		_, readOnly := ts.mustToken(t, admin, inbox.ScopeRead)
		_, sendOnly := ts.mustToken(t, admin, inbox.ScopeSend)
		r, s := ts.api(t, readOnly), ts.api(t, sendOnly)

		r.get("/api/v1/conversations").want(t, 200)
		before := ts.countMessages(t)
		if code, msg, _ := r.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[0]), `{"text": "hi"}`).want(t, 403).errorOf(t); code != "forbidden" || !strings.Contains(msg, "send") {
			t.Errorf("read token sending: %q %q", code, msg)
		}
		r.post(fmt.Sprintf("/api/v1/conversations/%d/close", ids[0]), "").want(t, 403)
		s.get("/api/v1/conversations").want(t, 403)
		s.post(fmt.Sprintf("/api/v1/conversations/%d/close", ids[0]), "").want(t, 403)
		s.post(fmt.Sprintf("/api/v1/conversations/%d/messages", ids[0]), `{"text": "hi"}`).want(t, 202)
		if got := ts.countMessages(t); got != before+1 {
			t.Fatalf("messages %d, want %d: only the send token's reply is stored", got, before+1)
		}
		conv, _ := ts.svc.FindConversation(context.Background(), ids[0])
		if conv.Status != inbox.ConversationOpen {
			t.Fatal("a token without manage closed the conversation")
		}
		entries, _, err := ts.svc.AuditLog(context.Background(), admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		denied := 0
		for _, e := range entries {
			if e.Action == inbox.AuditAPITokenDenied {
				denied++
			}
		}
		if denied != 4 {
			t.Errorf("%d denials audited, want 4", denied)
		}
	})
}

// TestAPITokenLifecycle: created (audited, shown once, stored as a hash),
// used (last use recorded), revoked (refused on the next request),
// expired; and a removed or demoted owner's token stops at once.
func TestAPITokenLifecycle(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}})
		ctx := context.Background()
		admin := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
		ann := mustUser(t, ts, "ann@team.example.com", inbox.RoleAgent)
		chief := mustUser(t, ts, "chief@team.example.com", inbox.RoleAdmin)
		ids := seedAPI(t, ts)

		tok, secret := ts.mustToken(t, ann, inbox.ScopeRead)
		if !strings.HasPrefix(secret, "parley_") || len(secret) < len("parley_")+43 {
			t.Fatalf("secret %q: want parley_ and 32 random bytes", secret)
		}
		var stored int
		if err := ts.store.DB().NewRaw("SELECT count(*) FROM api_tokens WHERE hash = ? AND hash <> ?", inbox.APITokenHash(secret), secret).Scan(ctx, &stored); err != nil || stored != 1 {
			t.Fatalf("the token is not stored as its hash: %d %v", stored, err)
		}
		var leaked int
		if err := ts.store.DB().NewRaw("SELECT count(*) FROM api_tokens WHERE hash = ? OR prefix = ? OR name = ?", secret, secret, secret).Scan(ctx, &leaked); err != nil || leaked != 0 {
			t.Fatalf("the secret is stored in the clear: %d %v", leaked, err)
		}
		api := ts.api(t, secret)
		api.get("/api/v1/conversations").want(t, 200)
		list, err := ts.svc.APITokensOf(ctx, ann)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("ann's tokens = %+v, %v: want one, with its last use", list, err)
		}

		// An agent sees their own tokens; an admin sees the team's.
		_, adminSecret := ts.mustToken(t, admin, inbox.ScopeRead)
		if all, _ := ts.svc.APITokensOf(ctx, admin); len(all) != 2 {
			t.Errorf("admin sees %d tokens, want 2", len(all))
		}
		if own, _ := ts.svc.APITokensOf(ctx, ann); len(own) != 1 {
			t.Errorf("ann sees %d tokens, want 1", len(own))
		}
		// Nor may an agent revoke someone else's.
		adminToks, _ := ts.svc.APITokensOf(ctx, admin)
		for _, at := range adminToks {
			if at.UserID == admin.ID {
				if _, err := ts.svc.RevokeAPIToken(ctx, ann, at.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
					t.Errorf("ann revoking the admin's token: %v", err)
				}
			}
		}
		ts.api(t, adminSecret).get("/api/v1/users").want(t, 200)

		// Revoked: refused on the very next request.
		if _, err := ts.svc.RevokeAPIToken(ctx, ann, tok.ID); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, msg, _ := api.get("/api/v1/conversations").want(t, 401).errorOf(t); !strings.Contains(msg, "revoked") {
				t.Errorf("revoked token: %q", msg)
			}
		}
		// The refusals are audited, but at most once a minute per token.
		audited, _, _ := ts.svc.AuditLog(ctx, admin, 0)
		revokedUses := 0
		for _, e := range audited {
			if e.Action == inbox.AuditAPITokenDenied && strings.Contains(e.Detail, "revoked") {
				revokedUses++
			}
		}
		if revokedUses != 1 {
			t.Errorf("%d audit entries for 3 uses of a revoked token within a minute, want 1", revokedUses)
		}

		// Expired.
		soon := time.Now().Add(time.Second)
		_, short, err := ts.svc.CreateAPIToken(ctx, ann, inbox.NewAPIToken{Name: "short", Scopes: []inbox.Scope{inbox.ScopeRead}, ExpiresAt: &soon})
		if err != nil {
			t.Fatal(err)
		}
		ts.api(t, short).get("/api/v1/conversations").want(t, 200)
		time.Sleep(time.Until(soon) + 10*time.Millisecond)
		if _, msg, _ := ts.api(t, short).get("/api/v1/conversations").want(t, 401).errorOf(t); !strings.Contains(msg, "expired") {
			t.Errorf("expired token: %q", msg)
		}

		// Removed: the token dies with its owner's place on the team.
		_, annLive := ts.mustToken(t, ann, inbox.ScopeRead)
		ts.api(t, annLive).get("/api/v1/conversations").want(t, 200)
		if err := ts.svc.RemoveUser(ctx, admin, ann.ID); err != nil {
			t.Fatal(err)
		}
		ts.api(t, annLive).get("/api/v1/conversations").want(t, 401)

		// Demoted: the token acts with the owner's current role. As an
		// admin, chief may reassign a conversation of someone else's; as
		// an agent, no longer.
		_, chiefSecret := ts.mustToken(t, chief, inbox.ScopeRead, inbox.ScopeManage)
		chiefAPI := ts.api(t, chiefSecret)
		if _, err := ts.svc.AssignConversation(ctx, admin, ids[0], admin.ID); err != nil {
			t.Fatal(err)
		}
		chiefAPI.post(fmt.Sprintf("/api/v1/conversations/%d/assign", ids[0]), fmt.Sprintf(`{"assignee_id": %d}`, chief.ID)).want(t, 200)
		if _, err := ts.svc.AssignConversation(ctx, admin, ids[0], admin.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.svc.SetUserRole(ctx, admin, chief.ID, inbox.RoleAgent); err != nil {
			t.Fatal(err)
		}
		chiefAPI.post(fmt.Sprintf("/api/v1/conversations/%d/assign", ids[0]), fmt.Sprintf(`{"assignee_id": %d}`, chief.ID)).want(t, 403)
		if conv, _ := ts.svc.FindConversation(ctx, ids[0]); conv.AssigneeID != admin.ID {
			t.Fatalf("the demoted owner's token reassigned the conversation to %d", conv.AssigneeID)
		}

		// Every token action is in the audit log.
		entries, _, err := ts.svc.AuditLog(ctx, admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		count := map[inbox.AuditAction]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count[inbox.AuditAPITokenCreated] != 5 || count[inbox.AuditAPITokenRevoked] != 1 || count[inbox.AuditAPITokenDenied] < 2 {
			t.Errorf("audit counts %v: want 5 created, 1 revoked, 2+ denied", count)
		}
	})
}

// TestAPITokenCreationRules: bad names, scopes and expiries are refused
// with the field at fault, and nothing is stored.
func TestAPITokenCreationRules(t *testing.T) {
	ts := newAPIServer(t)
	ctx := context.Background()
	ann := mustUser(t, ts, "ann@team.example.com", inbox.RoleAgent)
	past := time.Now().Add(-time.Hour)
	far := time.Now().Add(400 * 24 * time.Hour)
	for _, tc := range []struct {
		n     inbox.NewAPIToken
		field string
	}{
		{inbox.NewAPIToken{Name: " ", Scopes: []inbox.Scope{inbox.ScopeRead}}, "name"},
		{inbox.NewAPIToken{Name: strings.Repeat("x", 81), Scopes: []inbox.Scope{inbox.ScopeRead}}, "name"},
		{inbox.NewAPIToken{Name: "crm"}, "scopes"},
		{inbox.NewAPIToken{Name: "crm", Scopes: []inbox.Scope{"admin"}}, "scopes"},
		{inbox.NewAPIToken{Name: "crm", Scopes: []inbox.Scope{inbox.ScopeRead}, ExpiresAt: &past}, "expires_at"},
		{inbox.NewAPIToken{Name: "crm", Scopes: []inbox.Scope{inbox.ScopeRead}, ExpiresAt: &far}, "expires_at"},
	} {
		_, _, err := ts.svc.CreateAPIToken(ctx, ann, tc.n)
		if inbox.ErrorCode(err) != inbox.EINVALID || inbox.ErrorField(err) != tc.field {
			t.Errorf("%+v: %v, want invalid %s", tc.n, err, tc.field)
		}
	}
	if list, _ := ts.svc.APITokensOf(ctx, ann); len(list) != 0 {
		t.Errorf("refused tokens were stored: %+v", list)
	}
}

// TestAPITokensAndSessionsAreSeparate: /api/v1 takes tokens alone (a
// session cookie gets 401), pages and the browser's JSON API refuse
// tokens, and CSRF is skipped only for token requests to /api/v1.
func TestAPITokensAndSessionsAreSeparate(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	admin, err := ts.store.FindUserByEmail(context.Background(), inbox.DevelopmentAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	_, secret := ts.mustToken(t, admin, inbox.ScopeRead, inbox.ScopeSend)

	// The signed-in browser, with its cookie and CSRF token, gets nothing
	// from /api/v1.
	if p := b.get("/api/v1/conversations"); p.status != http.StatusUnauthorized {
		t.Errorf("session cookie on /api/v1: %d %s", p.status, p.body)
	}
	if p := b.postJSON("/api/v1/messages", `{"to": "+14155550100", "text": "hi"}`, true); p.status != http.StatusUnauthorized {
		t.Errorf("session cookie and CSRF token posting to /api/v1: %d %s", p.status, p.body)
	}
	// The token opens no page and not the browser's JSON API.
	for _, target := range []string{"/", "/conversations", "/settings/tokens"} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		if status, body := ts.MustDo(t, req); status != http.StatusUnauthorized {
			t.Errorf("token on %s: %d %.100s", target, status, body)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/api/sms/send", strings.NewReader(`{"to": "+14155550100", "text": "hi"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	if status, body := ts.MustDo(t, req); status != http.StatusUnauthorized {
		t.Errorf("token on /api/sms/send: %d %s", status, body)
	}
	// The browser's own JSON API still works, with its CSRF token.
	if p := b.postJSON("/api/sms/send", `{"to": "+14155550100", "text": "hi"}`, true); p.status != http.StatusAccepted {
		t.Errorf("/api/sms/send from the browser: %d %s", p.status, p.body)
	}
	// A token needs no CSRF token.
	ts.api(t, secret).post("/api/v1/messages", `{"to": "+14155550100", "text": "hi"}`).want(t, 202)
	// No token, or a malformed one: 401 with a challenge.
	for _, h := range []string{"", "Bearer", "Basic Zm9vOmJhcg==", "Bearer parley_not-a-token"} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/conversations", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		ts.setHost(req)
		resp, err := ts.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("Authorization %q: %d %q", h, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
}

// TestAPITokenRateLimit: each token has its own limit; over it, 429 with
// Retry-After, and another token is unaffected.
func TestAPITokenRateLimit(t *testing.T) {
	ts := newTestServerWith(t, testOptions{numbers: []inbox.Number{apiChannel}, apiLimit: 3})
	admin := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
	_, one := ts.mustToken(t, admin, inbox.ScopeRead)
	_, two := ts.mustToken(t, admin, inbox.ScopeRead)
	for range 3 {
		ts.api(t, one).get("/api/v1/labels").want(t, 200)
	}
	over := ts.api(t, one).get("/api/v1/labels").want(t, 429)
	if code, _, _ := over.errorOf(t); code != "rate_limited" || over.header.Get("Retry-After") == "" {
		t.Errorf("over the limit: %q Retry-After %q", code, over.header.Get("Retry-After"))
	}
	ts.api(t, two).get("/api/v1/labels").want(t, 200)
}
