package views_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/views"
)

func TestLoginPage(t *testing.T) {
	ctx := views.WithCSRF(context.Background(), testToken)
	providers := []views.Provider{
		{Name: "google", Label: "Continue with Google", URL: "/auth/google"},
		{Name: "github", Label: "Continue with GitHub", URL: "/auth/github"},
	}
	for _, tc := range []struct {
		name      string
		props     views.LoginProps
		providers int
		dev       bool
	}{
		{"providers only", views.LoginProps{Providers: providers}, 2, false},
		{"providers and dev", views.LoginProps{Providers: providers, DevSignIn: true}, 2, true},
		{"dev only", views.LoginProps{DevSignIn: true}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := MustRender(t, ctx, views.LoginPage(tc.props))
			assertStrictCSP(t, doc)
			buttons := doc.Find(byTestID("login-provider"))
			if buttons.Length() != tc.providers {
				t.Fatalf("provider buttons=%d, want %d", buttons.Length(), tc.providers)
			}
			for i := range tc.providers {
				b := buttons.Eq(i)
				if attr(b, "href") != providers[i].URL || text(b) != providers[i].Label {
					t.Errorf("button %d href=%q text=%q, want %q %q", i, attr(b, "href"), text(b), providers[i].URL, providers[i].Label)
				}
			}
			dev := doc.Find("form" + byTestID("dev-sign-in"))
			if got := dev.Length() == 1; got != tc.dev {
				t.Fatalf("dev sign-in shown=%v, want %v", got, tc.dev)
			}
			if tc.dev {
				if attr(dev, "action") != views.DevSignInURL || attr(dev, "method") != "post" {
					t.Errorf("dev form action=%q method=%q", attr(dev, "action"), attr(dev, "method"))
				}
				if got := attr(MustFind(t, dev, `input[name="_csrf"]`), "value"); got != testToken {
					t.Errorf("dev form _csrf=%q", got)
				}
				if got := text(MustFind(t, dev, "button")); got != "Continue as local admin (development)" {
					t.Errorf("dev button=%q", got)
				}
			}
			if !strings.Contains(text(doc.Find("body")), "Parley") {
				t.Error("no product name on the login page")
			}
		})
	}
}

func TestLoginPageMessages(t *testing.T) {
	doc := MustRender(t, context.Background(), views.LoginPage(views.LoginProps{
		Error: "Sign-in with <Google> failed", Notice: "Your session expired, sign in again",
	}))
	if got := text(MustFind(t, doc, byTestID("login-error"))); got != "Sign-in with <Google> failed" {
		t.Errorf("error=%q", got)
	}
	if got := text(MustFind(t, doc, byTestID("login-notice"))); got != "Your session expired, sign in again" {
		t.Errorf("notice=%q", got)
	}
	MustFind(t, doc, byTestID("login-no-providers"))
	if n := doc.Find(byTestID("app-header")).Length(); n != 0 {
		t.Error("login page shows the app header")
	}
}

func TestNotInvitedPage(t *testing.T) {
	doc := MustRender(t, context.Background(), views.NotInvitedPage("sam@example.com"))
	if got := text(MustFind(t, doc, byTestID("not-invited-email"))); got != "sam@example.com" {
		t.Errorf("email=%q", got)
	}
	if body := text(MustFind(t, doc, byTestID("not-invited"))); !strings.Contains(body, "admin") {
		t.Errorf("page=%q, want it to say whom to ask", body)
	}
	if got := attr(MustFind(t, doc, byTestID("back-to-login")), "href"); got != "/login" {
		t.Errorf("back link=%q, want /login", got)
	}
}

func TestErrorPage(t *testing.T) {
	doc := MustRender(t, context.Background(), views.ErrorPage(404, "That conversation does not exist."))
	if got := text(MustFind(t, doc, byTestID("error-status"))); got != "404" {
		t.Errorf("status=%q", got)
	}
	if got := text(MustFind(t, doc, "h1")); got != "Page not found" {
		t.Errorf("heading=%q", got)
	}
	if got := text(MustFind(t, doc, byTestID("error-message"))); got != "That conversation does not exist." {
		t.Errorf("message=%q", got)
	}
	if got := text(MustFind(t, doc, "title")); got != "Not Found · Parley" {
		t.Errorf("title=%q", got)
	}
	if got := text(MustFind(t, MustRender(t, context.Background(), views.ErrorPage(503, "")), "h1")); got != "Something went wrong" {
		t.Errorf("503 heading=%q", got)
	}
}

func TestLoginPageNext(t *testing.T) {
	doc := MustRender(t, context.Background(), views.LoginPage(views.LoginProps{DevSignIn: true, Next: "/conversations/7"}))
	if got := attr(MustFind(t, doc, byTestID("dev-sign-in")+` input[name="next"]`), "value"); got != "/conversations/7" {
		t.Errorf("next=%q, want /conversations/7", got)
	}
	none := MustRender(t, context.Background(), views.LoginPage(views.LoginProps{DevSignIn: true}))
	if n := none.Find(`input[name="next"]`).Length(); n != 0 {
		t.Errorf("found %d next fields without a Next, want 0", n)
	}
}
