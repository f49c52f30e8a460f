package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/redline-watch/redline/pipeline"
)

func cmdOnce(ctx context.Context, args []string, env *Env) int {
	fs := flagSet(env, "once", "",
		"Check every source now, print one line per source (changed, unchanged, or failed\nwith the reason) and exit 1 if any check failed. The daemon must not be running\n(it holds the database); use its API instead.")
	path := configFlag(fs, env)
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	cfg, err := loadConfig(*path, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline once: %v\n", err)
		return exitFailure
	}
	log := newLogger(cfg.Log, env.Stderr, env.Getenv)
	st, err := openStore(ctx, cfg, log.With("component", "store"))
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline once: %v\n", err)
		return exitFailure
	}
	defer st.Close()
	pl, err := newPipeline(cfg, st, log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline once: %v\n", err)
		return exitFailure
	}

	sources := cfg.Sources()
	results := make([]pipeline.Result, len(sources))
	errs := make([]error, len(sources))
	slots := make(chan struct{}, max(cfg.Scheduler.Workers, 1))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			cctx, cancel := context.WithTimeout(ctx, cfg.Scheduler.CheckTimeout)
			defer cancel()
			results[i], errs[i] = pl.Check(cctx, src)
		})
	}
	wg.Wait()

	code := exitOK
	for i, r := range results {
		switch {
		case errs[i] != nil:
			fmt.Fprintf(env.Stdout, "%s: failed: %v\n", sources[i].ID, errs[i])
			code = exitFailure
		default:
			fmt.Fprintln(env.Stdout, r.Line())
			if r.Err != nil {
				code = exitFailure
			}
		}
	}
	return code
}
