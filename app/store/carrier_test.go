package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestInboxNumbersAreSavedOnceAndRenamed(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		for _, n := range []inbox.InboxNumber{
			{Number: "+14155550100", Name: "Support", AddedAt: at},
			{Number: "+18445550111", Name: "", AddedAt: at.Add(time.Minute)},
			{Number: "+14155550100", Name: "Help desk", AddedAt: at.Add(time.Hour)}, // a rename keeps its place
		} {
			if err := s.SaveInboxNumber(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.InboxNumbers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []inbox.InboxNumber{
			{Number: "+14155550100", Name: "Help desk", AddedAt: at},
			{Number: "+18445550111", Name: "", AddedAt: at.Add(time.Minute)},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("InboxNumbers=%+v, want %+v", got, want)
		}

		if id, err := s.CarrierAppID(ctx); err != nil || id != "" {
			t.Fatalf("CarrierAppID before any=%q, %v; want \"\"", id, err)
		}
		for _, id := range []string{"111", "222"} {
			if err := s.SaveCarrierAppID(ctx, id, at); err != nil {
				t.Fatal(err)
			}
		}
		if id, err := s.CarrierAppID(ctx); err != nil || id != "222" {
			t.Errorf("CarrierAppID=%q, %v; want 222", id, err)
		}
	})
}

func TestWebhookRefusalsAddUpPerHourAndReason(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 12, 30, 0, 0, time.UTC)
		adds := []struct {
			at     time.Time
			counts map[string]int64
		}{
			{now.Add(-25 * time.Hour), map[string]int64{"wrong": 100}}, // too old
			{now.Add(-23 * time.Hour), map[string]int64{"wrong": 2, "replayed": 1}},
			{now.Add(-time.Minute), map[string]int64{"wrong": 3, "downgraded": 4, "missing": 0}},
			{now, map[string]int64{"wrong": 1}},
		}
		for _, a := range adds {
			if err := s.AddWebhookRefusals(ctx, a.at, a.counts); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.WebhookRefusals(ctx, now.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"wrong": 6, "replayed": 1, "downgraded": 4}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("WebhookRefusals=%v, want %v", got, want)
		}
	})
}

func TestNumberHealthFindsLastInboundAndLastReport(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustSent(t, "tracked")
		r.clock.Advance(time.Minute)
		r.MustRecord(t, inbox.DeliveryReport{MessageUUID: m.ProviderUUID, Status: "delivered", Sequence: 2, OccurredAt: r.clock.Now()})
		got, err := s.NumberHealth(context.Background(), []inbox.Number{channel, "+18445550111"})
		if err != nil {
			t.Fatal(err)
		}
		h := got[channel]
		if !h.LastInboundAt.Equal(t0) {
			t.Errorf("LastInboundAt=%v, want %v", h.LastInboundAt, t0)
		}
		if h.LastReportStatus != inbox.StatusDelivered || !h.LastReportAt.Equal(r.clock.Now().UTC().Truncate(time.Microsecond)) {
			t.Errorf("last report=%s at %v, want delivered at %v", h.LastReportStatus, h.LastReportAt, r.clock.Now())
		}
		if quiet := got["+18445550111"]; !quiet.LastInboundAt.IsZero() || !quiet.LastReportAt.IsZero() {
			t.Errorf("a number with no traffic=%+v, want zero", quiet)
		}
	})
}
