package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/extra/bunjson"
	"github.com/uptrace/bun/schema"
)

// sqliteStatements are the statements of the inbound-text transaction,
// prepared once on SQLite's single connection. bun writes every value into
// the statement's text, so SQLite parsed and planned each of them anew: a
// quarter of the server's time under load. With ? parameters the driver
// keeps the compiled statement and only binds values. PostgreSQL keeps
// bun's statements over the simple protocol (see docs/decisions.md): there
// the cost is the round trip, which preparing would not remove.
type sqliteStatements struct {
	upsertConversation *sql.Stmt
	insertMessage      *sql.Stmt
	setTerms           *sql.Stmt
	insertEvent        *sql.Stmt

	// The columns of the two inserts, in the order of their parameters,
	// taken from the same struct tags bun uses, so both paths write the
	// same columns.
	messageFields []*schema.Field
	eventFields   []*schema.Field
}

// setTermsSQL stores a conversation's search words.
const setTermsSQL = `UPDATE conversations SET search_terms = ? WHERE id = ?`

// prepareSQLite prepares the statements on db. It fails before the
// migrations have created the tables.
func prepareSQLite(ctx context.Context, db *bun.DB) (*sqliteStatements, error) {
	p := &sqliteStatements{}
	var insertMessage, insertEvent string
	insertMessage, p.messageFields = insertSQL(db.Table(reflect.TypeFor[messageRow]()), " ON CONFLICT (provider_uuid) DO NOTHING")
	insertEvent, p.eventFields = insertSQL(db.Table(reflect.TypeFor[eventRow]()), "")
	for _, s := range []struct {
		name  string
		stmt  **sql.Stmt
		query string
	}{
		{"conversation upsert", &p.upsertConversation, upsertConversation},
		{"message insert", &p.insertMessage, insertMessage},
		{"search words update", &p.setTerms, setTermsSQL},
		{"event insert", &p.insertEvent, insertEvent},
	} {
		stmt, err := db.DB.PrepareContext(ctx, s.query)
		if err != nil {
			p.close()
			return nil, fmt.Errorf("store: prepare %s: %w", s.name, err)
		}
		*s.stmt = stmt
	}
	return p, nil
}

// insertSQL is an INSERT of every column of table but its primary key,
// with one parameter each, and the columns in that order.
func insertSQL(table *schema.Table, conflict string) (string, []*schema.Field) {
	var fields []*schema.Field
	var names, params []string
	for _, f := range table.Fields {
		if f.IsPK {
			continue
		}
		fields = append(fields, f)
		names = append(names, f.Name)
		params = append(params, "?")
	}
	query := "INSERT INTO " + table.Name + " (" + strings.Join(names, ", ") + ") VALUES (" +
		strings.Join(params, ", ") + ")" + conflict
	return query, fields
}

func (p *sqliteStatements) close() error {
	if p == nil {
		return nil
	}
	var errs []error
	for _, s := range []*sql.Stmt{p.upsertConversation, p.insertMessage, p.setTerms, p.insertEvent} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}

// bindValues returns the values of fields in strct as bun would write
// them into SQLite's statement text: NULL for nil pointers and nullzero
// zeros, JSON for jsonb columns, and times in bun's format, so a row
// written here reads back exactly like one bun wrote.
func bindValues(fields []*schema.Field, strct reflect.Value) ([]any, error) {
	args := make([]any, len(fields))
	for i, f := range fields {
		v := strct.FieldByIndex(f.Index)
		switch {
		case (f.IsPtr && v.IsNil()) || (f.NullZero && f.IsZero(v)):
			args[i] = nil
		case f.UserSQLType == "jsonb":
			b, err := bunjson.Marshal(v.Interface())
			if err != nil {
				return nil, fmt.Errorf("store: encode %s: %w", f.Name, err)
			}
			args[i] = string(b)
		default:
			if f.IsPtr {
				v = v.Elem()
			}
			args[i] = v.Interface()
			if t, ok := args[i].(time.Time); ok {
				args[i] = sqliteTime(t)
			}
		}
	}
	return args, nil
}

// sqliteTime is a time as bun's SQLite dialect writes it (without quotes).
func sqliteTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.999999-07:00")
}

// preparedTx runs the prepared statements inside one transaction.
type preparedTx struct {
	stmts *sqliteStatements
	tx    *sql.Tx
	db    *bun.DB
}

// upsertConversation counts an inbound message on its conversation.
func (p preparedTx) upsertConversation(ctx context.Context, contact, channel, preview string, at time.Time) (conversationRow, error) {
	ts := sqliteTime(at)
	var row conversationRow
	rows, err := p.tx.StmtContext(ctx, p.stmts.upsertConversation).QueryContext(ctx, contact, channel, ts, preview, ts, ts)
	if err != nil {
		return row, err
	}
	// bun's scan maps RETURNING * by column name, as on bun's own path.
	return row, p.db.ScanRows(ctx, rows, &row)
}

// insertMessage inserts row and reports whether it was new (a duplicate
// provider UUID inserts nothing); on insert it sets row.ID.
func (p preparedTx) insertMessage(ctx context.Context, row *messageRow) (bool, error) {
	args, err := bindValues(p.stmts.messageFields, reflect.ValueOf(row).Elem())
	if err != nil {
		return false, err
	}
	return insertReturningID(ctx, p.tx.StmtContext(ctx, p.stmts.insertMessage), args, &row.ID)
}

// setTerms stores a conversation's search words.
func (p preparedTx) setTerms(ctx context.Context, conversationID int64, terms string) error {
	_, err := p.tx.StmtContext(ctx, p.stmts.setTerms).ExecContext(ctx, terms, conversationID)
	return err
}

// insertEvent appends one event and sets row.ID.
func (p preparedTx) insertEvent(ctx context.Context, row *eventRow) error {
	args, err := bindValues(p.stmts.eventFields, reflect.ValueOf(row).Elem())
	if err != nil {
		return err
	}
	_, err = insertReturningID(ctx, p.tx.StmtContext(ctx, p.stmts.insertEvent), args, &row.ID)
	return err
}

// insertReturningID runs an INSERT and reads the new row's ID from SQLite's
// last insert rowid, which is the INTEGER PRIMARY KEY: a result set for a
// RETURNING clause would cost more than the statement.
func insertReturningID(ctx context.Context, stmt *sql.Stmt, args []any, id *int64) (bool, error) {
	res, err := stmt.ExecContext(ctx, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	*id, err = res.LastInsertId()
	return err == nil, err
}
