// Command ordo is the Ordo binary: `ordo serve`, `ordo migrate`, `ordo seed`, `ordo check`,
// `ordo apikey create|list`, `ordo import`, `ordo operations`, `ordo marketsim` and `ordo version`. It only wires
// packages together; configuration comes from ORDO_* variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/instance"
)

const usage = `ordo: the Ordo order management system

Usage:
  ordo serve [--dev] [--market]       migrate, then serve GraphQL on ORDO_HTTP_ADDR
                                      (--dev also serves GraphiQL at /, lets anyone introspect
                                      and prints the store's development admin key, the same on
                                      every start; --market runs the marketplace simulator beside
                                      it, orders flowing in and suppliers restocking)
  ordo migrate                        apply the pending schema migrations (safe from several
                                      replicas at once; adopts a store of an older release)
  ordo seed [--if-empty]              load the demo business; on a store with no staff user, also
                                      create the console's admin@example.com and print its password
  ordo check                          audit stock against the ledger; exit 1 on drift
  ordo operations [--json]            list the persisted operations partners may run (--json:
                                      their manifest, in Apollo's persisted query manifest shape)
  ordo marketsim --key KEY [--ordo URL] [--addr A] [--rate N] [--duration D]
                                      serve the marketplace simulator (six channels' APIs),
                                      connect it to an Ordo and stream orders at N/s per shop
  ordo apikey create --role ROLE --name NAME [--customer cus_…] [--locations loc_…,loc_…]
                                      create an API key; the key is the last line printed
  ordo apikey list                    list the API keys (id, role, created, revoked, name; never a secret)
  ordo user create --email E --role ROLE [--name N]
                                      create a console user (admin, operator or support); the
                                      password is read from ORDO_USER_PASSWORD or one line of stdin
  ordo user set-password --email E    give a console user a new password (read as for create)
  ordo user list                      list the console's users
  ordo user disable --email E         disable a console user and end their sessions
  ordo import products FILE [--dry-run] [--partial]
                                      import products and variants from a CSV in this process,
                                      with a progress bar (a server resumes it if stopped); exit 1
                                      when it failed (every refused row is listed)
  ordo import stock FILE [--location loc_…] [--dry-run] [--partial]
                                      import a stock count from a CSV, as above
  ordo version                        print the version (also --version)
  ordo help                           print this help (also --help, -h)

Configuration (environment):
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ordo:", err)
		var exit exitCode
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		os.Exit(1)
	}
}

// exitCode is an error that asks for a particular exit status.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || slices.ContainsFunc(args, isHelpFlag) {
		printUsage(stdout)
		return nil
	}
	if args[0] == "version" || args[0] == "--version" || args[0] == "-version" {
		fmt.Fprintf(stdout, "ordo %s\n", buildVersion())
		return nil
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	slog.SetDefault(instance.NewLogger(stderr, cfg.LogLevel, cfg.LogFormat))
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, cfg, rest, stdout)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "seed":
		return seed(ctx, cfg, rest, stdout)
	case "check":
		return check(ctx, cfg, stdout)
	case "apikey":
		return apikey(ctx, cfg, rest, stdout)
	case "user":
		return user(ctx, cfg, rest, os.Stdin, stdout)
	case "import":
		return importFile(ctx, cfg, rest, stdout, stderr)
	case "operations":
		return operations(rest, stdout)
	case "marketsim":
		return marketsim(ctx, rest, stdout)
	}
	printUsage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	for _, v := range config.Vars {
		fmt.Fprintf(w, "  %-24s %-18s %s\n", v.Name, v.Default, v.Meaning)
	}
}

func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}
