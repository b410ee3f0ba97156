package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// With a rules TTL, inbound texts reuse the rules they read: this
// service's own edits take effect at once, another instance's only after
// the TTL.
func TestReceiveReusesKeywordRulesUntilAnEdit(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0), SettingsTTL: time.Hour})
		other := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0)}) // another instance
		admin := inbox.User{ID: 1, Role: inbox.RoleAdmin}
		reply := func(uuid, text string) string {
			t.Helper()
			r := storetest.MustReceive(t, svc, inboxtest.Inbound(uuid, contact, channel, text))
			if r.Reply == nil {
				return ""
			}
			return r.Reply.Body
		}
		if got := reply("u1", "price"); got != "" {
			t.Fatalf("reply to price before any rule=%q, want none", got)
		}
		rule, err := svc.SaveKeywordRule(ctx, admin, inbox.KeywordRule{Keywords: []string{"price"}, Reply: "See our website.", Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := reply("u2", "price"); got != "See our website." {
			t.Fatalf("reply after this service's edit=%q, want the new rule's", got)
		}
		rule.Reply = "Prices are on the menu."
		if _, err := other.SaveKeywordRule(ctx, admin, rule); err != nil {
			t.Fatal(err)
		}
		if got := reply("u3", "price"); got != "See our website." {
			t.Fatalf("reply within the TTL after another instance's edit=%q, want the cached rule's", got)
		}
		if err := svc.DeleteKeywordRule(ctx, admin, rule.ID); err != nil {
			t.Fatal(err)
		}
		if got := reply("u4", "price"); got != "" {
			t.Fatalf("reply after this service deleted the rule=%q, want none", got)
		}
	})
}
