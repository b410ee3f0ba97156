// Package plivo is Parley's carrier edge: it checks Plivo's webhook
// signatures, turns inbound and delivery-report forms into inbox values, and
// writes Plivo XML replies. It does no I/O of its own; the web layer hands it
// headers, forms and writers.
package plivo
