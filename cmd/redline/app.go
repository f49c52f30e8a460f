package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/redline-watch/redline/config"
	"github.com/redline-watch/redline/crawler"
	"github.com/redline-watch/redline/pipeline"
	"github.com/redline-watch/redline/store"
)

// storeLockTimeout is how long commands wait for the database file lock
// before saying that a running redline holds it.
const storeLockTimeout = 2 * time.Second

// newLogger builds the logger the config asks for. Under systemd (JOURNAL_STREAM
// set) the time is left out: journald stamps every line itself.
func newLogger(cfg config.Log, w io.Writer, getenv func(string) string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if getenv("JOURNAL_STREAM") != "" {
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}
	}
	if strings.EqualFold(cfg.Format, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens the database named in the config.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.Storage.Path, store.Options{Timeout: storeLockTimeout, Logger: log})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// newPipeline wires the crawler and the document parser to the store.
func newPipeline(cfg *config.Config, st *store.Store, log *slog.Logger) (*pipeline.Pipeline, error) {
	cr, err := crawler.New(crawler.Options{
		UserAgent:     cfg.Crawler.UserAgent,
		Timeout:       cfg.Crawler.Timeout,
		MaxBodySize:   int64(cfg.Crawler.MaxBodySize),
		HostDelay:     cfg.Crawler.HostDelay,
		RespectRobots: cfg.Crawler.RespectRobots,
		Retries:       cfg.Crawler.Retries,
		ShrinkRatio:   cfg.Crawler.ShrinkRatio,
		Logger:        log.With("component", "crawler"),
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	set, err := loadDemands(cfg.Demands.File)
	if err != nil {
		return nil, fmt.Errorf("demands: %w", err)
	}
	p := pipeline.New(cr, st, newParser())
	p.Demands = set
	p.FailingAfter = cfg.Scheduler.FailingAfter
	p.Logger = log.With("component", "pipeline")
	return p, nil
}
