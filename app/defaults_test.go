package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/web"
)

// TestReadmeDefaultsAreThePackagesDefaults holds the configuration table
// to the defaults the packages apply when config leaves a setting zero.
func TestReadmeDefaultsAreThePackagesDefaults(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"PLIVO_API_URL":             plivo.DefaultAPIURL,
		"SEND_LIMIT_PER_MINUTE":     strconv.Itoa(inbox.DefaultSendsPerMinute),
		"SEND_LIMIT_PER_DAY":        strconv.Itoa(inbox.DefaultSendsPerDay),
		"API_REQUESTS_PER_MINUTE":   strconv.Itoa(web.DefaultAPIRequestsPerMinute),
		"LIVE_MAX_STREAMS_PER_USER": strconv.Itoa(live.DefaultMaxStreamsPerUser),
		"LIVE_REPLAY_MAX_EVENTS":    strconv.Itoa(web.DefaultReplayMaxEvents),
		"LIVE_REPLAY_MAX_AGE":       strings.TrimSuffix(web.DefaultReplayMaxAge.String(), "0m0s"),
	}
	for name, def := range want {
		row := regexp.MustCompile("(?m)^\\| `" + name + "` \\| `([^`]*)`").FindSubmatch(readme)
		if row == nil {
			t.Errorf("README has no configuration row for %s with a default", name)
			continue
		}
		if got := string(row[1]); got != def {
			t.Errorf("README default of %s=%q, want %q (the package's)", name, got, def)
		}
	}
}

// TestSendLimitsCheckedWithTheirDefaults: a limit set on one side only is
// compared with the inbox's default for the other.
func TestSendLimitsCheckedWithTheirDefaults(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SEND_LIMIT_PER_MINUTE": "2000"}, "SEND_LIMIT_PER_DAY: must be at least SEND_LIMIT_PER_MINUTE (2000), got 1000"},
		{map[string]string{"SEND_LIMIT_PER_DAY": "30"}, "SEND_LIMIT_PER_DAY: must be at least SEND_LIMIT_PER_MINUTE (60), got 30"},
		{map[string]string{"SEND_LIMIT_PER_MINUTE": "500"}, ""},
	}
	for _, tt := range tests {
		tt.env["DATABASE_URL"] = "sqlite://" + filepath.Join(t.TempDir(), "l.db")
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"migrate"}, func(k string) string { return tt.env[k] }, &out, &errOut)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: %v, want it accepted", tt.env, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: err=%v, want %q", tt.env, err, tt.want)
		}
	}
}
