package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/config"
	"github.com/redline-watch/redline/store"
)

func cmdBackup(ctx context.Context, args []string, env *Env) int {
	fs := flagSet(env, "backup", "",
		"Write a consistent copy of the database to FILE. When a running redline holds the\ndatabase, the copy is taken through its HTTP API (GET /api/backup) and verified.")
	path := configFlag(fs, env)
	out := fs.String("o", "", "output `file` (required)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "redline backup: -o FILE is required and no arguments are taken")
		fs.Usage()
		return exitUsage
	}
	cfg, err := loadConfig(*path, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline backup: %v\n", err)
		return exitFailure
	}
	log := newLogger(cfg.Log, env.Stderr, env.Getenv)
	how, err := backup(ctx, cfg, *out, log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline backup: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(env.Stdout, "backup of %s written to %s (%s)\n", cfg.Storage.Path, *out, how)
	return exitOK
}

// backup copies the database directly, or through the running daemon's API
// when the daemon holds the file lock.
func backup(ctx context.Context, cfg *config.Config, out string, log *slog.Logger) (string, error) {
	st, err := openStore(ctx, cfg, log)
	if err == nil {
		defer st.Close()
		if err := store.BackupFile(ctx, st, out); err != nil {
			return "", err
		}
		return "direct copy", nil
	}
	if !errors.Is(err, redline.ErrLocked) {
		return "", err
	}
	url := "http://" + cfg.HTTP.Listen + "/api/backup"
	if derr := download(ctx, url, out); derr != nil {
		return "", fmt.Errorf("%w; the running daemon's API did not answer either: %w", err, derr)
	}
	return "through the running daemon at " + url, nil
}

// download fetches a backup from the daemon into out, verifying that the copy
// is a consistent database before it replaces out.
func download(ctx context.Context, url, out string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("get %s: HTTP %d", url, resp.StatusCode)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create backup file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return fmt.Errorf("download %s: %w", url, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync backup file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close backup file: %w", err)
	}
	copyStore, err := store.Open(ctx, tmp.Name(), store.Options{Timeout: storeLockTimeout, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("downloaded backup does not open: %w", err)
	}
	cerr := copyStore.Check(ctx)
	copyStore.Close()
	if cerr != nil {
		return fmt.Errorf("downloaded backup is inconsistent: %w", cerr)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
