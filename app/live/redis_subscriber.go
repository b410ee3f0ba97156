package live

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisSubscriber feeds one Subscription from Redis. go-redis reconnects a
// PubSub and subscribes again by itself when a read fails; this loop sees
// the failure as an error and the new subscription as a confirmation, and
// turns them into notices. A connection that dies silently is caught by the
// health check, which replaces the PubSub.
type redisSubscriber struct {
	client *redis.Client
	opts   RedisOptions
	sub    *Subscription

	mu     sync.Mutex
	ps     *redis.PubSub
	closed bool
	done   chan struct{} // closed by stop
	exited chan struct{} // closed when run returns

	connected bool // touched only by run
	skipped   int  // malformed messages; touched only by run
}

func (rs *redisSubscriber) current() *redis.PubSub {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.closed {
		return nil
	}
	return rs.ps
}

// stop closes the PubSub, which ends a blocked read, and waits for run.
func (rs *redisSubscriber) stop() {
	rs.mu.Lock()
	if rs.closed {
		rs.mu.Unlock()
		return
	}
	rs.closed = true
	close(rs.done)
	ps := rs.ps
	rs.mu.Unlock()
	_ = ps.Close()
	<-rs.exited
}

// run reads the subscription until stop. A panic in the loop is logged
// and counted, the subscription is told to resync (the message in hand may
// be lost), and the loop starts again after panicRestartDelay.
func (rs *redisSubscriber) run() {
	defer close(rs.exited)
	log := rs.opts.Logger.With(slog.String("channel", rs.opts.Channel))
	rs.connected = true
	for recovered(log, "redis_subscriber", rs.opts.OnPanic, func() { rs.loop(log) }) {
		rs.sub.signal(Notice{Connected: rs.connected, Resync: true})
		if !rs.sleep(panicRestartDelay) {
			return
		}
	}
}

// loop reads messages, pings and reconnects until stop.
func (rs *redisSubscriber) loop(log *slog.Logger) {
	ctx := context.Background()
	var wait backoff
	pinged := false // a health-check ping is waiting for its answer
	for {
		ps := rs.current()
		if ps == nil {
			return
		}
		msg, err := ps.ReceiveTimeout(ctx, rs.opts.HealthCheck)
		if rs.current() == nil {
			return
		}
		var lostBecause error
		switch {
		case isTimeout(err) && pinged:
			lostBecause = errors.New("health-check ping unanswered")
			rs.replace(ctx)
		case isTimeout(err):
			pingCtx, cancel := context.WithTimeout(ctx, rs.opts.Timeout)
			lostBecause = ps.Ping(pingCtx) // on failure go-redis reconnects
			cancel()
			pinged = lostBecause == nil
		case err != nil:
			lostBecause = err
			var replyErr redis.Error
			if errors.As(err, &replyErr) {
				// go-redis keeps the connection after an error reply;
				// start afresh so a confirmation marks the way back.
				rs.replace(ctx)
			}
		}
		if lostBecause != nil {
			rs.lost(log, lostBecause)
			if !rs.sleep(wait.next()) {
				return
			}
			continue
		}
		if err != nil { // a timeout answered by sending a ping
			continue
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" && m.Channel == rs.opts.Channel {
				// Any confirmation after the one Subscribe read means a new
				// connection: events may have been missed in between.
				rs.connected = true
				wait.reset()
				log.Info("live: redis subscription restored")
				rs.sub.signal(Notice{Connected: true, Resync: true})
			}
		case *redis.Message:
			e, err := decodeEvent(m.Payload)
			if err != nil {
				rs.skipped++
				log.Warn("live: skipped malformed message", slog.Any("err", err), slog.Int("skipped", rs.skipped))
				continue
			}
			rs.sub.deliver(e)
		}
	}
}

// lost reports the first failure of a connection; later ones until it is
// restored only add to the backoff.
func (rs *redisSubscriber) lost(log *slog.Logger, err error) {
	if !rs.connected {
		return
	}
	rs.connected = false
	log.Warn("live: redis subscription lost", slog.Any("err", err))
	rs.sub.signal(Notice{Connected: false})
}

// replace swaps a PubSub whose connection died silently for a new one.
func (rs *redisSubscriber) replace(ctx context.Context) {
	fresh := rs.client.Subscribe(ctx) // no channels yet: does not dial
	rs.mu.Lock()
	if rs.closed {
		rs.mu.Unlock()
		_ = fresh.Close()
		return
	}
	old := rs.ps
	rs.ps = fresh
	rs.mu.Unlock()
	_ = old.Close()
	subCtx, cancel := context.WithTimeout(ctx, rs.opts.Timeout)
	defer cancel()
	// On failure the channel stays recorded, and the next read retries.
	_ = fresh.Subscribe(subCtx, rs.opts.Channel)
}

// sleep waits about d, jittered, and reports false if stopped meanwhile.
func (rs *redisSubscriber) sleep(d time.Duration) bool {
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-rs.done:
		return false
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
