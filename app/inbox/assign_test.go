package inbox_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestMayReassign(t *testing.T) {
	admin := inbox.User{ID: 1, Role: inbox.RoleAdmin}
	ann := inbox.User{ID: 2, Role: inbox.RoleAgent}
	tests := []struct {
		name     string
		actor    inbox.User
		assignee int64
		code     string
	}{
		{"agent takes an unassigned one", ann, 0, ""},
		{"agent hands off their own", ann, 2, ""},
		{"agent touches another's", ann, 3, inbox.EFORBIDDEN},
		{"admin reassigns another's", admin, 3, ""},
		{"admin takes an unassigned one", admin, 0, ""},
	}
	for _, tt := range tests {
		err := inbox.MayReassign(tt.actor, inbox.Conversation{ID: 9, AssigneeID: tt.assignee})
		if got := inbox.ErrorCode(err); got != tt.code {
			t.Errorf("%s: code=%q, want %q", tt.name, got, tt.code)
		}
	}
}

func TestQueryNormaliseFilters(t *testing.T) {
	tests := []struct {
		filter inbox.ConversationFilter
		me     int64
		want   inbox.ConversationFilter
	}{
		{inbox.FilterMine, 7, inbox.FilterMine},
		{inbox.FilterMine, 0, inbox.FilterOpen},
		{inbox.FilterUnassigned, 0, inbox.FilterUnassigned},
		{"bogus", 7, inbox.FilterOpen},
		{"", 7, inbox.FilterOpen},
	}
	for _, tt := range tests {
		q := inbox.ConversationQuery{Filter: tt.filter, Me: tt.me}.Normalise()
		if q.Filter != tt.want {
			t.Errorf("Normalise(%q, me %d).Filter=%q, want %q", tt.filter, tt.me, q.Filter, tt.want)
		}
	}
}
