// Package views renders Parley's pages and htmx fragments with templ.
//
// Components are pure: each takes a props struct of plain fields and inbox
// value types, runs no queries and knows nothing of Fiber. Request-scoped
// values (the CSRF token, the signed-in user, the time "now" for relative
// labels) travel on the context through the With* functions here, which the
// web layer calls before rendering. Every region that htmx swaps has an id
// and a data-testid.
package views

import (
	"context"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

type ctxKey int

const (
	csrfKey ctxKey = iota
	userKey
	nowKey
	liveKey
)

// WithCSRF returns ctx carrying the CSRF token that forms and the
// csrf-token meta tag (read by htmx requests) send back.
func WithCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey, token)
}

// CSRF returns the token set by WithCSRF, or "".
func CSRF(ctx context.Context) string {
	tok, _ := ctx.Value(csrfKey).(string)
	return tok
}

// WithUser returns ctx carrying the signed-in user.
func WithUser(ctx context.Context, u inbox.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// CurrentUser returns the user set by WithUser; false when nobody is
// signed in.
func CurrentUser(ctx context.Context) (inbox.User, bool) {
	u, ok := ctx.Value(userKey).(inbox.User)
	return u, ok
}

// WithNow returns ctx carrying the time that relative labels ("5m") are
// counted from. Its Location is the zone times are shown in.
func WithNow(ctx context.Context, now time.Time) context.Context {
	return context.WithValue(ctx, nowKey, now)
}

// Now returns the time set by WithNow, or the current time in UTC.
func Now(ctx context.Context) time.Time {
	if t, ok := ctx.Value(nowKey).(time.Time); ok {
		return t
	}
	return time.Now().UTC()
}

// LiveFeed connects a page whose handler does not (a settings screen, New
// message) to the live feed: URL as in LayoutProps.EventsURL, and the
// unread count the header's badge starts from.
type LiveFeed struct {
	URL    string
	Unread int
}

// WithLiveFeed returns ctx carrying the live feed for Layout.
func WithLiveFeed(ctx context.Context, f LiveFeed) context.Context {
	return context.WithValue(ctx, liveKey, f)
}

// live fills in p's live feed and unread count from WithLiveFeed when the
// page's own props leave them unset.
func live(ctx context.Context, p LayoutProps) LayoutProps {
	f, ok := ctx.Value(liveKey).(LiveFeed)
	if !ok || p.EventsURL != "" {
		return p
	}
	p.EventsURL = f.URL
	if p.Unread == 0 {
		p.Unread = f.Unread
	}
	return p
}
