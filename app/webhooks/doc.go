// Package webhooks is the outgoing webhooks' edge: it signs each request
// as Standard Webhooks specifies (https://www.standardwebhooks.com), formats
// Slack incoming-webhook messages, and makes the requests through a client
// that refuses loopback, private and link-local addresses when it connects
// (so a name that resolves there, or re-resolves there later, is refused
// too), follows no redirect, and times out.
package webhooks
