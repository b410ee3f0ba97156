package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// sharedWrites is what a transaction shared by several units wrote for all
// of them at once before running them: each text's conversation upsert and
// message insert, one statement each for the whole batch, and the events
// the units log, inserted together just before the commit. A statement's
// cost on PostgreSQL is mostly its own (a round trip, parsing, planning,
// starting the executor), not its rows': one insert of sixteen rows costs
// little more than one of one (BENCHMARKS.md, "Multi-row statements").
type sharedWrites struct {
	// claims are the units' nonce claims, by their nonces, in the order
	// the units run (a request played twice in one batch is two claims
	// of the same nonces: the first wins).
	claims map[string][]bool
	// texts are the texts written ahead, by MessageUUID.
	texts map[string]*sharedText
	// events are the units' events, in the order they were logged.
	events [][]inbox.Event
}

// sharedText is one text written ahead and how much of it its unit has
// taken: the unit's own upsert and insert calls return these results.
type sharedText struct {
	conv inbox.Conversation
	// messageID is 0 when a concurrent transaction stored the MessageUUID
	// after the duplicate check: the unit then learns the insert did
	// nothing and rolls back, as on its own.
	messageID                int64
	upsertTaken, insertTaken bool
}

// claimed returns the claim made ahead for a unit's nonces, once.
func (w *sharedWrites) claimed(nonces []string) (claimed, ok bool) {
	if w == nil {
		return false, false
	}
	key := nonceKey(nonces)
	queue := w.claims[key]
	if len(queue) == 0 {
		return false, false
	}
	w.claims[key] = queue[1:]
	return queue[0], true
}

func nonceKey(nonces []string) string {
	return strings.Join(slices.Compact(slices.Sorted(slices.Values(nonces))), " ")
}

// claimNonces claims the nonces of the units' texts in one statement,
// records each unit's outcome for its own ClaimNonces, and returns the
// texts whose claim succeeded, with those that have no nonces. A unit
// that loses gives back, in the same transaction, the nonces it took.
func (t txStore) claimNonces(ctx context.Context, texts []*inbox.InboundText) ([]*inbox.InboundText, error) {
	var rows []nonceRow
	owner := map[string]int{}
	lost := make([]bool, len(texts))
	for i, in := range texts {
		if in == nil {
			continue
		}
		for _, n := range slices.Compact(slices.Sorted(slices.Values(in.Nonces))) {
			if _, taken := owner[n]; taken {
				// The same request twice in this batch: the first wins.
				lost[i] = true
				continue
			}
			owner[n] = i
			rows = append(rows, nonceRow{Nonce: n, ClaimedAt: in.Message.CreatedAt.UTC()})
		}
	}
	if len(rows) == 0 {
		return texts, nil
	}
	inserted, err := insertNonces(ctx, t.db, rows)
	if err != nil {
		return nil, err
	}
	stored := make(map[string]bool, len(inserted))
	for _, n := range inserted {
		stored[n] = true
	}
	for n, i := range owner {
		if !stored[n] {
			lost[i] = true
		}
	}
	t.shared.claims = map[string][]bool{}
	var (
		kept     []*inbox.InboundText
		giveBack []string
	)
	for i, in := range texts {
		if in == nil || len(in.Nonces) == 0 {
			kept = append(kept, in)
			continue
		}
		key := nonceKey(in.Nonces)
		t.shared.claims[key] = append(t.shared.claims[key], !lost[i])
		if !lost[i] {
			kept = append(kept, in)
		}
	}
	for n, i := range owner {
		if lost[i] && stored[n] {
			giveBack = append(giveBack, n)
		}
	}
	if err := releaseNonces(ctx, t.db, giveBack); err != nil {
		return nil, err
	}
	return kept, nil
}

// upserted returns the conversation written ahead for the text with
// providerUUID, once: a second text with the same UUID in the batch was
// not written ahead and runs its own upsert, which finds it a duplicate.
func (w *sharedWrites) upserted(providerUUID string) (inbox.Conversation, bool) {
	if w == nil || providerUUID == "" {
		return inbox.Conversation{}, false
	}
	st := w.texts[providerUUID]
	if st == nil || st.upsertTaken {
		return inbox.Conversation{}, false
	}
	st.upsertTaken = true
	return st.conv, true
}

// inserted reports, for a text whose upsert was taken from the writes
// ahead, whether its message was inserted (setting m.ID); ok is false for
// any other message, which the caller inserts itself.
func (w *sharedWrites) inserted(m *inbox.Message) (inserted, ok bool) {
	if w == nil || m.ProviderUUID == "" || m.Direction != inbox.DirectionInbound {
		return false, false
	}
	st := w.texts[m.ProviderUUID]
	if st == nil || !st.upsertTaken || st.insertTaken || m.ConversationID != st.conv.ID {
		return false, false
	}
	st.insertTaken = true
	if st.messageID == 0 {
		return false, true
	}
	m.ID = st.messageID
	return true, true
}

// deferEvents keeps events for the insert before the commit.
func (w *sharedWrites) deferEvents(events []inbox.Event) bool {
	if w == nil {
		return false
	}
	if len(events) > 0 {
		w.events = append(w.events, events)
	}
	return true
}

// flushEvents inserts every deferred event in one statement and sets
// their IDs, in the units' own slices, so each unit publishes its events
// with their IDs once the commit is done.
func (t txStore) flushEvents(ctx context.Context) error {
	w := t.shared
	var rows []eventRow
	for _, events := range w.events {
		for _, e := range events {
			rows = append(rows, eventRow{Kind: string(e.Kind), ConversationID: e.ConversationID, MessageID: e.MessageID, CreatedAt: e.CreatedAt})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := t.db.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: append the batch's events: %w", err)
	}
	i := 0
	for _, events := range w.events {
		for j := range events {
			events[j].ID = rows[i].ID
			i++
		}
	}
	w.events = nil
	return nil
}

// storedUUID is a message insert's answer: which texts it stored, as what.
type storedUUID struct {
	ID           int64  `bun:"id"`
	ProviderUUID string `bun:"provider_uuid"`
}

// writeTexts writes ahead, for the texts of a shared transaction's units,
// what each unit would write first, with one statement each for all of
// them: the claim of their requests' nonces, the duplicate check, the
// conversations' upsert, the messages' insert and the search words that
// changed. texts is in the order the units will run; nil entries (units
// that store no text) are skipped.
//
// Left to their units' own statements: a text with attachments (its
// copies are queued per message), a second text of the same conversation
// (one upsert cannot change a row twice) or with the same MessageUUID,
// and a text stored before (its unit finds it a duplicate). Fewer than
// two texts left are not worth a statement of their own.
func (t txStore) writeTexts(ctx context.Context, texts []*inbox.InboundText) error {
	texts, err := t.claimNonces(ctx, texts)
	if err != nil {
		return err
	}
	// A text stored before, or whose request is played again, writes
	// nothing when its unit runs, so it does not hold its conversation's
	// place: the checks come first.
	var uuids []string
	seen := map[string]bool{}
	for _, in := range texts {
		if in != nil && in.Message.ProviderUUID != "" && !seen[in.Message.ProviderUUID] {
			seen[in.Message.ProviderUUID] = true
			uuids = append(uuids, in.Message.ProviderUUID)
		}
	}
	if len(uuids) < 2 {
		return nil
	}
	var stored []string
	if err := t.db.NewSelect().Table("messages").Column("provider_uuid").
		Where("provider_uuid IN (?)", bun.List(uuids)).Scan(ctx, &stored); err != nil {
		return fmt.Errorf("store: check the batch for duplicates: %w", err)
	}
	ahead := aheadOfUnits(texts, stored)
	if len(ahead) < 2 {
		return nil
	}
	convs, err := t.upsertConversations(ctx, ahead)
	if err != nil {
		return err
	}
	ids, err := t.insertTexts(ctx, ahead, convs)
	if err != nil {
		return err
	}
	if err := t.indexTexts(ctx, ahead, convs, ids); err != nil {
		return err
	}
	t.shared.texts = make(map[string]*sharedText, len(ahead))
	for i, in := range ahead {
		t.shared.texts[in.Message.ProviderUUID] = &sharedText{conv: convs[i].toDomain(), messageID: ids[i]}
	}
	return nil
}

// aheadOfUnits picks the texts worth writing ahead (see writeTexts): the
// first text of each conversation to run, unless it has attachments,
// leaving out those whose MessageUUID is stored or came earlier.
func aheadOfUnits(texts []*inbox.InboundText, stored []string) []*inbox.InboundText {
	var ahead []*inbox.InboundText
	uuids, convs := map[string]bool{}, map[string]bool{}
	for _, u := range stored {
		uuids[u] = true
	}
	for _, in := range texts {
		if in == nil || in.Message.ProviderUUID == "" || uuids[in.Message.ProviderUUID] {
			continue
		}
		m := in.Message
		conv := string(m.From) + " " + string(m.To)
		first := !convs[conv]
		uuids[m.ProviderUUID], convs[conv] = true, true
		if first && len(m.Media) == 0 {
			ahead = append(ahead, in)
		}
	}
	return ahead
}

// upsertConversations counts each text on its conversation, creating it
// on first contact, as upsertConversation does for one, and returns the
// rows in the order of texts. The texts' conversations are distinct.
func (t txStore) upsertConversations(ctx context.Context, texts []*inbox.InboundText) ([]conversationRow, error) {
	var q strings.Builder
	q.WriteString(upsertConversationInto)
	args := make([]any, 0, 7*len(texts))
	for i, in := range texts {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(upsertConversationValues)
		m := in.Message
		args = append(args, string(m.From), string(m.To), m.CreatedAt, in.Preview, len(m.Media), m.CreatedAt, m.CreatedAt)
	}
	q.WriteString(upsertConversationOnConflict)
	q.WriteString("\nRETURNING *")
	var rows []conversationRow
	if err := t.db.NewRaw(q.String(), args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: upsert the batch's conversations: %w", err)
	}
	byNumbers := make(map[string]conversationRow, len(rows))
	for _, r := range rows {
		byNumbers[r.ContactNumber+" "+r.ChannelNumber] = r
	}
	ordered := make([]conversationRow, len(texts))
	for i, in := range texts {
		r, ok := byNumbers[string(in.Message.From)+" "+string(in.Message.To)]
		if !ok {
			return nil, fmt.Errorf("store: upsert the batch's conversations: no row for %s", in.Message.From)
		}
		ordered[i] = r
		t.terms[r.ID] = r.SearchTerms
	}
	return ordered, nil
}

// insertTexts inserts the texts' messages in their conversations and
// returns their IDs in the order of texts, 0 for a text whose MessageUUID
// a concurrent transaction stored first.
func (t txStore) insertTexts(ctx context.Context, texts []*inbox.InboundText, convs []conversationRow) ([]int64, error) {
	rows := make([]messageRow, len(texts))
	for i, in := range texts {
		m := *in.Message
		m.ConversationID = convs[i].ID
		rows[i] = *newMessageRow(&m)
	}
	var stored []storedUUID
	err := t.db.NewInsert().Model(&rows).ExcludeColumn("id").On("CONFLICT (provider_uuid) DO NOTHING").
		Returning("id, provider_uuid").Scan(ctx, &stored)
	if err != nil {
		return nil, fmt.Errorf("store: insert the batch's messages: %w", err)
	}
	byUUID := make(map[string]int64, len(stored))
	for _, s := range stored {
		byUUID[s.ProviderUUID] = s.ID
	}
	ids := make([]int64, len(texts))
	for i, in := range texts {
		ids[i] = byUUID[in.Message.ProviderUUID]
	}
	return ids, nil
}

// indexTexts adds the texts' new search words to their conversations, in
// one statement for those that bring any.
func (t txStore) indexTexts(ctx context.Context, texts []*inbox.InboundText, convs []conversationRow, ids []int64) error {
	var q strings.Builder
	var args []any
	for i, in := range texts {
		if ids[i] == 0 {
			continue
		}
		m := *in.Message
		m.ConversationID, m.ID = convs[i].ID, ids[i]
		terms, changed, err := t.newTerms(ctx, &m)
		if err != nil {
			return err
		}
		if !changed {
			continue
		}
		t.terms[m.ConversationID] = terms
		if len(args) > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?)")
		args = append(args, m.ConversationID, terms)
	}
	if len(args) == 0 {
		return nil
	}
	query := "WITH v (id, terms) AS (VALUES " + q.String() + ")\n" +
		"UPDATE conversations SET search_terms = v.terms FROM v WHERE conversations.id = v.id"
	if _, err := t.db.NewRaw(query, args...).Exec(ctx); err != nil {
		return fmt.Errorf("store: update the batch's search words: %w", err)
	}
	return nil
}
