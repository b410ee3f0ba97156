package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// localPageData keys a request's pageData in its locals.
const localPageData = "parley.page"

// pageData is what many parts of one page show: the team (assignees,
// "Sent by" marks, note authors) and the labels. It reads each at most
// once, on first use, so that a thread, its header and the list rows
// beside it, or the fragments of one live event, share one query rather
// than each running its own. It lives for one request (s.page) or one live
// event (newPageData) and is not safe for concurrent use. Being filled on
// first use, a handler that changes users or labels and then shows them
// reads them after the change.
type pageData struct {
	ctx context.Context
	svc *inbox.Service

	team     loaded[[]inbox.User]
	labelSet loaded[[]inbox.Label]
}

// loaded is a value read at most once.
type loaded[T any] struct {
	value T
	done  bool
}

// get returns the value, reading it through read the first time. A failed
// read is not kept: the next get tries again.
func (l *loaded[T]) get(read func() (T, error)) (T, error) {
	if !l.done {
		v, err := read()
		if err != nil {
			return v, err
		}
		l.value, l.done = v, true
	}
	return l.value, nil
}

// newPageData starts the page data of one live event (or of anything else
// that is not a request), read through ctx.
func (s *server) newPageData(ctx context.Context) *pageData {
	return &pageData{ctx: ctx, svc: s.deps.Inbox}
}

// page is the request's page data, made on first use.
func (s *server) page(c *fiber.Ctx) *pageData {
	if d, ok := c.Locals(localPageData).(*pageData); ok {
		return d
	}
	d := s.newPageData(c.UserContext())
	c.Locals(localPageData, d)
	return d
}

// users is everyone who may sign in.
func (d *pageData) users() ([]inbox.User, error) {
	return d.team.get(func() ([]inbox.User, error) { return d.svc.ListUsers(d.ctx) })
}

// labels is every label, by name.
func (d *pageData) labels() ([]inbox.Label, error) {
	return d.labelSet.get(func() ([]inbox.Label, error) { return d.svc.Labels(d.ctx) })
}

// names maps user IDs to display names, for "Sent by" marks.
func (d *pageData) names() (map[int64]string, error) {
	users, err := d.users()
	if err != nil {
		return nil, err
	}
	return displayNames(users), nil
}
