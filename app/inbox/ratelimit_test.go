package inbox

import (
	"context"
	"errors"
	"testing"
	"time"
)

// scriptedLimiter answers from a table by key and records the keys asked.
type scriptedLimiter struct {
	refuse map[string]time.Duration
	err    error
	asked  []string
}

func (l *scriptedLimiter) Allow(_ context.Context, key string, _ int, _ time.Duration) (bool, time.Duration, error) {
	l.asked = append(l.asked, key)
	if l.err != nil {
		return false, 0, l.err
	}
	retry, refused := l.refuse[key]
	return !refused, retry, nil
}

func TestAllowSend(t *testing.T) {
	agent := User{ID: 7}
	tests := []struct {
		name      string
		limiter   *scriptedLimiter
		wantRetry time.Duration
		wantAsked []string
		wantWords string
	}{
		{"both allow", &scriptedLimiter{}, 0, []string{"send:minute:7", "send:day:7"}, ""},
		{"minute refuses; the day is not charged", &scriptedLimiter{refuse: map[string]time.Duration{"send:minute:7": 12 * time.Second}},
			12 * time.Second, []string{"send:minute:7"}, "inbox: rate_limited: you have sent 60 messages in the last minute, the most allowed; try again in 12 seconds"},
		{"day refuses", &scriptedLimiter{refuse: map[string]time.Duration{"send:day:7": 5*time.Hour + time.Second}},
			5*time.Hour + time.Second, []string{"send:minute:7", "send:day:7"}, "inbox: rate_limited: you have sent 1000 messages in the last day, the most allowed; try again in 6 hours"},
		{"a refusal without a wait says one second", &scriptedLimiter{refuse: map[string]time.Duration{"send:minute:7": 0}},
			time.Second, []string{"send:minute:7"}, "inbox: rate_limited: you have sent 60 messages in the last minute, the most allowed; try again in 1 second"},
		{"an outage lets the send through", &scriptedLimiter{err: errors.New("redis down")}, 0, []string{"send:minute:7", "send:day:7"}, ""},
	}
	for _, tt := range tests {
		s := NewService(Options{Limiter: tt.limiter})
		err := s.allowSend(context.Background(), agent)
		if got := ErrorRetryAfter(err); got != tt.wantRetry || (err != nil) != (tt.wantWords != "") {
			t.Errorf("%s: err=%v retry=%v, want retry %v", tt.name, err, got, tt.wantRetry)
		}
		if err != nil && (err.Error() != tt.wantWords || ErrorCode(err) != ERATELIMITED) {
			t.Errorf("%s: err=%q, want %q", tt.name, err, tt.wantWords)
		}
		if len(tt.limiter.asked) != len(tt.wantAsked) {
			t.Errorf("%s: asked=%v, want %v", tt.name, tt.limiter.asked, tt.wantAsked)
		}
	}
	if err := NewService(Options{}).allowSend(context.Background(), agent); err != nil {
		t.Errorf("no limiter: %v, want no limit", err)
	}
}

func TestWaitWords(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{time.Second, "1 second"},
		{1500 * time.Millisecond, "2 seconds"},
		{90 * time.Second, "90 seconds"},
		{91 * time.Second, "2 minutes"},
		{90 * time.Minute, "90 minutes"},
		{23*time.Hour + time.Minute, "24 hours"},
	}
	for _, tt := range tests {
		if got := waitWords(tt.d); got != tt.want {
			t.Errorf("waitWords(%v)=%q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestParseMediaURLs(t *testing.T) {
	tests := []struct {
		urls []string
		ok   bool
	}{
		{nil, true},
		{[]string{"https://cdn.example.com/a.jpg", " https://x.example/b?sig=1 "}, true},
		{[]string{"http://cdn.example.com/a.jpg"}, false},
		{[]string{"https:///a.jpg"}, false},
		{[]string{""}, false},
		{[]string{"ftp://cdn.example.com/a.jpg"}, false},
		{make([]string, 11), false},
	}
	for _, tt := range tests {
		media, err := ParseMediaURLs(tt.urls)
		if (err == nil) != tt.ok || (err != nil && ErrorField(err) != "media_urls") {
			t.Errorf("ParseMediaURLs(%q) err=%v, want ok=%v", tt.urls, err, tt.ok)
		}
		if tt.ok && len(media) != len(tt.urls) {
			t.Errorf("ParseMediaURLs(%q)=%v", tt.urls, media)
		}
	}
	if media, _ := ParseMediaURLs([]string{" https://x.example/b "}); media[0].URL != "https://x.example/b" {
		t.Errorf("URL=%q, want it trimmed", media[0].URL)
	}
}

func TestValidateContent(t *testing.T) {
	pic := []Media{{URL: "https://cdn.example.com/a.jpg"}}
	if _, err := validateContent("", nil); ErrorField(err) != "text" {
		t.Errorf("blank SMS err=%v, want field text", err)
	}
	if seg, err := validateContent("", pic); err != nil || seg.Segments != 1 {
		t.Errorf("blank MMS: %+v, %v; want one part", seg, err)
	}
	long := make([]byte, 1601)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := validateContent(string(long), pic); ErrorField(err) != "text" {
		t.Errorf("1,601-character MMS err=%v, want field text", err)
	}
}
