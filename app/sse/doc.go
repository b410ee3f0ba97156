// Package sse is the wire side of Parley's live streams: Server-Sent Events
// framing, the writer that sends a stream's frames straight to its
// connection as HTTP/1.1 chunks, and the window of event IDs a stream has
// already written. It knows nothing of Parley's events, users or pages, so
// it imports nothing of ours; app/web decides what goes into a stream.
package sse
