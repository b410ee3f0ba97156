package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// CopierOptions configure a Copier. Zero values take the defaults.
type CopierOptions struct {
	Queue inbox.MediaCopyStore
	Store Store
	// Client fetches the carrier's URLs; its own timeout is kept, and each
	// fetch is bounded by FetchTimeout as well.
	Client       *http.Client
	Clock        inbox.Clock
	Log          *slog.Logger
	PollInterval time.Duration
	// FetchTimeout bounds one download; 30 s.
	FetchTimeout time.Duration
	// MaxAttempts is how many tries a file gets before Parley gives up; 8
	// (about two hours of backing off).
	MaxAttempts int
	// FirstRetry is the wait after the first failure, doubled after each
	// further one up to an hour; 30 s.
	FirstRetry time.Duration
	// Publisher announces each message whose attachment changed, so open
	// threads show the kept picture or the failure at once.
	Publisher inbox.Publisher
}

// Copier keeps inbound media: it fetches each queued file from the
// carrier's URL (bounded in bytes and time), checks its type from the
// bytes, stores it with its thumbnail, and records the outcome on the
// message. Several copiers may share a queue.
type Copier struct{ o CopierOptions }

// NewCopier returns a Copier.
func NewCopier(o CopierOptions) *Copier {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: time.Minute}
	}
	if o.Clock == nil {
		o.Clock = inbox.SystemClock{}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 2 * time.Second
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 30 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.FirstRetry <= 0 {
		o.FirstRetry = 30 * time.Second
	}
	return &Copier{o: o}
}

// Run copies files until ctx ends.
func (c *Copier) Run(ctx context.Context) {
	t := time.NewTicker(c.o.PollInterval)
	defer t.Stop()
	for {
		if _, err := c.RunOnce(ctx); err != nil && ctx.Err() == nil {
			c.o.Log.Warn("media: copy round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims the files that are due and copies them one by one. It
// returns how many it handled.
func (c *Copier) RunOnce(ctx context.Context) (int, error) {
	copies, err := c.o.Queue.ClaimMediaCopies(ctx, 10, c.o.Clock.Now(), 2*c.o.FetchTimeout+time.Minute)
	if err != nil {
		return 0, err
	}
	for _, cp := range copies {
		if err := c.copy(ctx, cp); err != nil {
			return 0, err
		}
	}
	return len(copies), nil
}

// copy fetches and keeps one file, and records what happened. Only a
// failure to record is returned: the claim's lease brings the copy back.
func (c *Copier) copy(ctx context.Context, cp inbox.MediaCopy) error {
	a, err := c.fetch(ctx, cp.URL)
	now := c.o.Clock.Now()
	if err == nil {
		f := inbox.MediaFile{Key: a.Key, Thumb: a.Thumb, Name: a.Name, Size: a.Size}
		ev, err := c.o.Queue.KeepMediaCopy(ctx, cp, f, a.ContentType, now)
		if err != nil {
			return err
		}
		c.publish(ctx, ev)
		return nil
	}
	var refused *RefusedError
	var next *time.Time
	if !errors.As(err, &refused) && cp.Attempts < c.o.MaxAttempts {
		at := now.Add(c.backoff(cp.Attempts))
		next = &at
	}
	c.o.Log.Warn("media: could not keep an inbound file", "message_id", cp.MessageID, "position", cp.Position, "attempt", cp.Attempts, "err", err, "retry", next != nil)
	ev, err := c.o.Queue.FailMediaCopy(ctx, cp, err.Error(), next, now)
	if err != nil {
		return err
	}
	c.publish(ctx, ev)
	return nil
}

func (c *Copier) publish(ctx context.Context, ev inbox.Event) {
	if c.o.Publisher != nil {
		c.o.Publisher.Publish(ctx, ev)
	}
}

// backoff is the wait after the n-th failed try.
func (c *Copier) backoff(n int) time.Duration {
	d := c.o.FirstRetry
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// fetch downloads the file at url and keeps it. Its errors are worded for
// the thread ("the carrier answered 404").
func (c *Copier) fetch(ctx context.Context, url string) (Attachment, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Attachment{}, refused("the carrier's link is not a URL")
	}
	resp, err := c.o.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Attachment{}, fmt.Errorf("the carrier did not send the file within %s", c.o.FetchTimeout)
		}
		return Attachment{}, errors.New("the carrier's media server did not answer")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Attachment{}, fmt.Errorf("the carrier answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if resp.ContentLength > MaxInboundBytes {
		return Attachment{}, refused("the file is %s, more than the %s Parley keeps", FormatSize(resp.ContentLength), FormatSize(MaxInboundBytes))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxInboundBytes+1))
	if err != nil {
		return Attachment{}, errors.New("the download was cut off")
	}
	// The type comes from the bytes alone: the carrier's header and the
	// URL's name are not trusted.
	a, err := Keep(ctx, c.o.Store, "", "", data, MaxInboundBytes)
	if err != nil {
		return Attachment{}, err
	}
	a.Name = path.Base(req.URL.Path)
	return a, nil
}
