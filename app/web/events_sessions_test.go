package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// signInAgent returns a client holding a fresh session of a new agent.
func (ls *liveServer) signInAgent(t *testing.T, email string) (*http.Client, inbox.User, inbox.Session) {
	t.Helper()
	ctx := context.Background()
	admin, err := ls.store.FindUserByEmail(ctx, inbox.DevelopmentAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ls.svc.InviteUser(ctx, admin, email, inbox.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	token, sess, err := ls.svc.StartSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := ls.auth.SealSession(token, sess.ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ls.base)
	jar.SetCookies(base, []*http.Cookie{{Name: "parley_session", Value: sealed, Path: "/"}})
	return &http.Client{Jar: jar}, u, sess
}

// adminPost posts a form as the local admin, with the page's CSRF token.
func (ls *liveServer) adminPost(t *testing.T, path string, form url.Values) {
	t.Helper()
	form.Set("_csrf", ls.pageCSRF(t, ls.client))
	resp, err := ls.client.PostForm(ls.base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		t.Fatalf("POST %s=%d, want success", path, resp.StatusCode)
	}
}

// Removal, sign-out, a role change and the session's expiry each end the
// person's open stream at once, not at the next heartbeat (an hour away
// here); a removed or signed-out person's browser cannot reconnect.
func TestEventsStreamEndsAtOnceWhenAccessChanges(t *testing.T) {
	tests := []struct {
		name string
		// before runs before the stream opens, end while it is open.
		before    func(t *testing.T, ls *liveServer, u inbox.User, sess inbox.Session)
		end       func(t *testing.T, ls *liveServer, c *http.Client, u inbox.User)
		reconnect bool // whether the browser may open a new stream after
	}{
		{name: "removal", end: func(t *testing.T, ls *liveServer, _ *http.Client, u inbox.User) {
			ls.adminPost(t, "/settings/users/"+itoa(u.ID)+"/remove", url.Values{})
		}},
		{name: "sign-out", end: func(t *testing.T, ls *liveServer, c *http.Client, _ inbox.User) {
			tok := ls.pageCSRF(t, c)
			resp, err := c.PostForm(ls.base+"/auth/logout", url.Values{"_csrf": {tok}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}},
		{name: "role change", reconnect: true, end: func(t *testing.T, ls *liveServer, _ *http.Client, u inbox.User) {
			ls.adminPost(t, "/settings/users/"+itoa(u.ID)+"/role", url.Values{"role": {"admin"}})
		}},
		{
			name: "expiry",
			before: func(t *testing.T, ls *liveServer, _ inbox.User, sess inbox.Session) {
				soon := time.Now().Add(300 * time.Millisecond)
				if _, err := ls.store.DB().NewUpdate().TableExpr("sessions").Set("expires_at = ?", soon).
					Where("id = ?", sess.ID).Exec(context.Background()); err != nil {
					t.Fatal(err)
				}
			},
			end: func(*testing.T, *liveServer, *http.Client, inbox.User) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := newLiveServer(t, liveOptions{heartbeat: time.Hour})
			c, u, sess := ls.signInAgent(t, "ana@example.com")
			if tt.before != nil {
				tt.before(t, ls, u, sess)
			}
			s := ls.openStream(t, c, "/events", "")
			tt.end(t, ls, c, u)
			select {
			case <-s.ended:
			case <-time.After(liveWait):
				t.Fatalf("stream still open %v after the %s", liveWait, tt.name)
			}
			if got := streamStatus(t, ls, c); (got == http.StatusOK) != tt.reconnect {
				t.Fatalf("reconnect after the %s: stream answered %d, want a stream=%v", tt.name, got, tt.reconnect)
			}
		})
	}
}

// streamStatus opens /events without following redirects and returns 200
// only for a live stream.
func streamStatus(t *testing.T, ls *liveServer, c *http.Client) int {
	t.Helper()
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ls.base+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("/events answered 200 without a stream: %.200s", b)
	}
	return resp.StatusCode
}
