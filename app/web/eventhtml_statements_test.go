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
