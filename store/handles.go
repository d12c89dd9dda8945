package store

import (
	"context"
	"database/sql"
)

// runner is what *sql.DB, *sql.Tx and *sql.Conn share for running SQL.
type runner interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// rewriting runs every query through the store's dialect first, so that
// the store's SQL is written once for both backends (see dialect).
type rewriting[R runner] struct {
	r R
	d *dialect
}

func (w rewriting[R]) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return w.r.QueryContext(ctx, w.d.sql(query), w.d.args(args)...)
}

func (w rewriting[R]) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return w.r.QueryRowContext(ctx, w.d.sql(query), w.d.args(args)...)
}

func (w rewriting[R]) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return w.r.ExecContext(ctx, w.d.sql(query), w.d.args(args)...)
}

// spelling is the dialect the queries are rewritten for.
func (w rewriting[R]) spelling() *dialect { return w.d }

// dbHandle is the store's connection pool, speaking its dialect.
type dbHandle struct{ rewriting[*sql.DB] }

// BeginTx starts a transaction that speaks the same dialect.
func (h dbHandle) BeginTx(ctx context.Context, opts *sql.TxOptions) (txHandle, error) {
	tx, err := h.r.BeginTx(ctx, opts)
	return txHandle{rewriting[*sql.Tx]{tx, h.d}}, err
}

// Conn reserves one connection, for a read transaction begun by hand.
func (h dbHandle) Conn(ctx context.Context) (connHandle, error) {
	c, err := h.r.Conn(ctx)
	return connHandle{rewriting[*sql.Conn]{c, h.d}}, err
}

// txHandle is one transaction, speaking the store's dialect.
type txHandle struct{ rewriting[*sql.Tx] }

// Commit commits the transaction.
func (h txHandle) Commit() error { return h.r.Commit() }

// Rollback abandons the transaction; after Commit it does nothing.
func (h txHandle) Rollback() error { return h.r.Rollback() }

// connHandle is one reserved connection, speaking the store's dialect.
type connHandle struct{ rewriting[*sql.Conn] }

// Close returns the connection to the pool.
func (h connHandle) Close() error { return h.r.Close() }
