package plivo_test

import (
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/parleyhq/parley/app/inbox"
)

// inboxCode returns the inbox error code of err, "" for nil.
func inboxCode(err error) string { return inbox.ErrorCode(err) }

// headerFunc turns h into the lookup a Callback wants, case-insensitive as
// the web layer's is.
func headerFunc(h map[string]string) func(string) string {
	hh := http.Header{}
	for k, v := range h {
		hh.Set(k, v)
	}
	return func(name string) string { return hh.Get(textproto.CanonicalMIMEHeaderKey(name)) }
}

// parseQuery decodes a form body.
func parseQuery(s string) (map[string][]string, error) { return url.ParseQuery(s) }
