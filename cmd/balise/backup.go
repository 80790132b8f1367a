package main

import (
	"context"
	"flag"
	"fmt"

	"balise/storage"
)

// Backup writes a consistent online copy of the database.
type Backup struct {
	db string
}

// Run runs the subcommand.
func (b *Backup) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("balise backup", flag.ContinueOnError)
	settings := []setting{{name: "db", def: "balise.db", help: "SQLite database file", dst: &b.db}}
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: balise backup [flags] FILE\n\nWrites a consistent copy of the live database to FILE, which must not exist.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, settings); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("backup needs one FILE")
	}
	db, err := storage.OpenExisting(ctx, b.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Println("backup written to", fs.Arg(0))
	return nil
}
