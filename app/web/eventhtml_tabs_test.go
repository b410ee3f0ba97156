package web_test

import (
	"context"
	"strings"
	"testing"
)

// A live update carries the tabs' unread counts as its viewer sees them:
// the conversation assigned to the admin counts in the admin's Mine, and
// in nobody else's.
func TestEventsTabCountsArePerViewer(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	id, admin, _ := ls.mustTeamConversation(t, "tabs-live-1", "Is it in stock?")
	agent, _, _ := ls.signInAgent(t, "bo@example.com")
	mine := ls.openStream(t, ls.client, "/events", "")
	theirs := ls.openStream(t, agent, "/events", "")

	if _, err := ls.svc.AssignConversation(ctx, admin, id, admin.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who    string
		stream *sseStream
		want   map[string]string
	}{
		{"the admin", mine, map[string]string{"open": "1", "mine": "1", "unassigned": ""}},
		{"an agent", theirs, map[string]string{"open": "1", "mine": "", "unassigned": ""}},
	} {
		// The assignment's update, past any replay of the text's.
		f := tc.stream.nextWith(t, `data-kind="assigned"`)
		doc := mustParseHTML(t, f.data)
		for f, want := range tc.want {
			badge := doc.Find(`#tab-count-` + f + `[hx-swap-oob="true"]`)
			if badge.Length() != 1 {
				t.Fatalf("%s: live update has %d %s tab counts, want 1", tc.who, badge.Length(), f)
			}
			_, hidden := badge.Attr("hidden")
			got := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(badge.Text()), "unread conversations"))
			if got != want || hidden != (want == "") {
				t.Errorf("%s: %s tab count=%q hidden=%v, want %q", tc.who, f, got, hidden, want)
			}
		}
	}
}
