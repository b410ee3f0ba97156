package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaultsForDevelopment(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 3000 || c.Env != config.Development || c.DatabaseURL != "sqlite://data/parley.db" ||
		c.PublicURL != "http://localhost:3000" || c.PlivoAPIURL != "" || c.SessionSecret == "" {
		t.Fatalf("defaults=%+v", c)
	}
}

func TestLoadListsAndTrims(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"PORT": "8080", "PUBLIC_URL": "https://sms.example.com/", "PLIVO_AUTH_TOKEN": "old, new ,",
		"PLIVO_PHONE_NUMBER": "+14155550199, +447911123456",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "https://sms.example.com" {
		t.Errorf("PublicURL=%q, want the trailing slash trimmed", c.PublicURL)
	}
	if strings.Join(c.PlivoAuthTokens, "|") != "old|new" || len(c.PlivoPhoneNumbers) != 2 {
		t.Errorf("tokens=%v numbers=%v", c.PlivoAuthTokens, c.PlivoPhoneNumbers)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{"PORT": "abc"}, []string{"PORT:"}},
		{map[string]string{"PORT": "70000"}, []string{"PORT:"}},
		{map[string]string{"PARLEY_ENV": "staging"}, []string{"PARLEY_ENV:"}},
		{map[string]string{"DATABASE_URL": "mysql://x"}, []string{"DATABASE_URL:"}},
		{map[string]string{"REDIS_URL": "localhost:6379"}, []string{"REDIS_URL:"}},
		{map[string]string{"PUBLIC_URL": "sms.example.com"}, []string{"PUBLIC_URL:"}},
		{map[string]string{"SESSION_SECRET": "short"}, []string{"SESSION_SECRET:"}},
		{map[string]string{"PLIVO_PHONE_NUMBER": "4155550199"}, []string{"PLIVO_PHONE_NUMBER:"}},
		{map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL:"}},
		{map[string]string{"PLIVO_API_URL": "api.plivo.com"}, []string{"PLIVO_API_URL: must be an absolute http:// or https:// URL"}},
		{map[string]string{"LIVE_REPLAY_MAX_AGE": "10s"}, []string{`LIVE_REPLAY_MAX_AGE: must be a duration of at least 1m, like 1h, got "10s"`}},
		{map[string]string{"BIND_ADDRESS": "everywhere"}, []string{"BIND_ADDRESS:"}},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.1, nginx"}, []string{`TRUSTED_PROXIES: "nginx" is not an IP address or CIDR`}},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, []string{"TRUSTED_PROXIES:"}},
		{map[string]string{"METRICS_ADDRESS": "9090"}, []string{"METRICS_ADDRESS:"}},
		{map[string]string{"DEBUG_ADDRESS": "localhost:"}, []string{"DEBUG_ADDRESS:"}},
		{map[string]string{"PARLEY_ENV": "production"}, []string{"PUBLIC_URL: is required", "SESSION_SECRET: is required", "PLIVO_AUTH_ID: is required", "PLIVO_AUTH_TOKEN: is required", "needs a sign-in provider"}},
		{map[string]string{"GOOGLE_CLIENT_ID": "id"}, []string{"GOOGLE_CLIENT_ID: GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together"}},
		{map[string]string{"GITHUB_CLIENT_SECRET": "s"}, []string{"GITHUB_CLIENT_ID:"}},
		{map[string]string{"GITHUB_BASE_URL": "github.example.com"}, []string{"GITHUB_BASE_URL:"}},
		{map[string]string{"ADMIN_EMAILS": "alice"}, []string{"ADMIN_EMAILS:"}},
		{map[string]string{"ALLOWED_EMAIL_DOMAINS": "@example.com"}, []string{"ALLOWED_EMAIL_DOMAINS:"}},
		{map[string]string{"SEND_LIMIT_PER_MINUTE": "0"}, []string{"SEND_LIMIT_PER_MINUTE: must be a whole number from 1"}},
		{map[string]string{"SEND_LIMIT_PER_MINUTE": "ten"}, []string{"SEND_LIMIT_PER_MINUTE:"}},
		{map[string]string{"SEND_LIMIT_PER_DAY": "-5"}, []string{"SEND_LIMIT_PER_DAY: must be a whole number"}},
		{map[string]string{"SEND_LIMIT_PER_MINUTE": "100", "SEND_LIMIT_PER_DAY": "50"}, []string{"SEND_LIMIT_PER_DAY: must be at least SEND_LIMIT_PER_MINUTE (100)"}},
		{map[string]string{"SIMULATED_UNDELIVERED_PERCENT": "101"}, []string{"SIMULATED_UNDELIVERED_PERCENT: must be a number from 0 to 100"}},
		{map[string]string{"SIMULATED_UNDELIVERED_PERCENT": "-1"}, []string{"SIMULATED_UNDELIVERED_PERCENT:"}},
		{map[string]string{"SIMULATED_UNDELIVERED_PERCENT": "some"}, []string{"SIMULATED_UNDELIVERED_PERCENT:"}},
	}
	for _, tt := range tests {
		_, err := config.Load(env(tt.env))
		if err == nil {
			t.Errorf("Load(%v) succeeded, want errors %v", tt.env, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%v) error=%q, want it to contain %q", tt.env, err, w)
			}
		}
	}
}

func TestLoadSendLimitsAndSimulatedCarrier(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SendLimitPerMinute != 0 || c.SendLimitPerDay != 0 || c.SimulatedUndeliveredPercent != 0 {
		t.Errorf("defaults: per minute=%d per day=%d undelivered=%v, want 0, 0, 0 (the inbox applies its defaults)",
			c.SendLimitPerMinute, c.SendLimitPerDay, c.SimulatedUndeliveredPercent)
	}
	c, err = config.Load(env(map[string]string{
		"SEND_LIMIT_PER_MINUTE": " 5 ", "SEND_LIMIT_PER_DAY": "200", "SIMULATED_UNDELIVERED_PERCENT": "12.5",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SendLimitPerMinute != 5 || c.SendLimitPerDay != 200 || c.SimulatedUndeliveredPercent != 12.5 {
		t.Errorf("set: per minute=%d per day=%d undelivered=%v, want 5, 200, 12.5",
			c.SendLimitPerMinute, c.SendLimitPerDay, c.SimulatedUndeliveredPercent)
	}
}

func TestLoadEventsRetention(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.EventsRetention != 7*24*time.Hour {
		t.Fatalf("default EventsRetention=%v, %v, want 168h", c.EventsRetention, err)
	}
	if c, err = config.Load(env(map[string]string{"PARLEY_EVENTS_RETENTION": " 36h "})); err != nil || c.EventsRetention != 36*time.Hour {
		t.Fatalf("PARLEY_EVENTS_RETENTION=36h: %v, %v, want 36h", c.EventsRetention, err)
	}
	for _, bad := range []string{"7d", "ten", "30s", "-1h", "0"} {
		_, err := config.Load(env(map[string]string{"PARLEY_EVENTS_RETENTION": bad}))
		if err == nil || !strings.Contains(err.Error(), "PARLEY_EVENTS_RETENTION: must be a duration of at least 1m") {
			t.Errorf("PARLEY_EVENTS_RETENTION=%q: err=%v, want it named", bad, err)
		}
	}
}

func TestLoadProductionWithEverything(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"PARLEY_ENV": "production", "PUBLIC_URL": "https://sms.example.com/",
		"SESSION_SECRET": strings.Repeat("s", 40), "PLIVO_AUTH_ID": "MAXXXX", "PLIVO_AUTH_TOKEN": "tok, tok2",
		"GITHUB_CLIENT_ID": "gh", "GITHUB_CLIENT_SECRET": "ghs", "ADMIN_EMAILS": "Ops@Example.com",
	}))
	if err != nil {
		t.Fatalf("complete production config refused: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Env", c.Env, "production"},
		{"BindAddress", c.BindAddress, "0.0.0.0"},
		{"PublicURL", c.PublicURL, "https://sms.example.com"},
		{"PlivoAuthID", c.PlivoAuthID, "MAXXXX"},
		{"PlivoAuthTokens", strings.Join(c.PlivoAuthTokens, "|"), "tok|tok2"},
		{"GitHubClientID", c.GitHubClientID, "gh"},
		{"AdminEmails", strings.Join(c.AdminEmails, "|"), "ops@example.com"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s=%v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"DATABASE_URL": "postgres://u:hunter2@db/parley", "PLIVO_AUTH_TOKEN": "tok-secret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range c.Redacted() {
		if s, ok := v.(string); ok && (strings.Contains(s, "hunter2") || strings.Contains(s, "tok-secret")) {
			t.Fatalf("Redacted leaked %q", s)
		}
	}
}

func TestWithDotEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	content := "# comment\nPORT=4000\nexport PUBLIC_URL=\"http://localhost:4000\"\nREDIS_URL='redis://x:6379'\n\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	get, err := config.WithDotEnv(path, env(map[string]string{"PORT": "5000"}))
	if err != nil {
		t.Fatal(err)
	}
	if get("PORT") != "5000" || get("PUBLIC_URL") != "http://localhost:4000" || get("REDIS_URL") != "redis://x:6379" {
		t.Fatalf("PORT=%q PUBLIC_URL=%q REDIS_URL=%q, want the environment to win and quotes removed", get("PORT"), get("PUBLIC_URL"), get("REDIS_URL"))
	}
	if _, err := config.WithDotEnv(filepath.Join(t.TempDir(), "missing"), env(nil)); err != nil {
		t.Fatalf("missing .env: %v, want no error", err)
	}
	if err := os.WriteFile(path, []byte("NOEQUALS\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.WithDotEnv(path, env(nil)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("bad .env error=%v, want one naming line 1", err)
	}
}

func TestBindAddressDefaultsByMode(t *testing.T) {
	dev, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	prod, err := config.Load(env(map[string]string{
		"PARLEY_ENV": "production", "PUBLIC_URL": "https://sms.example.com", "SESSION_SECRET": strings.Repeat("s", 40),
		"PLIVO_AUTH_ID": "MA", "PLIVO_AUTH_TOKEN": "t", "GITHUB_CLIENT_ID": "g", "GITHUB_CLIENT_SECRET": "s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if dev.BindAddress != "127.0.0.1" || prod.BindAddress != "0.0.0.0" {
		t.Fatalf("bind development=%q production=%q, want 127.0.0.1 and 0.0.0.0", dev.BindAddress, prod.BindAddress)
	}
}

func TestLoadTrustedProxies(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 0 {
		t.Fatalf("TrustedProxies=%v by default, want none (no forwarded header is trusted)", c.TrustedProxies)
	}
	c, err = config.Load(env(map[string]string{"TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.TrustedProxies, "|"); got != "127.0.0.1|10.0.0.0/8|::1|fd00::/8" {
		t.Fatalf("TrustedProxies=%q", got)
	}
}

func TestLoadMaxStreamsPerUser(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.MaxStreamsPerUser != 0 {
		t.Fatalf("default MaxStreamsPerUser=%d, %v, want 0 (the hub applies its default)", c.MaxStreamsPerUser, err)
	}
	if c, err = config.Load(env(map[string]string{"LIVE_MAX_STREAMS_PER_USER": "20"})); err != nil || c.MaxStreamsPerUser != 20 {
		t.Fatalf("LIVE_MAX_STREAMS_PER_USER=20: %d, %v", c.MaxStreamsPerUser, err)
	}
	for _, bad := range []string{"0", "-1", "many"} {
		if _, err := config.Load(env(map[string]string{"LIVE_MAX_STREAMS_PER_USER": bad})); err == nil || !strings.Contains(err.Error(), "LIVE_MAX_STREAMS_PER_USER") {
			t.Errorf("LIVE_MAX_STREAMS_PER_USER=%q: err=%v, want it named", bad, err)
		}
	}
}

func TestLoadMetricsAndDebugAddresses(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddress != "" || c.DebugAddress != "" {
		t.Errorf("MetricsAddress=%q DebugAddress=%q, want both off by default", c.MetricsAddress, c.DebugAddress)
	}
	c, err = config.Load(env(map[string]string{"METRICS_ADDRESS": "127.0.0.1:9090", "DEBUG_ADDRESS": ":6060"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddress != "127.0.0.1:9090" || c.DebugAddress != ":6060" {
		t.Errorf("MetricsAddress=%q DebugAddress=%q", c.MetricsAddress, c.DebugAddress)
	}
}

func TestLoadRedisChannel(t *testing.T) {
	if c, err := config.Load(env(nil)); err != nil || c.RedisChannel != "" {
		t.Fatalf("default RedisChannel=%q, %v; want empty (the bus's default)", c.RedisChannel, err)
	}
	if c, err := config.Load(env(map[string]string{"REDIS_CHANNEL": " acme:events "})); err != nil || c.RedisChannel != "acme:events" {
		t.Fatalf("REDIS_CHANNEL=acme:events: %q, %v", c.RedisChannel, err)
	}
}

func TestLoadNumberNames(t *testing.T) {
	c, err := config.Load(env(map[string]string{"PLIVO_PHONE_NUMBER": "+14155550199=Support, +442071838750 , +14155550188 = US sales "}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.PlivoPhoneNumbers, ","); got != "+14155550199,+442071838750,+14155550188" {
		t.Fatalf("numbers=%s", got)
	}
	if len(c.PlivoNumberNames) != 2 || c.PlivoNumberNames["+14155550199"] != "Support" || c.PlivoNumberNames["+14155550188"] != "US sales" {
		t.Fatalf("names=%v", c.PlivoNumberNames)
	}
	if _, err := config.Load(env(map[string]string{"PLIVO_PHONE_NUMBER": "Support=+14155550199"})); err == nil || !strings.Contains(err.Error(), "PLIVO_PHONE_NUMBER") {
		t.Fatalf("name first: err=%v, want PLIVO_PHONE_NUMBER named", err)
	}
}

func TestLoadPlivoSignature(t *testing.T) {
	tests := []struct{ value, want string }{{"", "auto"}, {"auto", "auto"}, {" V3 ", "v3"}, {"v2", "v2"}}
	for _, tt := range tests {
		c, err := config.Load(env(map[string]string{"PLIVO_SIGNATURE": tt.value}))
		if err != nil || c.PlivoSignature != tt.want {
			t.Errorf("PLIVO_SIGNATURE=%q: %q, %v, want %q", tt.value, c.PlivoSignature, err, tt.want)
		}
	}
	for _, bad := range []string{"v1", "none", "v4"} {
		if _, err := config.Load(env(map[string]string{"PLIVO_SIGNATURE": bad})); err == nil || !strings.Contains(err.Error(), "PLIVO_SIGNATURE: must be auto, v3 or v2") {
			t.Errorf("PLIVO_SIGNATURE=%q: err=%v, want it named", bad, err)
		}
	}
}

func TestLoadLiveReplayCap(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.LiveReplayMaxEvents != 0 || c.LiveReplayMaxAge != 0 {
		t.Fatalf("defaults: %d, %v, %v; want 0, 0 (the web server applies its defaults)", c.LiveReplayMaxEvents, c.LiveReplayMaxAge, err)
	}
	c, err = config.Load(env(map[string]string{"LIVE_REPLAY_MAX_EVENTS": "250", "LIVE_REPLAY_MAX_AGE": "15m"}))
	if err != nil || c.LiveReplayMaxEvents != 250 || c.LiveReplayMaxAge != 15*time.Minute {
		t.Fatalf("set: %d, %v, %v; want 250, 15m", c.LiveReplayMaxEvents, c.LiveReplayMaxAge, err)
	}
	for name, bad := range map[string]string{"LIVE_REPLAY_MAX_EVENTS": "0", "LIVE_REPLAY_MAX_AGE": "30s"} {
		if _, err := config.Load(env(map[string]string{name: bad})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: err=%v, want it named", name, bad, err)
		}
	}
}

func TestMediaStore(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want config.Media
	}{
		{"default beside the default database", nil, config.Media{Dir: "data/media"}},
		{"beside a SQLite URL", map[string]string{"DATABASE_URL": "sqlite:///var/lib/parley/parley.db?_pragma=x"}, config.Media{Dir: "/var/lib/parley/media"}},
		{"beside a plain SQLite path", map[string]string{"DATABASE_URL": "/srv/p/parley.db"}, config.Media{Dir: "/srv/p/media"}},
		{"PostgreSQL keeps data/", map[string]string{"DATABASE_URL": "postgres://u@db/parley"}, config.Media{Dir: "data/media"}},
		{"a folder", map[string]string{"MEDIA_STORE": "/mnt/media"}, config.Media{Dir: "/mnt/media"}},
		{"a file URL", map[string]string{"MEDIA_STORE": "file:///mnt/media"}, config.Media{Dir: "/mnt/media"}},
		{"S3 with keys and an endpoint", map[string]string{
			"MEDIA_STORE": "s3://parley-media/prod/", "S3_ENDPOINT": "http://minio:9000", "AWS_REGION": "eu-west-1",
			"AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "shh", "S3_FORCE_PATH_STYLE": "true",
		}, config.Media{S3Bucket: "parley-media", S3Prefix: "prod", S3Endpoint: "http://minio:9000", S3Region: "eu-west-1", S3AccessKey: "AKIA", S3SecretKey: "shh", S3PathStyle: true}},
		{"S3 region of its own wins", map[string]string{"MEDIA_STORE": "s3://b", "S3_REGION": "us-east-2", "AWS_REGION": "eu-west-1"}, config.Media{S3Bucket: "b", S3Region: "us-east-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Media != tt.want {
				t.Errorf("Media=%+v, want %+v", c.Media, tt.want)
			}
		})
	}
	for name, bad := range map[string]map[string]string{
		"MEDIA_STORE":         {"MEDIA_STORE": "ftp://x/y"},
		"S3 without a bucket": {"MEDIA_STORE": "s3:///prefix"},
		"AWS_ACCESS_KEY_ID":   {"MEDIA_STORE": "s3://b", "AWS_ACCESS_KEY_ID": "AKIA"},
		"S3_FORCE_PATH_STYLE": {"S3_FORCE_PATH_STYLE": "maybe"},
		"S3_ENDPOINT":         {"S3_ENDPOINT": "ftp://minio"},
	} {
		if _, err := config.Load(env(bad)); err == nil {
			t.Errorf("%s: %v loaded, want an error", name, bad)
		}
	}
}
