// Command redline watches EU legislative texts and reports when a draft gains
// or loses one of the red lines campaigners ask for.
//
// Usage:
//
//	redline <command> [flags]
//
// Commands: run, once, check-config, parse, coverage, explain, backup, version.
// Each takes -h.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], &Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// Env is the process environment a command runs in; tests supply their own.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env *Env) int
}

func commands() []command {
	return []command{
		{"run", "run the daemon: scheduled checks, status page and API", cmdRun},
		{"once", "check every source now, print one line per source", cmdOnce},
		{"check-config", "validate a config file and print the effective config", cmdCheckConfig},
		{"parse", "parse a document file and print its legal structure", cmdParse},
		{"coverage", "print the demands x documents coverage matrix of document files", cmdCoverage},
		{"explain", "show why a demand got its level in a document file", cmdExplain},
		{"backup", "write a consistent copy of the database", cmdBackup},
		{"version", "print the version", cmdVersion},
	}
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "-help" || name == "--help" || name == "help" {
		usage(env.Stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], env)
		}
	}
	fmt.Fprintf(env.Stderr, "redline: unknown command %q\n\n", name)
	usage(env.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "redline watches EU legislative texts for campaigners' red lines.")
	fmt.Fprintln(w, "\nUsage: redline <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'redline <command> -h' for the flags of a command.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 failure, 2 usage error.")
}
