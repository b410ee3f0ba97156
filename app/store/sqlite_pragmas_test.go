package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/store/storetest"
)

// The settings Open asks for in SQLite's DSN are in force on the connection.
func TestSQLiteConnectionSettings(t *testing.T) {
	s := storetest.MustOpenSQLite(t)
	for _, tc := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
		{"wal_autocheckpoint", "4000"},
		{"temp_store", "2"}, // MEMORY
	} {
		var got string
		if err := s.DB().NewRaw("PRAGMA "+tc.pragma).Scan(context.Background(), &got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tc.pragma, err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
		}
	}
}
