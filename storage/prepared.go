package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// txn is a transaction whose hot statements run prepared: those of a vote
// click and of every command (token, language). They are prepared once, at
// Open, and then once per connection; parsing SQL took a third of a
// click's time. Other statements run as they come.
type txn struct {
	*sql.Tx
	hot map[string]*sql.Stmt
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s, ok := t.hot[query]; ok {
		return t.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s, ok := t.hot[query]; ok {
		return t.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s, ok := t.hot[query]; ok {
		return t.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// The hot statements of the writer and of the readers.
var (
	hotWrites = []string{qStanceCheck, qStanceOf, qStanceUpsert, qStanceChange, qStanceRevision, qBlockNotice, qTally, qEnqueue}
	hotReads  = []string{qDecisionByID, qTally, qLang, qCommandToken}
)

// prepare prepares queries on pool, outside any transaction: preparing in
// one would wait for a connection the transaction holds.
func prepare(ctx context.Context, pool *sql.DB, queries []string) (map[string]*sql.Stmt, error) {
	hot := make(map[string]*sql.Stmt, len(queries))
	for _, q := range queries {
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		hot[q] = s
	}
	return hot, nil
}
