package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeHintReachesThisParley follows the start-up hint from a second
// terminal, which does not share the server's PORT: the printed command
// must post to this Parley, not to port 3000.
func TestServeHintReachesThisParley(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	env := map[string]string{"PORT": fmt.Sprint(port), "DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, func(k string) string { return env[k] }, w, io.Discard)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		go io.Copy(io.Discard, r)
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	hint := ""
	for sc := bufio.NewScanner(r); hint == "" && sc.Scan(); {
		hint, _ = strings.CutPrefix(sc.Text(), "Send a test text: ")
		if hint == sc.Text() {
			hint = ""
		}
	}
	args, ok := strings.CutPrefix(hint, "go run ./app ")
	if !ok {
		t.Fatalf("hint=%q, want a go run ./app command", hint)
	}
	if want := fmt.Sprintf("localhost:%d/", port); !strings.Contains(hint, want) {
		t.Fatalf("hint=%q, want it to name this Parley (%s), since PORT=%d", hint, want, port)
	}
	var out bytes.Buffer
	if err := run(context.Background(), strings.Fields(args), func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("the hint's command from a terminal without PORT: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "200 OK") || !strings.Contains(out.String(), "Hello!") {
		t.Fatalf("the hint's command printed %q, want 200 and the greeting", out.String())
	}
}
