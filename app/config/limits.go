package config

import "strconv"

// readLimits reads the per-agent send limits and the development
// carrier's failure rate. Unset limits stay zero: the inbox applies its
// own defaults (inbox.DefaultSendsPerMinute, inbox.DefaultSendsPerDay).
func (r *reader) readLimits(c *Config) {
	c.SendLimitPerMinute = r.intRange("SEND_LIMIT_PER_MINUTE", 1, 100_000)
	c.SendLimitPerDay = r.intRange("SEND_LIMIT_PER_DAY", 1, 10_000_000)
	if c.SendLimitPerMinute > 0 && c.SendLimitPerDay > 0 && c.SendLimitPerDay < c.SendLimitPerMinute {
		r.bad("SEND_LIMIT_PER_DAY", "must be at least SEND_LIMIT_PER_MINUTE (%d), got %d", c.SendLimitPerMinute, c.SendLimitPerDay)
	}
	c.APIRequestsPerMinute = r.intRange("API_REQUESTS_PER_MINUTE", 1, 1_000_000)
	if p := r.get("SIMULATED_UNDELIVERED_PERCENT"); p != "" {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f < 0 || f > 100 {
			r.bad("SIMULATED_UNDELIVERED_PERCENT", "must be a number from 0 to 100, got %q", p)
		}
		c.SimulatedUndeliveredPercent = f
	}
}
