package usecases_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store/storetest"
)

// BenchmarkReceiveWebhookFanout measures what queuing webhooks adds to
// storing a text on SQLite: nothing wired, wired with no endpoint (the
// subscriptions cached for a second, as serve does), and one endpoint
// subscribed to texts (one more insert per text).
//
//	go test ./app/usecases -run '^$' -bench ReceiveWebhookFanout -benchtime 2000x
func BenchmarkReceiveWebhookFanout(b *testing.B) {
	for _, tc := range []struct {
		name      string
		fanout    bool
		endpoints int
	}{{"off", false, 0}, {"no-endpoint", true, 0}, {"one-endpoint", true, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			s := storetest.MustOpenSQLite(b)
			o := inbox.Options{Store: s, Users: s, Webhooks: s}
			if tc.fanout {
				o.WebhookFanout = inbox.NewWebhookFanout(time.Second)
			}
			svc := inbox.NewService(o)
			ctx := context.Background()
			admin := storetest.MustSaveUser(b, s, "admin@example.com", inbox.RoleAdmin)
			for range tc.endpoints {
				if _, err := svc.SaveWebhookEndpoint(ctx, admin, inbox.WebhookEndpoint{URL: "https://hooks.example.com/x", Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := range b.N {
				from := fmt.Sprintf("+1415555%04d", i%5000)
				if _, err := svc.Receive(ctx, inboxtest.Inbound(fmt.Sprintf("b-%d", i), from, channel, "where is my order?")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
