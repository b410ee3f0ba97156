package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestAuditRows(t *testing.T) {
	doc := MustRender(t, testCtx(), views.AuditPage(views.AuditProps{
		Entries: []inbox.AuditEntry{
			{ID: 9, ActorID: 1, ActorEmail: "maya@acme.test", Action: inbox.AuditRoleChanged, Subject: "ann@acme.test", Detail: "agent → admin", At: testNow},
			{ID: 8, ActorID: 4, ActorEmail: "gone@acme.test", Action: inbox.AuditSignIn, Subject: "gone@acme.test", Detail: "github", At: testNow},
		},
		Names:  map[int64]string{1: "Maya Chen"},
		Before: 8,
	}))
	rows := doc.Find(byTestID("audit-entry"))
	if rows.Length() != 2 {
		t.Fatalf("rows=%d", rows.Length())
	}
	if got := text(rows.Eq(0).Find("p")); got != "Maya Chen changed the role of ann@acme.test · agent → admin" {
		t.Errorf("row 0=%q", got)
	}
	if got := text(rows.Eq(1).Find("p")); got != "gone@acme.test signed in · github" {
		t.Errorf("row 1=%q (a removed actor is named by email; a sign-in does not repeat it)", got)
	}
	if got := attr(MustFind(t, doc, byTestID("audit-older")+" a"), "hx-get"); got != "/settings/audit?before=8" {
		t.Errorf("older=%q", got)
	}
}
