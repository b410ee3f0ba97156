package store_test

import (
	"testing"

	"github.com/parleyhq/parley/app/store"
)

func TestRedactDSN(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://parley:hunter2@db:5432/parley?sslmode=disable", "postgres://parley:xxxxx@db:5432/parley?sslmode=disable"},
		{"postgres://db/parley", "postgres://db/parley"},
		{"sqlite://data/parley.db", "sqlite://data/parley.db"},
		{"data/my parley.db", "data/my parley.db"},
		{"", ""},
		{"postgres://u:p@[::1/x", "(unparsable URL)"},
	}
	for _, tt := range tests {
		if got := store.RedactDSN(tt.dsn); got != tt.want {
			t.Errorf("RedactDSN(%q)=%q, want %q", tt.dsn, got, tt.want)
		}
	}
}
