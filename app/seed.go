package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
)

// seed fills the configured database with a generated dataset for
// benchmarks and demos: go run ./app seed --conversations 100000 --messages 1000000.
func seed(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stdout)
	convs := fs.Int("conversations", 1000, "how many conversations")
	msgs := fs.Int("messages", 10000, "how many messages in all")
	channel := "+14155550199"
	if len(cfg.PlivoPhoneNumbers) > 0 {
		channel = cfg.PlivoPhoneNumbers[0]
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	err = s.Seed(ctx, store.SeedOptions{
		Conversations: *convs, Messages: *msgs, Channel: inbox.Number(channel), Seed: uint64(start.UnixNano()),
		Progress: func(done int) {
			fmt.Fprintf(stdout, "\r%d / %d messages", done, *msgs)
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nseeded %d conversations and %d messages in %s\n", *convs, *msgs, time.Since(start).Round(time.Second))
	return nil
}
