package config_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/config"
)

func TestLoadAPIRequestsPerMinute(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.APIRequestsPerMinute != 0 {
		t.Fatalf("default: %d %v, want 0 (the web layer applies its default)", c.APIRequestsPerMinute, err)
	}
	if c, err = config.Load(env(map[string]string{"API_REQUESTS_PER_MINUTE": "1200"})); err != nil || c.APIRequestsPerMinute != 1200 {
		t.Fatalf("set: %d %v", c.APIRequestsPerMinute, err)
	}
	for _, bad := range []string{"0", "-1", "lots"} {
		if _, err := config.Load(env(map[string]string{"API_REQUESTS_PER_MINUTE": bad})); err == nil || !strings.Contains(err.Error(), "API_REQUESTS_PER_MINUTE") {
			t.Errorf("API_REQUESTS_PER_MINUTE=%s: %v, want an error naming it", bad, err)
		}
	}
}
