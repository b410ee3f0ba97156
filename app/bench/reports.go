package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/store"
)

// reportPool is how many automatic replies the delivery reports of
// --reports are about: each gets a report in turn (queued, sent, then
// delivered with a rising Sequence), as Plivo reports a message's steps.
const reportPool = 1000

// reportSteps are the statuses of a reply's reports, in order; reports
// past the last repeat it with a higher Sequence.
var reportSteps = []string{"queued", "sent", "delivered"}

// seedAttempts is how many times seedReplies sends each HELP text at most.
const seedAttempts = 5

// firstSequence is the Sequence of a reply's first bench report: above any
// the carrier sent itself, so that no bench report is taken for one of
// those (a report already recorded changes nothing).
const firstSequence = 100

// settleFor is how long attackReports waits for the carrier's own reports
// of the seeded replies (the development server's simulated carrier
// reports each reply it sends from an XML answer, as Plivo does).
const settleFor = 10 * time.Second

// deliveryRef finds the message ID in the callback URL of the webhook's
// XML answer.
var deliveryRef = regexp.MustCompile(`ref=(\d+)`)

// seedReplies sends n HELP texts and returns the IDs of the automatic
// replies, read from the callback URLs of the XML answers. A text that is
// not answered with a reply (a 503 from a loaded server) is sent again, as
// a new text, up to seedAttempts times; one that never is leaves the pool
// smaller. It fails only when no reply was seeded.
func seedReplies(ctx context.Context, o ingestOptions, n int) ([]int64, error) {
	var (
		mu   sync.Mutex
		ids  []int64
		errs []error
		next atomic.Int64
		wg   sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n) && ctx.Err() == nil; i = next.Add(1) - 1 {
				var id int64
				var err error
				for range seedAttempts {
					if id, err = seedReply(ctx, client, o, i); err == nil {
						break
					}
				}
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					ids = append(ids, id)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(ids) == 0 && len(errs) > 0 {
		return nil, fmt.Errorf("bench: seed replies: %d failed, first: %w", len(errs), errs[0])
	}
	return ids, ctx.Err()
}

func seedReply(ctx context.Context, client *http.Client, o ingestOptions, i int64) (int64, error) {
	form := simulator.InboundForm(fmt.Sprintf("1416%07d", 5560000+i), o.channel, "HELP", uuid.NewString())
	req, err := simulator.SignedWebhook(ctx, o.token, o.base+"/api/sms/webhook", o.publicURL+"/api/sms/webhook", http.MethodPost, form)
	if err != nil {
		return 0, err
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err
	}
	m := deliveryRef.FindSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		return 0, fmt.Errorf("HELP answered %d without a reply: %.200s", res.StatusCode, body)
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
}

// reportsTargeter makes each request a signed delivery report for one of
// refs in turn, under the MessageUUID uuids gives it; the query's bench
// field (covered by the signature, ignored by Parley) names the report as
// ref/sequence.
func reportsTargeter(o ingestOptions, refs []int64, uuids map[int64]string) vegeta.Targeter {
	var n atomic.Int64
	return func(t *vegeta.Target) error {
		i := n.Add(1) - 1
		ref := refs[i%int64(len(refs))]
		k := int(i / int64(len(refs)))
		send := simulator.Send{UUID: uuids[ref], Src: o.channel, Dst: "14155550100", Type: "sms"}
		seq := firstSequence + k
		form := simulator.DeliveryForm(send, reportSteps[min(k, len(reportSteps)-1)], seq, "")
		path := fmt.Sprintf("/api/sms/delivery?ref=%d&bench=%d/%d", ref, ref, seq)
		req, err := simulator.SignedWebhook(context.Background(), o.token, o.base+path, o.publicURL+path, http.MethodPost, form)
		if err != nil {
			return err
		}
		t.Method, t.URL, t.Body, t.Header = http.MethodPost, o.base+path, []byte(form.Encode()), req.Header
		return nil
	}
}

// attackReports seeds automatic replies, then sends their delivery
// reports as fast as o allows, and verifies that every report answered 2xx
// is in its message's timeline exactly once.
func attackReports(ctx context.Context, o ingestOptions, db string, progress io.Writer) (ingestResult, error) {
	fmt.Fprintf(progress, "delivery reports: seeding %d automatic replies\n", reportPool)
	refs, err := seedReplies(ctx, o, reportPool)
	if err != nil {
		return ingestResult{}, err
	}
	if len(refs) < reportPool {
		fmt.Fprintf(progress, "delivery reports: %d replies seeded, %d HELP texts never answered with one\n", len(refs), reportPool-len(refs))
	}
	uuids, err := replyUUIDs(ctx, db, refs, settleFor)
	if err != nil {
		return ingestResult{}, err
	}
	fmt.Fprintf(progress, "delivery reports: %s, %d workers, %v\n", rateLabel(o.rate), o.workers, o.duration)
	res, err := attack(ctx, o, reportsTargeter(o, refs, uuids), progress)
	if err != nil {
		return res, err
	}
	res.Verify, err = verifyReports(ctx, db, res.acked)
	return res, err
}

// replyUUIDs returns the MessageUUID each reply's reports must carry: the
// one the carrier gave it, once its own first report has arrived (within
// wait), or one of the bench's own for a reply the carrier has not
// reported. A report under another MessageUUID would be refused as naming
// another message.
func replyUUIDs(ctx context.Context, dsn string, refs []int64, wait time.Duration) (map[int64]string, error) {
	s, err := store.Open(ctx, dsn, store.Options{MaxOpenConns: 2})
	if err != nil {
		return nil, fmt.Errorf("delivery reports: %w", err)
	}
	defer s.Close()
	uuids := make(map[int64]string, len(refs))
	deadline := time.Now().Add(wait)
	for _, ref := range refs {
		for {
			m, err := s.FindMessageByID(ctx, ref)
			if err != nil {
				return nil, fmt.Errorf("delivery reports: reply %d: %w", ref, err)
			}
			if m.ProviderUUID != "" || time.Now().After(deadline) {
				uuids[ref] = m.ProviderUUID
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if uuids[ref] == "" {
			uuids[ref] = fmt.Sprintf("bench-report-%d", ref)
		}
	}
	return uuids, nil
}

// verifyReports counts, for each acknowledged report (ref/sequence), the
// entries of that sequence in its message's timeline.
func verifyReports(ctx context.Context, dsn string, acked []string) (*Verification, error) {
	s, err := store.Open(ctx, dsn, store.Options{MaxOpenConns: 2})
	if err != nil {
		return nil, fmt.Errorf("verification: %w", err)
	}
	defer s.Close()
	stored := map[string]int{}
	seen := map[string]bool{}
	for _, key := range acked {
		ref, _, ok := strings.Cut(key, "/")
		if !ok || seen[ref] {
			continue
		}
		seen[ref] = true
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("verification: report %q: %w", key, err)
		}
		events, err := s.MessageEvents(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("verification: %w", err)
		}
		for _, e := range events {
			stored[ref+"/"+strconv.Itoa(e.Sequence)]++
		}
	}
	v := VerifyCounts(acked, stored)
	return &v, nil
}

// ackedName is the bench field of a result's URL.
func ackedName(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	if name := u.Query().Get("bench"); name != "" {
		return name, nil
	}
	return "", errors.New("no bench field")
}
