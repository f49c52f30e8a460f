package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/config"
	"github.com/redline-watch/redline/pipeline"
	"github.com/redline-watch/redline/schedule"
	"github.com/redline-watch/redline/server"
)

// shutdownGrace bounds how long open HTTP requests may take after a signal.
const shutdownGrace = 10 * time.Second

func cmdRun(ctx context.Context, args []string, env *Env) int {
	fs := flagSet(env, "run", "",
		"Run the daemon: check every source on its cron schedule, serve the status page,\n/healthz, /readyz and the JSON API, and stop cleanly on SIGINT or SIGTERM.")
	path := configFlag(fs, env)
	listen := fs.String("listen", "", "HTTP listen `address` (overrides http.listen)")
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	cfg, err := loadConfig(*path, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline run: %v\n", err)
		return exitFailure
	}
	if *listen != "" {
		cfg.HTTP.Listen = *listen
	}
	log := newLogger(cfg.Log, env.Stderr, env.Getenv)
	if err := runDaemon(ctx, cfg, log); err != nil {
		log.Error("redline stopped", "error", err)
		return exitFailure
	}
	return exitOK
}

// runDaemon runs until ctx is canceled. On the way out it cancels in-flight
// checks and waits for them, drains HTTP requests, and closes the store.
func runDaemon(parent context.Context, cfg *config.Config, log *slog.Logger) (err error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	st, err := openStore(ctx, cfg, log.With("component", "store"))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	if err := st.Check(ctx); err != nil {
		return fmt.Errorf("store consistency check: %w", err)
	}
	pl, err := newPipeline(cfg, st, log)
	if err != nil {
		return err
	}
	sources := cfg.Sources()
	sched, err := schedule.New(sources, checkJob(pl), schedule.Options{
		Workers:      cfg.Scheduler.Workers,
		Jitter:       cfg.Scheduler.Jitter,
		CheckTimeout: cfg.Scheduler.CheckTimeout,
		Logger:       log.With("component", "scheduler"),
		LastRun: func(ctx context.Context, id string) (time.Time, error) {
			s, err := st.State(ctx, id)
			return s.LastCheck, err
		},
		Failed: func(ctx context.Context, src redline.Source, err error) {
			// Failed fetches are recorded by the pipeline itself; what reaches
			// here is a panic, or the store refusing to record.
			if errors.Is(err, schedule.ErrPanic) {
				if rerr := pl.RecordFailure(ctx, src, err); rerr != nil {
					log.Error("record panic", "source_id", src.ID, "error", rerr)
				}
			}
		},
	})
	if err != nil {
		return err
	}
	pl.NextDue = sched.Next

	var ready atomic.Bool
	srv := server.New(sources, st, sched)
	srv.Version = versionString()
	srv.Logger = log.With("component", "http")
	srv.Ready = ready.Load
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTP.Listen, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	httpDone := make(chan error, 1)
	go func() { httpDone <- hs.Serve(ln) }()
	log.Info("redline started", "version", versionString(), "listen", ln.Addr().String(),
		"db", cfg.Storage.Path, "sources", len(sources))

	schedDone := make(chan error, 1)
	go func() { schedDone <- sched.Run(ctx) }()
	ready.Store(true)

	schedRunning := true
	select {
	case err = <-schedDone:
		schedRunning = false
	case err = <-httpDone:
		err = fmt.Errorf("http server: %w", err)
	}
	// A signal canceled parent, or a part failed: stop the rest.
	ready.Store(false)
	cancel()
	if schedRunning {
		if serr := <-schedDone; serr != nil && err == nil {
			err = serr
		}
	}
	sctx, stop := context.WithTimeout(context.WithoutCancel(parent), shutdownGrace)
	defer stop()
	if serr := hs.Shutdown(sctx); serr != nil && err == nil {
		err = fmt.Errorf("http shutdown: %w", serr)
	}
	log.Info("redline stopped: in-flight checks finished or canceled, store closing")
	return err
}

// checkJob adapts the pipeline to the scheduler. Failed checks are recorded by
// Check; only errors recording them are returned.
func checkJob(pl *pipeline.Pipeline) schedule.Job {
	return func(ctx context.Context, src redline.Source) error {
		_, err := pl.Check(ctx, src)
		return err
	}
}
