//go:build e2e

package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"

	"balise/storage"
)

// In the binary the end-to-end tests build (tag e2e, never in production),
// SIGUSR1 turns the database read-only under a running serve and SIGUSR2
// makes it writable again: a database turning read-only, from outside.
func init() {
	serveHooks = append(serveHooks, func(ctx context.Context, log zerolog.Logger, db *storage.DB) {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
		go func() {
			defer signal.Stop(sig)
			for {
				select {
				case <-ctx.Done():
					return
				case s := <-sig:
					on := s == syscall.SIGUSR1
					err := db.SetReadOnly(ctx, on)
					log.Warn().Err(err).Bool("read_only", on).Msg("test hook: database write access changed")
				}
			}
		}()
	})
}
