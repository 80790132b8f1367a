// Package storage keeps Balise's memory in one SQLite file (modernc.org/sqlite,
// no cgo): embedded append-only migrations, one file per aggregate, one
// transaction per method.
//
// Writes go through one writer connection whose transactions take the write
// lock at once (BEGIN IMMEDIATE), so they queue in Go rather than fail busy.
// Reads go through a pool of read-only connections whose transactions start
// deferred: in WAL mode they run beside the writer and never wait for it.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"balise/bot"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is Balise's database.
type DB struct {
	w    *sql.DB // the one writer connection
	r    *sql.DB // read-only connections
	path string
	hotW map[string]*sql.Stmt // the writer's hot statements (see txn)
	hotR map[string]*sql.Stmt // the readers'
	Now  func() time.Time     // injected clock, time.Now by default

	// wipeOwed is set when a checkpoint that must erase the WAL (after an
	// anonymous decision closed) could not complete: the next write retries.
	wipeOwed atomic.Bool
}

// Readers is how many read-only connections the pool keeps.
const Readers = 4

// dsn builds a data source name whose pragmas every pooled connection gets.
func dsn(path string, txlock string, pragmas ...string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", txlock)
	return "file:" + path + "?" + q.Encode()
}

// writerDSN and readerDSN are the connections' settings. secure_delete makes
// SQLite overwrite deleted content in the database file (the WAL is wiped by
// a checkpoint, see wipeWAL).
func writerDSN(path string) string {
	return dsn(path, "immediate", "busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)",
		"synchronous(NORMAL)", "secure_delete(1)")
}

func readerDSN(path string) string {
	return dsn(path, "deferred", "busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "query_only(1)")
}

// Open opens (creating if needed) the SQLite database at path and brings its
// schema up to date. It refuses a database whose schema is newer than this
// binary knows. A new database, its -wal and -shm files are readable by
// their owner only (0600), and a directory Open creates for it is 0700:
// they hold the bot's token, the signing key and open anonymous secrets.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	d := &DB{w: w, path: path, Now: time.Now}
	if err := d.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	// The readers open once the writer made the file a WAL database.
	r, err := sql.Open("sqlite", readerDSN(path))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(Readers)
	r.SetMaxIdleConns(Readers)
	d.r = r
	if d.hotW, err = prepare(ctx, w, hotWrites); err == nil {
		d.hotR, err = prepare(ctx, r, hotReads)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// createPrivate makes the database's directory (0700) when it is missing and
// the database file (0600) before SQLite opens it: SQLite gives the -wal and
// -shm files the database file's mode. An existing file readable by others
// is narrowed to 0600, with its -wal and -shm.
func createPrivate(path string) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create the database's directory: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, st.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("make %s private: %w", p, err)
			}
		}
	}
	return nil
}

// OpenExisting opens a database that must already exist: the terminal
// commands (backup, catalogue) must not quietly work on a new, empty file
// when they are given a wrong path.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s (set BALISE_DB or -db): %w", path, err)
	}
	return Open(ctx, path)
}

// Close closes the database.
func (d *DB) Close() error {
	var err error
	if d.r != nil {
		err = d.r.Close()
	}
	if d.wipeOwed.Load() {
		err = errors.Join(err, d.wipeWAL(context.Background()))
	}
	return errors.Join(err, d.w.Close())
}

// Ping reports whether the database answers a read; it does not wait for
// the writer, so readiness stays quick while a write is under way.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Backup writes a consistent copy of the live database to path, which must
// not exist yet. The copy is created 0600 before SQLite fills it.
func (d *DB) Backup(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	f.Close()
	// VACUUM INTO writes a file, which the query_only readers may not do,
	// and it needs no write lock: a connection of its own, beside the writer.
	c, err := sql.Open("sqlite", dsn(d.path, "deferred", "busy_timeout(10000)"))
	if err == nil {
		_, err = c.ExecContext(ctx, `VACUUM INTO ?`, path)
		c.Close()
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies, each in its own transaction, the migrations the database
// has not seen yet.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("schema version table: %w", err)
	}
	names, err := migrations()
	if err != nil {
		return err
	}
	var version int
	if err := d.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("the database schema is version %d but this balise knows only %d: upgrade balise", version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFiles.ReadFile(names[i])
		if err != nil {
			return err
		}
		err = d.inTx(ctx, func(tx *txn) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", strings.TrimPrefix(names[i], "migrations/"), err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, i+1)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a write transaction on the writer connection, committed
// when fn returns nil. fn must use only tx: the writer has one connection.
func (d *DB) inTx(ctx context.Context, fn func(tx *txn) error) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return unwritable(err)
	}
	defer tx.Rollback()
	if err := fn(&txn{Tx: tx, hot: d.hotW}); err != nil {
		return unwritable(err)
	}
	if err := tx.Commit(); err != nil {
		return unwritable(err)
	}
	d.afterWrite(ctx)
	return nil
}

// unwritable marks with bot.ErrUnwritable an error saying that the
// database cannot be written at all (SQLITE_FULL, SQLITE_READONLY, an I/O
// error, a file it cannot open), so that members read that nothing was
// saved rather than a vague apology.
func unwritable(err error) error {
	var e *sqlite.Error
	if err == nil || !errors.As(err, &e) || errors.Is(err, bot.ErrUnwritable) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return fmt.Errorf("%w: %w", bot.ErrUnwritable, err)
	}
	return err
}

// afterWrite does the wipe of the WAL that a reader delayed, if one is owed.
func (d *DB) afterWrite(ctx context.Context) {
	if d.wipeOwed.Load() {
		_ = d.wipeWAL(ctx) // still owed when it fails again
	}
}

// read runs fn in a read transaction on a reader connection: one consistent
// snapshot, which never waits for the writer.
func (d *DB) read(ctx context.Context, fn func(tx *txn) error) error {
	tx, err := d.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(&txn{Tx: tx, hot: d.hotR})
}

// exec runs one write statement on the writer.
func (d *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := d.w.ExecContext(ctx, query, args...)
	if err == nil {
		d.afterWrite(ctx)
	}
	return res, unwritable(err)
}

// wipeWAL copies the WAL into the database and truncates it to nothing, so
// that what was deleted with secure_delete (an anonymous decision's secret
// and voter keys) is gone from every file on disk. The checkpoint waits up
// to two seconds for readers still on an older snapshot (reads are short);
// when one holds on longer, the wipe is owed and retried after the next
// write and at Close.
func (d *DB) wipeWAL(ctx context.Context) error {
	conn, err := d.w.Conn(ctx)
	if err != nil {
		d.wipeOwed.Store(true)
		return fmt.Errorf("wipe the WAL: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 2000`); err != nil {
		d.wipeOwed.Store(true)
		return fmt.Errorf("wipe the WAL: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA busy_timeout = 10000`)
	var busy, logFrames, done int
	err = conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
	if err == nil && busy != 0 {
		err = errors.New("a reader holds an older snapshot")
	}
	d.wipeOwed.Store(err != nil)
	if err != nil {
		return fmt.Errorf("wipe the WAL: %w", err)
	}
	return nil
}
