// Command balise runs Balise, the Mattermost bot that helps associations
// choose free digital tools, decide together and adopt what they chose.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones load the same on every host, the smallest image included
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "balise:", err)
		}
		os.Exit(1)
	}
}

// Run runs the subcommand named by args[0].
func Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return (&Serve{}).Run(ctx, args[1:])
	case "setup":
		return (&Setup{}).Run(ctx, args[1:])
	case "check":
		return (&Check{}).Run(ctx, args[1:])
	case "team":
		return (&Team{}).Run(ctx, args[1:])
	case "backup":
		return (&Backup{}).Run(ctx, args[1:])
	case "catalogue":
		return (&Catalogue{}).Run(ctx, args[1:])
	case "version":
		fmt.Println("balise", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

const usage = `balise: a Mattermost bot for associations.

Usage:
  balise serve          run the bot
  balise setup          create the bot account and register the slash commands
  balise check          once serve is up: is everything working? (all good,
                        or the first thing to fix)
  balise team export TEAM FILE | erase TEAM -yes | remove TEAM -yes
                        one association's data: export it as JSON, erase it,
                        or remove the team from Balise altogether
  balise backup FILE    write a consistent copy of the database to FILE
  balise catalogue export FILE
                        write the tool catalogue to FILE (.json or .csv)
  balise catalogue import FILE
                        add or replace the tools of FILE, all or none
  balise version        print the version

Each command takes -h for its settings.
`
