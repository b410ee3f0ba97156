package live

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// proxy forwards TCP connections to a target, and can take the link down in
// the two ways a network fails: loudly (connections reset, new ones
// refused) and silently (bytes vanish, connections stay open).
type proxy struct {
	ln      net.Listener
	target  string
	accepts atomic.Int64

	mu     sync.Mutex
	refuse bool
	links  map[*link]struct{}
}

type link struct {
	client, server net.Conn
	dead           atomic.Bool // drop everything, silently
}

func startProxy(t testing.TB, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	p := &proxy{ln: ln, target: target, links: make(map[*link]struct{})}
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.Refuse(true)
	})
	return p
}

func (p *proxy) Addr() string { return p.ln.Addr().String() }

// Accepts counts connections made to the proxy so far.
func (p *proxy) Accepts() int64 { return p.accepts.Load() }

// Refuse, when on, closes every connection and closes new ones at once.
func (p *proxy) Refuse(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = on
	if on {
		for l := range p.links {
			_ = l.client.Close()
			_ = l.server.Close()
		}
	}
}

// Blackhole makes every open connection drop all bytes from now on, without
// closing it. New connections work.
func (p *proxy) Blackhole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		l.dead.Store(true)
	}
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.accepts.Add(1)
		p.mu.Lock()
		refuse := p.refuse
		p.mu.Unlock()
		if refuse {
			_ = c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		l := &link{client: c, server: s}
		p.mu.Lock()
		p.links[l] = struct{}{}
		p.mu.Unlock()
		go p.pipe(l, c, s)
		go p.pipe(l, s, c)
	}
}

func (p *proxy) pipe(l *link, from, to net.Conn) {
	defer func() {
		_ = from.Close()
		_ = to.Close()
		p.mu.Lock()
		delete(p.links, l)
		p.mu.Unlock()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if err != nil {
			return
		}
		if l.dead.Load() {
			continue
		}
		if _, err := to.Write(buf[:n]); err != nil {
			return
		}
	}
}
