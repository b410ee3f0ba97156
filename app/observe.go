package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/metrics"
	"github.com/parleyhq/parley/app/web"
)

// observedBus counts what this instance publishes on the bus.
type observedBus struct {
	live.Bus
	m *metrics.Metrics
}

func (b observedBus) Publish(ctx context.Context, e inbox.Event) error {
	err := b.Bus.Publish(ctx, e)
	b.m.CountPublish(err)
	return err
}

// observedPublisher counts the messages the domain's events announce.
type observedPublisher struct {
	inbox.Publisher
	m *metrics.Metrics
}

func (p observedPublisher) Publish(ctx context.Context, events ...inbox.Event) {
	for _, e := range events {
		switch e.Kind {
		case inbox.EventMessageReceived:
			p.m.CountMessage("inbound", string(inbox.StatusReceived))
		case inbox.EventMessageQueued:
			p.m.CountMessage("outbound", string(inbox.StatusQueued))
		}
	}
	p.Publisher.Publish(ctx, events...)
}

// observedSender times each call to the carrier's API.
type observedSender struct {
	inbox.Sender
	m *metrics.Metrics
}

func (s observedSender) Send(ctx context.Context, sms inbox.OutboundSMS) (string, error) {
	start := time.Now()
	id, err := s.Sender.Send(ctx, sms)
	s.m.ObserveSend(err == nil, time.Since(start))
	return id, err
}

// observeRequest records the webhooks' answers; nil without metrics.
func observeRequest(m *metrics.Metrics) func(route string, status int, d time.Duration) {
	if m == nil {
		return nil
	}
	return func(route string, status int, d time.Duration) {
		if route == web.WebhookPath || route == web.DeliveryPath {
			m.ObserveWebhook(route, status, d)
		}
	}
}

// operatorServers serve metrics and the profiler on listeners of their
// own, so neither is reachable through the public port.
type operatorServers []*http.Server

// startOperatorServers listens on the addresses that are set.
func startOperatorServers(metricsAddr string, m *metrics.Metrics, debugAddr string) (operatorServers, error) {
	var out operatorServers
	add := func(addr string, h http.Handler) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		out = append(out, srv)
		return nil
	}
	if metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		if err := add(metricsAddr, mux); err != nil {
			return nil, errors.Join(err, out.close())
		}
	}
	if debugAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		if err := add(debugAddr, mux); err != nil {
			return nil, errors.Join(err, out.close())
		}
	}
	return out, nil
}

func (s operatorServers) close() error {
	var errs []error
	for _, srv := range s {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}
