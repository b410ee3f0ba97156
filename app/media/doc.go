// Package media keeps the files of MMS messages: what agents attach in the
// composer and what customers send. Files are stored content-addressed (the
// key is the SHA-256 of the bytes) on local disk or in an S3-compatible
// store, their type is sniffed from the bytes (never trusted from a header
// or a file name), pictures get a thumbnail made once, and Plivo fetches
// outbound files through URLs signed to expire.
package media
