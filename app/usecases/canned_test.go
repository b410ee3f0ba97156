package usecases_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestCannedReplies(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)

		thanks, err := svc.SaveCannedReply(ctx, admin, inbox.CannedReply{Name: " /Thanks ", Body: " Thanks {{first_name}}! "})
		if err != nil || thanks.ID == 0 || thanks.Name != "thanks" || thanks.Body != "Thanks {{first_name}}!" {
			t.Fatalf("saved=%+v err=%v", thanks, err)
		}
		if _, err := svc.SaveCannedReply(ctx, admin, inbox.CannedReply{Name: "hours", Body: "We open at 9."}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name  string
			actor inbox.User
			r     inbox.CannedReply
			code  string
			field string
		}{
			{"agent", ann, inbox.CannedReply{Name: "x", Body: "y"}, inbox.EFORBIDDEN, ""},
			{"spaces in name", admin, inbox.CannedReply{Name: "two words", Body: "y"}, inbox.EINVALID, "name"},
			{"empty body", admin, inbox.CannedReply{Name: "empty", Body: " "}, inbox.EINVALID, "body"},
			{"too long", admin, inbox.CannedReply{Name: "long", Body: strings.Repeat("a", 1601)}, inbox.EINVALID, "body"},
			{"unknown placeholder", admin, inbox.CannedReply{Name: "odd", Body: "Hi {{surname}}"}, inbox.EINVALID, "body"},
			{"taken", admin, inbox.CannedReply{Name: "THANKS", Body: "y"}, inbox.ECONFLICT, "name"},
			{"no such reply", admin, inbox.CannedReply{ID: 9999, Name: "ghost", Body: "y"}, inbox.ENOTFOUND, ""},
		} {
			_, err := svc.SaveCannedReply(ctx, tt.actor, tt.r)
			if inbox.ErrorCode(err) != tt.code || inbox.ErrorField(err) != tt.field {
				t.Errorf("%s: err=%v, want %s on %q", tt.name, err, tt.code, tt.field)
			}
		}
		thanks.Body = "Thank you, {{first_name}}."
		if _, err := svc.SaveCannedReply(ctx, admin, thanks); err != nil {
			t.Fatal(err)
		}
		rs, err := svc.CannedReplies(ctx)
		if err != nil || len(rs) != 2 || rs[0].Name != "hours" || rs[1].Body != "Thank you, {{first_name}}." {
			t.Fatalf("replies=%+v err=%v", rs, err)
		}
		if err := svc.DeleteCannedReply(ctx, ann, rs[0].ID); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("agent delete err=%v", err)
		}
		if err := svc.DeleteCannedReply(ctx, admin, rs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteCannedReply(ctx, admin, rs[0].ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("second delete err=%v", err)
		}
		if rs, _ := svc.CannedReplies(ctx); len(rs) != 1 {
			t.Errorf("after delete=%d", len(rs))
		}
	})
}
