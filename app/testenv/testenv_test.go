package testenv

import "testing"

func TestSummary(t *testing.T) {
	tests := []struct {
		name  string
		skips []Suite
		want  string
	}{
		{"nothing skipped", nil, ""},
		{"one", []Suite{Faults}, "app: skipped 1 test: 1 fault (PARLEY_TEST_FAULTS=1)"},
		{
			"several suites, sorted",
			[]Suite{Redis, Postgres, Postgres},
			"app: skipped 3 tests: 1 Redis (PARLEY_TEST_REDIS_URL='redis://127.0.0.1:6379/0'); " +
				"2 PostgreSQL (PARLEY_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable')",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s skips
			for _, suite := range tt.skips {
				s.add(suite)
			}
			if got := s.summary("app"); got != tt.want {
				t.Fatalf("summary=%q, want %q", got, tt.want)
			}
		})
	}
}

// TestURLSkipsAndCounts runs a test that needs an unset URL: it is skipped
// and the skip is counted for the summary.
func TestURLSkipsAndCounts(t *testing.T) {
	t.Setenv("PARLEY_TEST_REDIS_URL", "")
	before := recorded.n[Redis]
	ok := t.Run("needs redis", func(t *testing.T) {
		URL(t, Redis)
		t.Fatal("URL returned without a URL, want a skip")
	})
	if !ok {
		t.Fatal("the subtest failed, want it skipped")
	}
	if got := recorded.n[Redis]; got != before+1 {
		t.Fatalf("Redis skips=%d, want %d", got, before+1)
	}
	t.Setenv("PARLEY_TEST_REDIS_URL", "redis://example:6379/0")
	if got := URL(t, Redis); got != "redis://example:6379/0" {
		t.Fatalf("URL=%q, want the variable's value", got)
	}
}
