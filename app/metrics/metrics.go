// Package metrics exposes Parley's Prometheus metrics. It knows nothing of
// the other packages: main reports to it through its methods and hands it
// the functions that read live figures (streams open, outbox depth, the
// database pool).
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Sources are the figures read at each scrape. Any may be nil.
type Sources struct {
	// StreamsOpen is how many live (SSE) streams this instance holds.
	StreamsOpen func() int
	// OutboxDepth counts messages queued for the outbox.
	OutboxDepth func(ctx context.Context) (int, error)
	// DB is the database pool, for its connection statistics.
	DB *sql.DB
}

// Metrics records Parley's figures. Its methods are safe for concurrent
// use; a nil *Metrics records nothing, so callers need not check.
type Metrics struct {
	reg          *prometheus.Registry
	webhooks     *prometheus.HistogramVec
	messages     *prometheus.CounterVec
	sends        *prometheus.HistogramVec
	busPublished *prometheus.CounterVec
	busReceived  prometheus.Counter
	panics       *prometheus.CounterVec
}

// webhookBuckets span a fast local answer to Plivo's 8 s limit.
var webhookBuckets = []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 8}

// New registers every metric, with Go's runtime and process collectors.
func New(src Sources) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		webhooks: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_webhook_duration_seconds",
			Help:    "Time to answer Plivo's webhooks, by path and outcome (ok: 2xx, rejected: 4xx, failed: 5xx, Plivo retries).",
			Buckets: webhookBuckets,
		}, []string{"path", "outcome"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_messages_total",
			Help: "Messages by direction and status reached in this instance: inbound received, outbound queued, sent or failed.",
		}, []string{"direction", "status"}),
		sends: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_send_duration_seconds",
			Help:    "Time of the carrier's API call for each outbound send, by outcome (sent, failed).",
			Buckets: prometheus.DefBuckets,
		}, []string{"outcome"}),
		busPublished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_bus_published_total",
			Help: "Events this instance published on the bus, by outcome (ok, error).",
		}, []string{"outcome"}),
		busReceived: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "parley_bus_received_total",
			Help: "Events this instance received from the bus.",
		}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_panics_total",
			Help: "Panics recovered, by unit (request, stream, hub, redis_subscriber, outbox, outbox_recover, trim_events, wake_snoozes). Any is a bug.",
		}, []string{"unit"}),
	}
	reg.MustRegister(m.webhooks, m.messages, m.sends, m.busPublished, m.busReceived, m.panics,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.StreamsOpen != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "parley_sse_clients", Help: "Live (SSE) streams open on this instance.",
		}, func() float64 { return float64(src.StreamsOpen()) }))
	}
	if src.OutboxDepth != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "parley_outbox_depth", Help: "Messages queued for the outbox, across instances (-1 when the database did not answer).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			n, err := src.OutboxDepth(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
	if src.DB != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(src.DB, "parley"))
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveWebhook records one webhook's answer.
func (m *Metrics) ObserveWebhook(path string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(path, outcome(status)).Observe(d.Seconds())
}

// outcome names a status class the way an operator reads it.
func outcome(status int) string {
	switch {
	case status >= 200 && status < 300:
		return "ok"
	case status >= 400 && status < 500:
		return "rejected"
	case status >= 500:
		return "failed"
	}
	return strconv.Itoa(status)
}

// CountMessage counts one message reaching a status.
func (m *Metrics) CountMessage(direction, status string) {
	if m == nil {
		return
	}
	m.messages.WithLabelValues(direction, status).Inc()
}

// ObserveSend records one call to the carrier's API.
func (m *Metrics) ObserveSend(ok bool, d time.Duration) {
	if m == nil {
		return
	}
	o := "sent"
	if !ok {
		o = "failed"
	}
	m.sends.WithLabelValues(o).Observe(d.Seconds())
	m.messages.WithLabelValues("outbound", o).Inc()
}

// CountPublish counts one event published on the bus.
func (m *Metrics) CountPublish(err error) {
	if m == nil {
		return
	}
	o := "ok"
	if err != nil {
		o = "error"
	}
	m.busPublished.WithLabelValues(o).Inc()
}

// CountReceived counts events received from the bus.
func (m *Metrics) CountReceived(events int) {
	if m == nil {
		return
	}
	m.busReceived.Add(float64(events))
}

// CountPanic counts one panic recovered in unit.
func (m *Metrics) CountPanic(unit string) {
	if m == nil {
		return
	}
	m.panics.WithLabelValues(unit).Inc()
}
