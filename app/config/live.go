package config

import "time"

// DefaultEventsRetention is how long events are kept unless
// PARLEY_EVENTS_RETENTION says otherwise.
const DefaultEventsRetention = 7 * 24 * time.Hour

// readLive reads how long the event log lasts and what live streams may
// hold and replay. Unset stream and replay limits stay zero: the hub and
// the web server apply their own defaults.
func (r *reader) readLive(c *Config) {
	c.EventsRetention = r.duration("PARLEY_EVENTS_RETENTION", DefaultEventsRetention, "168h for 7 days")
	c.MaxStreamsPerUser = r.intRange("LIVE_MAX_STREAMS_PER_USER", 1, 100000)
	c.LiveReplayMaxEvents = r.intRange("LIVE_REPLAY_MAX_EVENTS", 1, 1_000_000)
	c.LiveReplayMaxAge = r.duration("LIVE_REPLAY_MAX_AGE", 0, "1h")
}
