// Package plivo is Parley's carrier edge: it checks Plivo's webhook
// signatures, turns inbound and delivery-report forms into inbox values, and
// writes Plivo XML replies, without I/O of its own (the web layer hands it
// headers, forms and writers). The Sender and the Account call Plivo's API
// through plivo-go: sending messages, and the account, numbers and
// applications behind Settings → Plivo.
package plivo
