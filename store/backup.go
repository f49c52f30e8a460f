package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to w from one read
// transaction, so writers go on meanwhile (until the file outgrows
// Options.MmapSize: then a writer waits for the backup to end). It stops
// with the context's error at the next write after ctx is done.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up store %q: %w", s.path, err)
	}
	return n, nil
}

// ctxWriter fails writes once its context is done, so a long backup can be
// abandoned without waiting for the whole file.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

// Write implements io.Writer.
func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// BackupFile writes a consistent copy of s to path with mode 0600. It writes
// path+".tmp", syncs it and renames it over path, so path is either the old
// file or the complete new copy, never a partial one.
func BackupFile(ctx context.Context, s *Store, path string) (err error) {
	if fi, serr := os.Stat(path); serr == nil {
		if live, lerr := os.Stat(s.Path()); lerr == nil && os.SameFile(fi, live) {
			return fmt.Errorf("back up store to %q: that is the live database", path)
		}
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("back up store to %q: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// A leftover tmp file keeps its old mode through O_TRUNC.
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("back up store to %q: %w", path, err)
	}
	if _, err := s.Backup(ctx, f); err != nil {
		return fmt.Errorf("back up store to %q: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("back up store to %q: sync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("back up store to %q: close: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("back up store to %q: %w", path, err)
	}
	// The rename is durable only once the directory entry is synced.
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("back up store to %q: %w", path, err)
	}
	return nil
}

// syncDir fsyncs a directory; platforms that cannot sync directories are ignored.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory %q: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync directory %q: %w", dir, err)
	}
	return nil
}
