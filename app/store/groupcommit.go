package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// DefaultMaxBatch is how many units one shared transaction holds at most
// unless GroupCommitOptions says otherwise.
const DefaultMaxBatch = 64

// DefaultTransactions is how many shared transactions PostgreSQL runs at
// once unless GroupCommitOptions says otherwise. Two measured best: one
// leaves PostgreSQL idle while Parley prepares the next batch, and more
// split the waiting texts into smaller batches (BENCHMARKS.md).
const DefaultTransactions = 2

// GroupCommitOptions tunes a GroupCommit; zero values pick defaults.
type GroupCommitOptions struct {
	// MaxBatch is the most units one transaction holds.
	MaxBatch int
	// Transactions is how many shared transactions may be in flight at
	// once on PostgreSQL (default 2); SQLite has one writer, so one.
	Transactions int
}

// GroupCommit writes the units of work of concurrent callers several to a
// transaction, with one commit for all (inbox.GroupCommitter). There is no
// timer: a unit that finds nothing in flight starts a transaction at once,
// so a lone webhook waits for nothing; units that arrive while a
// transaction is in flight wait for it and then go together in the next
// one. The window is the commit before, and grows with the load.
//
// On SQLite one transaction is in flight at a time: there is one writer.
// PostgreSQL runs a few at once, because a transaction's statements are
// round trips, each a wait for the server: one transaction at a time would
// chain every text's round trips end to end, and on a busy machine each
// wait is long (docs/decisions.md). Each transaction runs its units in the
// order of their keys, so that two of them take conversations in the
// same order and do not deadlock.
type GroupCommit struct {
	s        *Store
	maxBatch int
	maxTx    int

	mu       sync.Mutex
	queue    []*unit
	inFlight int
	// tries counts the transactions begun, retries included.
	tries atomic.Int64
	// ahead counts the texts written ahead of their units.
	ahead atomic.Int64
}

var _ inbox.GroupCommitter = (*GroupCommit)(nil)

// NewGroupCommit returns a GroupCommit over s.
func NewGroupCommit(s *Store, o GroupCommitOptions) *GroupCommit {
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	switch {
	case s.dialect != "postgres":
		o.Transactions = 1
	case o.Transactions <= 0:
		o.Transactions = DefaultTransactions
	}
	return &GroupCommit{s: s, maxBatch: o.MaxBatch, maxTx: o.Transactions}
}

// unit is one caller's work and, once done is closed, its outcome.
type unit struct {
	key      string
	inbound  *inbox.InboundText
	ctx      context.Context
	fn       func(context.Context, inbox.OutboxTx) error
	err      error
	panicked any
	done     chan struct{}
}

// errPanicked stands for a unit's panic until its caller raises it again.
var errPanicked = errors.New("store: the unit of work panicked")

// AtomicallyShared implements inbox.GroupCommitter. It waits for the
// commit even when ctx ends first: the unit may be in a transaction that
// is about to commit, and its caller must not answer before knowing.
// A unit whose ctx has ended before its transaction begins (or begins
// again, after another unit failed) is not run.
func (g *GroupCommit) AtomicallyShared(ctx context.Context, su inbox.SharedUnit, fn func(context.Context, inbox.OutboxTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	u := &unit{key: su.Key, inbound: su.Inbound, ctx: ctx, fn: fn, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, u)
	lead := g.inFlight < g.maxTx
	if lead {
		g.inFlight++
	}
	g.mu.Unlock()
	if lead {
		g.lead()
	}
	<-u.done
	if u.panicked != nil {
		panic(u.panicked)
	}
	return u.err
}

// lead commits the queue's first batch on the caller's goroutine, so that
// a lone unit costs no hand-over, and leaves what arrived meanwhile to a
// goroutine of its own, so that the caller answers after its own commit.
func (g *GroupCommit) lead() {
	g.commit(g.take())
	g.mu.Lock()
	more := len(g.queue) > 0
	if !more {
		g.inFlight--
	}
	g.mu.Unlock()
	if more {
		go g.drain()
	}
}

// drain commits batches until the queue is empty.
func (g *GroupCommit) drain() {
	for {
		g.commit(g.take())
		g.mu.Lock()
		if len(g.queue) == 0 {
			g.inFlight--
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
	}
}

// take removes up to maxBatch units from the head of the queue.
func (g *GroupCommit) take() []*unit {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := min(len(g.queue), g.maxBatch)
	batch := slices.Clone(g.queue[:n])
	g.queue = slices.Delete(g.queue, 0, n)
	return batch
}

// commit runs batch in one transaction and tells each unit its outcome. A
// unit that fails is rolled back with everything else, told its error,
// and the rest run again without it: a retry of the rest is all one bad
// unit costs the others. When a statement written for several units at
// once fails (sharedwrites.go), no unit can be blamed: the batch runs
// again with each unit's own statements, which find the one at fault.
func (g *GroupCommit) commit(batch []*unit) {
	pending := stillAwaited(batch)
	if len(pending) == 0 {
		return
	}
	slices.SortStableFunc(pending, func(a, b *unit) int { return strings.Compare(a.key, b.key) })
	ctx, cancel := batchContext(pending)
	defer cancel()
	shared := true
	for len(pending) > 0 {
		failed, err := g.try(ctx, pending, shared)
		if failed == sharedFailed {
			shared = false
			continue
		}
		if failed < 0 {
			for _, u := range pending {
				u.finish(err)
			}
			return
		}
		pending[failed].finish(err)
		// A retry runs only what its callers still wait for.
		pending = stillAwaited(slices.Delete(pending, failed, failed+1))
	}
}

// stillAwaited tells the units whose caller's context has ended so, and
// returns the others, in order.
func stillAwaited(units []*unit) []*unit {
	kept := units[:0]
	for _, u := range units {
		if err := u.ctx.Err(); err != nil {
			u.finish(err)
			continue
		}
		kept = append(kept, u)
	}
	return kept
}

// sharedFailed is try's answer when a statement written for several units
// failed.
const sharedFailed = -2

// try runs units in one transaction and commits it. It returns the index
// of the first unit that failed, with its error, after rolling back;
// sharedFailed when a statement for several units failed (with shared
// writes only); or -1 and the outcome of the commit, which is every
// unit's.
func (g *GroupCommit) try(ctx context.Context, units []*unit, shared bool) (int, error) {
	g.tries.Add(1)
	stmts := g.s.sqliteStatements(ctx)
	tx, err := g.s.db.BeginTx(ctx, nil)
	if err != nil {
		return -1, fmt.Errorf("store: begin shared transaction: %w", err)
	}
	t := g.s.newTx(tx, stmts)
	if shared && len(units) > 1 {
		t.shared = &sharedWrites{}
		texts := make([]*inbox.InboundText, len(units))
		for i, u := range units {
			texts[i] = u.inbound
		}
		if err := t.writeTexts(ctx, texts); err != nil {
			_ = tx.Rollback()
			return sharedFailed, err
		}
		g.ahead.Add(int64(len(t.shared.texts)))
	}
	for i, u := range units {
		if err := u.run(ctx, t); err != nil {
			// Its error, not the rollback's, is the unit's outcome.
			_ = tx.Rollback()
			return i, err
		}
	}
	if t.shared != nil {
		if err := t.flushEvents(ctx); err != nil {
			_ = tx.Rollback()
			return sharedFailed, err
		}
	}
	if err := tx.Commit(); err != nil {
		return -1, fmt.Errorf("store: commit shared transaction: %w", err)
	}
	return -1, nil
}

// run runs the unit's work in t, turning a panic into an error for the
// transaction and keeping its value for the caller.
func (u *unit) run(ctx context.Context, t txStore) (err error) {
	defer func() {
		if r := recover(); r != nil {
			u.panicked = r
			err = errPanicked
		}
	}()
	return u.fn(ctx, t)
}

// finish records the unit's outcome and wakes its caller.
func (u *unit) finish(err error) {
	if u.panicked != nil {
		err = errPanicked
	}
	u.err = err
	close(u.done)
}

// batchContext is the context of a shared transaction: no one caller's
// cancellation ends it (the others' work is in it too), and its deadline is
// the latest of theirs, so it ends when nobody waits any more. Values come
// from the first unit.
func batchContext(units []*unit) (context.Context, context.CancelFunc) {
	var latest time.Time
	for _, u := range units {
		d, ok := u.ctx.Deadline()
		if !ok {
			return context.WithCancel(context.WithoutCancel(units[0].ctx))
		}
		if d.After(latest) {
			latest = d
		}
	}
	return context.WithDeadline(context.WithoutCancel(units[0].ctx), latest)
}
