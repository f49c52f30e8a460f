package main

import (
	"context"
	"fmt"
)

func cmdCheckConfig(_ context.Context, args []string, env *Env) int {
	fs := flagSet(env, "check-config", "",
		"Load and validate the config; print every problem with its field path and line,\nor the effective config with secrets shown as <secret>.")
	path := configFlag(fs, env)
	quiet := fs.Bool("q", false, "print nothing when the config is valid")
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	cfg, err := loadConfig(*path, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline check-config: %v\n", err)
		return exitFailure
	}
	if *quiet {
		return exitOK
	}
	out, err := cfg.Redacted()
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline check-config: %v\n", err)
		return exitFailure
	}
	name := *path
	if name == "" {
		name = "embedded defaults"
	}
	fmt.Fprintf(env.Stdout, "# %s: valid, %d sources\n%s", name, len(cfg.Sources()), out)
	return exitOK
}
