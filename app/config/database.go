package config

// readDatabaseAndBus reads where messages are stored and how instances
// tell each other about changes.
func (r *reader) readDatabaseAndBus(c *Config) {
	c.DatabaseURL = r.get("DATABASE_URL")
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://data/parley.db"
	} else if hasScheme(c.DatabaseURL) && !hasAnyPrefix(c.DatabaseURL, "postgres://", "postgresql://", "sqlite://") {
		r.bad("DATABASE_URL", "must start with postgres://, postgresql:// or sqlite://, or be a file path")
	}
	// On unless turned off: with its multi-row statements it ingests about
	// twice as fast as one transaction per webhook, on both databases
	// (BENCHMARKS.md, "Group commit").
	switch r.lower("GROUP_COMMIT") {
	case "", "on":
	case "off":
		c.GroupCommitOff = true
	default:
		r.bad("GROUP_COMMIT", "must be on or off, got %q", r.get("GROUP_COMMIT"))
	}
	c.GroupCommitTransactions = r.intRange("GROUP_COMMIT_TRANSACTIONS", 1, 64)
	c.RedisURL = r.get("REDIS_URL")
	if c.RedisURL != "" && !hasAnyPrefix(c.RedisURL, "redis://", "rediss://", "unix://") {
		r.bad("REDIS_URL", "must start with redis://, rediss:// or unix://")
	}
	c.RedisChannel = r.get("REDIS_CHANNEL")
}
