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
	// The delivery reports' statements: each HELP text's automatic
	// reply brings two.
	messageByUUID      *sql.Stmt
	insertMessageEvent *sql.Stmt
	saveOutboundState  *sql.Stmt

	// The columns of the two inserts, in the order of their parameters,
	// taken from the same struct tags bun uses, so both paths write the
	// same columns.
	messageFields      []*schema.Field
	eventFields        []*schema.Field
	messageEventFields []*schema.Field
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
	var insertMessageEvent string
	insertMessageEvent, p.messageEventFields = insertSQL(db.Table(reflect.TypeFor[messageEventRow]()),
		" ON CONFLICT (message_id, status, sequence) DO NOTHING")
	for _, s := range []struct {
		name  string
		stmt  **sql.Stmt
		query string
	}{
		{"conversation upsert", &p.upsertConversation, upsertConversation},
		{"message insert", &p.insertMessage, insertMessage},
		{"search words update", &p.setTerms, setTermsSQL},
		{"event insert", &p.insertEvent, insertEvent},
		{"message by MessageUUID", &p.messageByUUID, `SELECT * FROM messages WHERE provider_uuid = ?`},
		{"message event insert", &p.insertMessageEvent, insertMessageEvent},
		{"outbound state update", &p.saveOutboundState, saveOutboundStateSQL()},
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
	for _, s := range []*sql.Stmt{p.upsertConversation, p.insertMessage, p.setTerms, p.insertEvent,
		p.messageByUUID, p.insertMessageEvent, p.saveOutboundState} {
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
			args[i] = bindValue(v.Interface())
		}
	}
	return args, nil
}

// bindValue is v as bun writes it into SQLite's statement text: NULL for
// a nil pointer, the value a pointer points to, and times in bun's format.
func bindValue(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		v = rv.Elem().Interface()
	}
	if t, ok := v.(time.Time); ok {
		return sqliteTime(t)
	}
	return v
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

// upsertConversation counts an inbound message on its conversation;
// sql.ErrNoRows when providerUUID is stored already.
func (p preparedTx) upsertConversation(ctx context.Context, providerUUID, contact, channel, preview string, media int, at time.Time) (conversationRow, error) {
	ts := sqliteTime(at)
	var row conversationRow
	rows, err := p.tx.StmtContext(ctx, p.stmts.upsertConversation).QueryContext(ctx, contact, channel, ts, preview, media, ts, ts, providerUUID)
	if err != nil {
		return row, err
	}
	return row, scanOne(ctx, p.db, rows, &row)
}

// scanOne scans the one row of rows into dest with bun's scan, which maps
// columns by name, as on bun's own path, and closes rows. No row is
// sql.ErrNoRows.
func scanOne(ctx context.Context, db *bun.DB, rows *sql.Rows, dest any) error {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := db.ScanRow(ctx, rows, dest); err != nil {
		return err
	}
	for rows.Next() {
		// Drain: SQLite reports some errors only past the first row.
	}
	return rows.Err()
}

// messageByUUID reads the message with a MessageUUID.
func (p preparedTx) messageByUUID(ctx context.Context, uuid string) (messageRow, error) {
	var row messageRow
	rows, err := p.tx.StmtContext(ctx, p.stmts.messageByUUID).QueryContext(ctx, uuid)
	if err != nil {
		return row, err
	}
	return row, scanOne(ctx, p.db, rows, &row)
}

// insertMessageEvent inserts a delivery report and reports whether it was
// new; on insert it sets row.ID.
func (p preparedTx) insertMessageEvent(ctx context.Context, row *messageEventRow) (bool, error) {
	args, err := bindValues(p.stmts.messageEventFields, reflect.ValueOf(row).Elem())
	if err != nil {
		return false, err
	}
	return insertReturningID(ctx, p.tx.StmtContext(ctx, p.stmts.insertMessageEvent), args, &row.ID)
}

// saveOutboundState runs saveOutboundStateSQL for values (those of
// outboundState, then the message's ID) and returns the rows it changed.
func (p preparedTx) saveOutboundState(ctx context.Context, values []any) (int64, error) {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = bindValue(v)
	}
	res, err := p.tx.StmtContext(ctx, p.stmts.saveOutboundState).ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
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
