package simulator

import (
	"io"
	"net/http"
)

// maxMediaFetch bounds what the simulator reads of one media file: more
// than Plivo accepts (2 MB a file, 5 MB a message).
const maxMediaFetch = 10 << 20

// FetchedMedia is one media file the simulator fetched for an MMS, as
// Plivo does before sending it on: what the URL answered.
type FetchedMedia struct {
	// MessageUUID is the send it belongs to.
	MessageUUID   string
	URL           string
	Status        int
	ContentType   string
	ContentLength int64
	Body          []byte
	// Err is why no answer came, "" when one did.
	Err string
}

// FetchedMedia returns every media file fetched so far, in order.
func (a *API) FetchedMedia() []FetchedMedia {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]FetchedMedia(nil), a.fetched...)
}

// fetchMedia fetches each media URL of an accepted MMS, as Plivo does
// before the message leaves, and reports whether every one answered 200
// with a Content-Type and a Content-Length (Plivo needs both).
func (a *API) fetchMedia(s Send) bool {
	ok := true
	for _, u := range s.MediaURLs {
		f := FetchedMedia{MessageUUID: s.UUID, URL: u}
		req, err := http.NewRequestWithContext(a.ctx, http.MethodGet, u, nil)
		if err == nil {
			var resp *http.Response
			if resp, err = a.client.Do(req); err == nil {
				f.Status, f.ContentType, f.ContentLength = resp.StatusCode, resp.Header.Get("Content-Type"), resp.ContentLength
				f.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxMediaFetch))
				resp.Body.Close()
			}
		}
		if err != nil {
			f.Err = err.Error()
		}
		ok = ok && f.Err == "" && f.Status == http.StatusOK && f.ContentType != "" && f.ContentLength == int64(len(f.Body))
		a.mu.Lock()
		a.fetched = append(a.fetched, f)
		a.mu.Unlock()
	}
	return ok
}
