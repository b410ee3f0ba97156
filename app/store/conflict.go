package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/parleyhq/parley/app/inbox"
)

// conflict turns a unique-index violation into ECONFLICT with message, and
// wraps any other error with wrap (a format with one %w).
func conflict(err error, message, wrap string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return &inbox.Error{Code: inbox.ECONFLICT, Message: message, Err: err}
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) && lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return &inbox.Error{Code: inbox.ECONFLICT, Message: message, Err: err}
	}
	return fmt.Errorf(wrap, err)
}
