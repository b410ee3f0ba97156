// Package usecases holds no code of its own: its tests drive the domain's
// use cases (inbox.Service) end to end over the real store, on SQLite
// always and on PostgreSQL when PARLEY_TEST_POSTGRES_URL is set, each test
// in a database or schema of its own (storetest.EachDB). They live here,
// one use case a file, so a reader looking for how assigning, labels,
// notes, snoozing or consent behave finds them by name: app/inbox's own
// tests stay free of I/O, and app/store's test its queries.
package usecases
