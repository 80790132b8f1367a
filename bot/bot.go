// Package bot is Balise's domain: the association's diagnostics, tool
// catalogue, decisions and migration plans, their rules as plain Go, and the
// interfaces that the technology at the edges implements (stores, a
// messenger that posts to chat, a clock).
//
// It imports nothing of the project.
package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Error codes. A code says what kind of failure happened; the message key
// says what the user should read.
const (
	EINVALID   = "invalid"   // the user's input is wrong; nothing was written
	ENOTFOUND  = "not_found" // the thing asked for does not exist in this team
	EFORBIDDEN = "forbidden" // the user may not do this
	ECONFLICT  = "conflict"  // the state does not allow it (closed decision...)
	EINTERNAL  = "internal"  // a bug or an outage; logged, never shown in detail
)

// ErrUnwritable is wrapped by the stores' errors when the database cannot
// be written at all (disk full, read-only file system or file): nothing of
// the change was stored, and the member is told so plainly.
var ErrUnwritable = errors.New("the database cannot be written (disk full or read-only)")

// Error is Balise's one error type. Key names a message in the catalogues;
// Args fill its template. Only EINTERNAL errors are logged as errors.
type Error struct {
	Code string
	Key  string
	Args map[string]any
}

func (e *Error) Error() string {
	return fmt.Sprintf("balise %s: %s %v", e.Code, e.Key, e.Args)
}

// Errorf returns an *Error with the given code, message key and template
// arguments given as key, value pairs.
func Errorf(code, key string, kv ...any) *Error {
	e := &Error{Code: code, Key: key}
	if len(kv) > 0 {
		e.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			e.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return e
}

// ErrorCode returns the code of err, EINTERNAL for any error that is not a
// *Error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// Job is periodic work that the scheduler runs every Every, never twice at
// once. What a job must do is read from the stores, so that a restart loses
// nothing.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}
