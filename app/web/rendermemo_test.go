package web

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A renderMemo runs fn once for concurrent callers of one key, and again
// after a failure.
func TestRenderMemo(t *testing.T) {
	var m renderMemo
	key, bad := renderKey{event: 1, user: 2, announce: 1}, renderKey{event: 3, user: 2, announce: 3}
	html := rendered{frame: []byte("html")}
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := m.do(key, func() (rendered, error) {
				calls.Add(1)
				<-release
				return html, nil
			})
			if string(v.frame) != "html" || err != nil {
				t.Errorf("do=%q, %v, want html, nil", v.frame, err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("fn called %d times for one key, want 1", n)
	}
	boom := errors.New("boom")
	if _, err := m.do(bad, func() (rendered, error) { return rendered{}, boom }); !errors.Is(err, boom) {
		t.Fatalf("do(failing)=%v, want boom", err)
	}
	v, err := m.do(bad, func() (rendered, error) { return rendered{csrfHTML: "ok"}, nil })
	if v.csrfHTML != "ok" || err != nil {
		t.Fatalf("do after a failure=%+v, %v, want ok, nil (failures are not kept)", v, err)
	}
}
