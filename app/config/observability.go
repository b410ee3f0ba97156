package config

import "net"

// readObservability reads the log level and where metrics and the
// profiler listen.
func (r *reader) readObservability(c *Config) {
	c.LogLevel = r.lower("LOG_LEVEL")
	switch c.LogLevel {
	case "":
		c.LogLevel = "info"
	case "debug", "info", "warn", "error":
	default:
		r.bad("LOG_LEVEL", "must be debug, info, warn or error, got %q", c.LogLevel)
	}

	c.MetricsAddress, c.DebugAddress = r.get("METRICS_ADDRESS"), r.get("DEBUG_ADDRESS")
	for _, a := range []struct{ name, value string }{{"METRICS_ADDRESS", c.MetricsAddress}, {"DEBUG_ADDRESS", c.DebugAddress}} {
		if a.value == "" {
			continue
		}
		if _, port, err := net.SplitHostPort(a.value); err != nil || port == "" {
			r.bad(a.name, "must be host:port, like 127.0.0.1:9090, got %q", a.value)
		}
	}
}
