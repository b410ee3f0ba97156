package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"
)

// liveCeiling is what bench live --ceiling adds to a run: the same
// clients and texts against a bare SSE fan-out in a process of its own
// (this binary's bench live-fanout), as Parley runs in one, pushing
// as many bytes per text to each client as Parley did, and Parley's
// webhooks again with a single client connected.
type liveCeiling struct {
	BytesPerText    int     `json:"bytes_per_text_per_client"`
	BareP50Ms       float64 `json:"bare_fanout_all_clients_p50_ms"`
	BareP99Ms       float64 `json:"bare_fanout_all_clients_p99_ms"`
	BareEventsLost  int     `json:"bare_fanout_events_lost"`
	Ratio           float64 `json:"parley_p99_over_bare_p99"`
	AloneWebhookP50 float64 `json:"webhook_answer_p50_ms_one_client"`
	AloneWebhookP99 float64 `json:"webhook_answer_p99_ms_one_client"`
}

// runCeiling measures the bare fan-out and the lone-client webhooks after
// the main run res, which b (now idle) made.
func (b *liveBench) runCeiling(ctx context.Context, res liveResult, progress io.Writer) (liveCeiling, error) {
	var c liveCeiling
	if res.Deliveries > 0 {
		c.BytesPerText = int(b.bytes.Load() / int64(res.Deliveries))
	}
	fmt.Fprintf(progress, "ceiling: Parley's webhooks with one client connected\n")
	alone := &liveBench{clients: 1, rate: b.rate, duration: b.duration, bases: b.bases, token: b.token, channel: b.channel}
	ar, err := alone.run(ctx, progress)
	if err != nil {
		return c, fmt.Errorf("one-client run: %w", err)
	}
	c.AloneWebhookP50, c.AloneWebhookP99 = ar.WebhookP50Ms, ar.WebhookP99Ms

	fmt.Fprintf(progress, "ceiling: bare SSE fan-out in a child process, %d bytes per text per client\n", c.BytesPerText)
	bare, err := startFanoutChild(ctx, c.BytesPerText)
	if err != nil {
		return c, err
	}
	defer bare.stop()
	fan := &liveBench{clients: b.clients, rate: b.rate, duration: b.duration, bases: []string{bare.base}, channel: b.channel}
	fr, err := fan.run(ctx, progress)
	if err != nil {
		return c, fmt.Errorf("bare fan-out run: %w", err)
	}
	c.BareP50Ms, c.BareP99Ms, c.BareEventsLost = fr.AllP50Ms, fr.AllP99Ms, fr.EventsLost
	if c.BareP99Ms > 0 {
		c.Ratio = res.AllP99Ms / c.BareP99Ms
	}
	return c, nil
}

func (c liveCeiling) print(w io.Writer, res liveResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ceiling\tp50 ms\tp99 ms\tParley's p99 as a multiple")
	fmt.Fprintf(tw, "bare SSE fan-out, %d clients, %d bytes/text each\t%.1f\t%.1f\t%.2f×\n", res.Clients, c.BytesPerText, c.BareP50Ms, c.BareP99Ms, c.Ratio)
	fmt.Fprintf(tw, "Parley's webhook answer with 1 client (against %d)\t%.1f\t%.1f\t%.2f×\n", res.Clients, c.AloneWebhookP50, c.AloneWebhookP99, ratio(res.WebhookP99Ms, c.AloneWebhookP99))
	tw.Flush()
	if c.BareEventsLost > 0 {
		fmt.Fprintf(w, "the bare fan-out lost %d events: the load generator, not Parley, is the limit\n", c.BareEventsLost)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// bareFanout is the simplest server that does what the live feed does
// for a text: take the webhook, answer it, and write one event of a given
// size to every open stream. It signs nobody in and stores nothing.
type bareFanout struct {
	base  string
	srv   *http.Server
	frame int

	mu      sync.Mutex
	clients map[chan []byte]struct{}
	seq     atomic.Int64
}

// startFanoutChild starts this binary's bench live-fanout and waits for
// it to answer.
func startFanoutChild(ctx context.Context, frame int) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	exe, err := executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "bench", "live-fanout", "--listen", addr, "--frame", strconv.Itoa(frame))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s := &server{base: "http://" + addr, pid: cmd.Process.Pid, stop: func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	}}
	for deadline := time.Now().Add(10 * time.Second); ; {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("bench live-fanout exited: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("bench live-fanout did not answer within 10 s")
		}
	}
}

// runFanout is bench live-fanout: a bare fan-out on --listen until
// SIGTERM or SIGINT.
func runFanout(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench live-fanout", flag.ContinueOnError)
	fs.SetOutput(stdout)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	frame := fs.Int("frame", 4900, "bytes of each text's event")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	f := startBareFanout(ln, *frame)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
	f.close()
	return nil
}

func startBareFanout(ln net.Listener, frame int) *bareFanout {
	f := &bareFanout{base: "http://" + ln.Addr().String(), frame: frame, clients: map[chan []byte]struct{}{}}
	mux := http.NewServeMux()
	// What bench live's sign-in reads: a CSRF token on /login, and the
	// development sign-in landing on /.
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `<meta name="csrf-token" content="bare">`)
	})
	mux.HandleFunc("POST /auth/dev", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("GET /events", f.events)
	mux.HandleFunc("POST /api/sms/webhook", f.webhook)
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = f.srv.Serve(ln) }()
	return f
}

func (f *bareFanout) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = f.srv.Shutdown(ctx)
}

// events streams every frame to one client, writing all that is waiting
// before each flush, as Parley does.
func (f *bareFanout) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "no streaming", http.StatusInternalServerError)
		return
	}
	ch := make(chan []byte, 1024)
	f.mu.Lock()
	f.clients[ch] = struct{}{}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.clients, ch)
		f.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, ": ready\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case frame := <-ch:
			if _, err := w.Write(frame); err != nil {
				return
			}
			for more := true; more; {
				select {
				case frame := <-ch:
					if _, err := w.Write(frame); err != nil {
						return
					}
				default:
					more = false
				}
			}
			flusher.Flush()
		}
	}
}

// webhook answers a text and sends every client one frame of f.frame
// bytes carrying it.
func (f *bareFanout) webhook(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	frame := f.frameFor(r.PostForm.Get("Text"))
	f.mu.Lock()
	for ch := range f.clients {
		select {
		case ch <- frame:
		default: // a client this far behind would be cut off and catch up
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/xml")
	io.WriteString(w, "<Response></Response>")
}

// frameFor is an SSE event holding text, padded with a comment line to
// f.frame bytes.
func (f *bareFanout) frameFor(text string) []byte {
	id := strconv.FormatInt(f.seq.Add(1), 10)
	head := "id: " + id + "\nevent: message\ndata: " + text + "\n"
	pad := max(f.frame-len(head)-len(": \n\n"), 0)
	return []byte(head + ": " + strings.Repeat("x", pad) + "\n\n")
}
