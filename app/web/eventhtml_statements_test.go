package web

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/views"
)

// teamReads counts the statements that read the team (ListUsers).
type teamReads struct {
	mu sync.Mutex
	n  int
}

func (r *teamReads) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (r *teamReads) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if strings.Contains(ev.Query, "role = 'admin' DESC") {
		r.mu.Lock()
		r.n++
		r.mu.Unlock()
	}
}

func (r *teamReads) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// An agent's reply, live, shows in two places that name the agent: its
// bubble ("Sent by") and its list row (who spoke last). Both come from one
// read of the team.
func TestLiveReplyReadsTheTeamOnce(t *testing.T) {
	ctx := context.Background()
	reads := &teamReads{}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"), store.Options{QueryHook: reads})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pub := &inboxtest.Publisher{}
	svc := inbox.NewService(inbox.Options{Store: st, Users: st, Publisher: pub})
	agent := &inbox.User{Email: "ana@team.example.com", Name: "Ana Ruiz", Role: inbox.RoleAdmin}
	if err := st.SaveUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Receive(ctx, inboxtest.Inbound("lr-1", "+14155550100", "+14155550199", "Where is my parcel?"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SendReply(ctx, *agent, r.Conversation.ID, "On its way"); err != nil {
		t.Fatal(err)
	}
	var queued inbox.Event
	for _, e := range pub.Events() {
		if e.Kind == inbox.EventMessageQueued {
			queued = e
		}
	}
	if queued.Kind == "" {
		t.Fatalf("no %s event among %+v", inbox.EventMessageQueued, pub.Events())
	}

	s := &server{deps: Deps{Inbox: svc}}
	before := reads.count()
	html, err := s.eventHTML(views.WithCSRF(ctx, "token"), queued)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "On its way") || strings.Count(html, "Ana Ruiz") < 2 {
		t.Fatalf("want the bubble and the row, both naming Ana:\n%s", html)
	}
	if got := reads.count() - before; got != 1 {
		t.Errorf("rendering the reply read the team %d times, want 1", got)
	}
}

// statements records the SQL the store runs.
type statements struct {
	mu   sync.Mutex
	sqls []string
}

func (r *statements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (r *statements) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	r.mu.Lock()
	r.sqls = append(r.sqls, ev.Query)
	r.mu.Unlock()
}

func (r *statements) since(n int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sqls[n:]...)
}

// A live text carries the header's unread badge and the tabs' unread
// counts (the viewer's Mine among them) from one statement, the one the
// badge alone cost before; an assignment carries the tabs' counts too. An
// event renders once per user on each instance (renderMemo).
func TestLiveUpdateStatementCounts(t *testing.T) {
	ctx := context.Background()
	log := &statements{}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"), store.Options{QueryHook: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pub := &inboxtest.Publisher{}
	svc := inbox.NewService(inbox.Options{Store: st, Users: st, Publisher: pub})
	agent := &inbox.User{Email: "ana@team.example.com", Name: "Ana Ruiz", Role: inbox.RoleAdmin}
	if err := st.SaveUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Receive(ctx, inboxtest.Inbound("ls-1", "+14155550100", "+14155550199", "Where is my parcel?"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AssignConversation(ctx, *agent, r.Conversation.ID, agent.ID); err != nil {
		t.Fatal(err)
	}
	events := map[inbox.EventKind]inbox.Event{}
	for _, e := range pub.Events() {
		events[e.Kind] = e
	}
	s := &server{deps: Deps{Inbox: svc}}
	viewer := views.WithUser(views.WithCSRF(ctx, "token"), *agent)
	for _, tc := range []struct {
		kind inbox.EventKind
		want int
	}{
		// The text, its conversation, labels, team and contact names, and
		// the badge and tabs.
		{inbox.EventMessageReceived, 6},
		// Its conversation, labels, team (once, for the row and the
		// activity line), contact names, the activity line, and the tabs
		// (an unread conversation moves between Mine and Unassigned).
		{inbox.EventConversationAssigned, 6},
	} {
		e, ok := events[tc.kind]
		if !ok {
			t.Fatalf("no %s event among %+v", tc.kind, pub.Events())
		}
		before := len(log.since(0))
		html, err := s.eventHTML(viewer, e)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(html, `id="tab-count-mine"`) {
			t.Errorf("%s: no tab counts in the update:\n%s", tc.kind, html)
		}
		sqls := log.since(before)
		unread := 0
		for _, q := range sqls {
			if strings.Contains(q, "c.unread_count > 0") {
				unread++
			}
		}
		if len(sqls) != tc.want || unread != 1 {
			t.Errorf("%s ran %d statements, %d of them counting unread conversations; want %d and 1:\n%s", tc.kind, len(sqls), unread, tc.want, strings.Join(sqls, "\n"))
		}
	}
}

// A live assignment shows in the list row (the assignee) and, for a thread
// that is open, as an activity line naming who assigned whom: one read of
// the team for both.
func TestLiveAssignmentReadsTheTeamOnce(t *testing.T) {
	ctx := context.Background()
	reads := &teamReads{}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"), store.Options{QueryHook: reads})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pub := &inboxtest.Publisher{}
	svc := inbox.NewService(inbox.Options{Store: st, Users: st, Publisher: pub})
	agent := &inbox.User{Email: "ana@team.example.com", Name: "Ana Ruiz", Role: inbox.RoleAdmin}
	if err := st.SaveUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Receive(ctx, inboxtest.Inbound("la-1", "+14155550100", "+14155550199", "Where is my parcel?"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AssignConversation(ctx, *agent, r.Conversation.ID, agent.ID); err != nil {
		t.Fatal(err)
	}
	var assigned inbox.Event
	for _, e := range pub.Events() {
		if e.Kind == inbox.EventConversationAssigned {
			assigned = e
		}
	}
	if !announcesActivity(assigned) {
		t.Fatalf("the assignment announces no activity line: %+v", pub.Events())
	}

	s := &server{deps: Deps{Inbox: svc}}
	before := reads.count()
	html, err := s.eventHTML(views.WithCSRF(ctx, "token"), assigned)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "Ana Ruiz") {
		t.Fatalf("want the row and the activity line naming Ana:\n%s", html)
	}
	if got := reads.count() - before; got != 1 {
		t.Errorf("rendering the assignment read the team %d times, want 1", got)
	}
}
