package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/redline-watch/redline/config"
)

// flagSet returns a FlagSet that prints its usage to the command's stderr.
// Go-style flags: -config FILE and --config FILE both work.
func flagSet(env *Env, name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: redline %s [flags]%s\n\n%s\n", name, args, summary)
		var has bool
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args; it returns the exit code to use when parsing ends
// the command (-h: 0, bad flags: 2) and ok=false.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

// parseNoArgs parses args for a command that takes flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if code, ok := parseFlags(fs, args); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "redline %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}

// configFlag adds -config, defaulting to $REDLINE_CONFIG.
func configFlag(fs *flag.FlagSet, env *Env) *string {
	return fs.String("config", env.Getenv("REDLINE_CONFIG"),
		"config `file` (default $REDLINE_CONFIG, else the embedded defaults that watch the AI Act dossier)")
}

// loadConfig loads the config file, or the embedded defaults when path is empty.
func loadConfig(path string, env *Env) (*config.Config, error) {
	if strings.TrimSpace(path) == "" {
		return config.Embedded(env.Getenv)
	}
	return config.Load(path, env.Getenv)
}
