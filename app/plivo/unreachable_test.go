package plivo_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
)

// When Plivo cannot be reached, the words an agent reads on the thread say
// so and no more: the OS's error text (addresses, ports, resolvers) stays
// in the error's cause, for the log.
func TestSenderUnreachableShowsNoOSText(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	s, err := plivo.NewSender(plivo.SenderOptions{AuthID: "MAXXXXXXXXXXXXXXXXXX", AuthToken: "token", BaseURL: "http://" + addr + "/"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), sms(1, "hi"))
	var se *inbox.SendError
	if !errors.As(err, &se) || !se.Retryable {
		t.Fatalf("Send=%v, want a retryable *inbox.SendError", err)
	}
	_, port, _ := net.SplitHostPort(addr)
	for _, leak := range []string{"dial", "refused", port} {
		if strings.Contains(se.Message, leak) {
			t.Errorf("Message=%q shows %q", se.Message, leak)
		}
	}
	if se.Err == nil || !strings.Contains(se.Err.Error(), "refused") {
		t.Errorf("cause=%v, want the OS's words kept for the log", se.Err)
	}
}
