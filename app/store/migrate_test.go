package store_test

import (
	"context"
	"io/fs"
	"slices"
	"testing"

	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/migrations"
)

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	names := func(dialect string) []string {
		fsys, err := migrations.FS(dialect)
		if err != nil {
			t.Fatal(err)
		}
		files, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	pg, lite := names("postgres"), names("sqlite")
	if len(pg) == 0 {
		t.Fatal("no postgres migrations embedded")
	}
	if !slices.Equal(pg, lite) {
		t.Fatalf("postgres migrations=%v, want the same files as sqlite=%v", pg, lite)
	}
}

func TestMigrateIsIdempotentAndSeedsRules(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied=%v, want nothing", applied)
		}
		var n int
		if err := s.DB().NewRaw("SELECT count(*) FROM keyword_rules").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Fatalf("seeded keyword rules=%d, want 4", n)
		}
	})
}

func TestOpenRejectsUnknownScheme(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://localhost/x", store.Options{})
	if err == nil {
		t.Fatal("Open(mysql://) succeeded, want an error")
	}
}
