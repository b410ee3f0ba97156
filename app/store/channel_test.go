package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// The list narrows to one of our numbers, with and without a search.
func TestListConversationsByChannel(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		const uk = "+442071838750"
		for i, to := range []string{channel, uk, channel, uk, uk} {
			storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("ch-%d", i), fmt.Sprintf("+1415555020%d", i), to, "parcel question"))
		}
		tests := []struct {
			name  string
			q     inbox.ConversationQuery
			want  int
			check inbox.Number
		}{
			{"every inbox", inbox.ConversationQuery{Filter: inbox.FilterAll}, 5, ""},
			{"main number", inbox.ConversationQuery{Filter: inbox.FilterAll, Channel: channel}, 2, channel},
			{"UK number", inbox.ConversationQuery{Filter: inbox.FilterAll, Channel: uk}, 3, uk},
			{"UK number, searched", inbox.ConversationQuery{Filter: inbox.FilterAll, Channel: uk, Search: "parcel"}, 3, uk},
			{"a number of no inbox", inbox.ConversationQuery{Filter: inbox.FilterAll, Channel: "+19995550000"}, 0, ""},
		}
		for _, tt := range tests {
			page, err := svc.ListConversations(ctx, tt.q.Normalise())
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Conversations) != tt.want {
				t.Errorf("%s: %d conversations, want %d", tt.name, len(page.Conversations), tt.want)
			}
			for _, c := range page.Conversations {
				if tt.check != "" && c.ChannelNumber != tt.check {
					t.Errorf("%s: conversation on %s", tt.name, c.ChannelNumber)
				}
			}
		}
	})
}
