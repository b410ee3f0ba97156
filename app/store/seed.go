package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// SeedOptions size a generated dataset.
type SeedOptions struct {
	Conversations int
	Messages      int
	// Channel is our number the conversations are on.
	Channel inbox.Number
	// Seed makes the data repeatable.
	Seed uint64
	// Progress, when set, is told how many messages are written so far.
	Progress func(done int)
}

var seedWords = strings.Fields(`hello hi thanks order parcel delivery refund when where
	tomorrow today please help account payment card address change cancel booking
	appointment time open store price invoice receipt problem broken damaged missing
	late early great good okay sure question answer call back email number code`)

// Seed writes a realistic dataset straight into the tables in large
// batches: contacts texting our number, agents and automatic replies
// answering, statuses spread over the delivery states. It bypasses the
// domain on purpose (a million webhooks would take far longer) and is for
// benchmarks and demos, never for real data.
func (s *Store) Seed(ctx context.Context, o SeedOptions) error {
	if o.Conversations <= 0 || o.Messages < o.Conversations {
		return fmt.Errorf("store: seed needs conversations > 0 and messages >= conversations")
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	start := time.Now().UTC().Add(-90 * 24 * time.Hour).Truncate(time.Microsecond)
	perConv := o.Messages / o.Conversations
	extra := o.Messages % o.Conversations
	// On PostgreSQL the rollups' triggers, which see a whole multi-row
	// insert at once and rebuild a conversation's waits for each of its
	// messages, made a million messages take about 45 minutes. There the
	// seed is one transaction that turns them off, writes, turns them on
	// and rebuilds the rollups in one pass (1 min 40 s): ALTER TABLE is
	// transactional, so a seed that stops half way leaves them on and
	// writes nothing.
	var b seedBatches
	b.rng, b.start, b.perConv, b.extra, b.o = rng, start, perConv, extra, o
	if s.dialect != "postgres" {
		for first := 0; first < o.Conversations; first += seedBatch {
			if err := s.Atomically(ctx, func(ctx context.Context, tx inbox.Tx) error {
				return b.write(ctx, tx.(txStore).db, first)
			}); err != nil {
				return fmt.Errorf("store: seed: %w", err)
			}
		}
		return nil
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		const triggers = "ALTER TABLE conversations %[1]s TRIGGER USER; ALTER TABLE messages %[1]s TRIGGER USER"
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(triggers, "DISABLE")); err != nil {
			return err
		}
		for first := 0; first < o.Conversations; first += seedBatch {
			if err := b.write(ctx, tx, first); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(triggers, "ENABLE")); err != nil {
			return err
		}
		return s.rebuildReportRollups(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	return nil
}

// seedBatch is how many conversations one batch of the seed writes.
const seedBatch = 500

// seedBatches writes the seed a batch of conversations at a time.
type seedBatches struct {
	o              SeedOptions
	rng            *rand.Rand
	start          time.Time
	perConv, extra int
	done           int
}

// write writes the batch of conversations from first, with their messages.
func (b *seedBatches) write(ctx context.Context, db bun.IDB, first int) error {
	o, rng := b.o, b.rng
	n := min(seedBatch, o.Conversations-first)
	convs := make([]conversationRow, n)
	counts := make([]int, n)
	for i := range convs {
		counts[i] = b.perConv
		if first+i < b.extra {
			counts[i]++
		}
		at := b.start.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
		status := "open"
		if rng.IntN(3) == 0 {
			status = "closed"
		}
		convs[i] = conversationRow{
			ContactNumber: fmt.Sprintf("+1%03d%07d", 201+rng.IntN(700), first+i),
			ChannelNumber: string(o.Channel), Status: status, LastMessageAt: at,
			MessageCount: counts[i], UnreadCount: rng.IntN(2) * rng.IntN(4),
			CreatedAt: at, UpdatedAt: at,
		}
		if rng.IntN(50) == 0 {
			t := at
			convs[i].OptedOutAt = &t
		}
	}
	if _, err := db.NewInsert().Model(&convs).ExcludeColumn("id", "assignee_id").Returning("id").Exec(ctx); err != nil {
		return err
	}
	var msgs []messageRow
	for i, c := range convs {
		terms := ""
		for k := range counts[i] {
			at := c.LastMessageAt.Add(-time.Duration(counts[i]-k) * time.Minute)
			msgs = append(msgs, seedMessage(rng, c, k, at))
			terms, _ = mergeTerms(terms, searchTerms(msgs[len(msgs)-1].Body))
		}
		last := msgs[len(msgs)-1]
		c.LastMessagePreview = inbox.Preview(last.Body, inbox.PreviewLength)
		if _, err := db.NewUpdate().Model((*conversationRow)(nil)).Set("last_message_preview = ?", c.LastMessagePreview).
			Set("last_message_direction = ?", last.Direction).Set("last_message_sent_by = ?", nullID(last.SentBy)).
			Set("last_message_media = ?", len(last.Media)).
			Set("search_terms = ?", terms).Where("id = ?", c.ID).Exec(ctx); err != nil {
			return err
		}
	}
	for len(msgs) > 0 {
		chunk := msgs[:min(len(msgs), 1000)]
		msgs = msgs[len(chunk):]
		if _, err := db.NewInsert().Model(&chunk).ExcludeColumn("id").Exec(ctx); err != nil {
			return err
		}
		b.done += len(chunk)
	}
	if o.Progress != nil {
		o.Progress(b.done)
	}
	return nil
}

func seedMessage(rng *rand.Rand, c conversationRow, k int, at time.Time) messageRow {
	words := make([]string, 3+rng.IntN(14))
	for i := range words {
		words[i] = seedWords[rng.IntN(len(seedWords))]
	}
	body := strings.Join(words, " ")
	m := messageRow{
		ConversationID: c.ID, Body: body, Media: []inbox.Media{}, Encoding: string(inbox.GSM7),
		Segments: 1, CreatedAt: at, UpdatedAt: at,
	}
	if k%2 == 0 {
		m.Direction, m.FromNumber, m.ToNumber, m.Status = "inbound", c.ContactNumber, c.ChannelNumber, "received"
		m.ProviderUUID = fmt.Sprintf("seed-%d-%d-%d", c.ID, k, rng.Uint32())
		return m
	}
	m.Direction, m.FromNumber, m.ToNumber, m.Via = "outbound", c.ChannelNumber, c.ContactNumber, inbox.ViaAPI
	m.Status = []string{"delivered", "delivered", "delivered", "sent", "undelivered", "failed"}[rng.IntN(6)]
	return m
}
