package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/store"
)

// pausingWriter holds a backup at its first write until writers have
// committed more checks, proving that a backup does not block them.
type pausingWriter struct {
	f     *os.File
	pause func() error
	once  sync.Once
}

// Write implements io.Writer.
func (w *pausingWriter) Write(p []byte) (int, error) {
	var err error
	w.once.Do(func() { err = w.pause() })
	if err != nil {
		return 0, err
	}
	return w.f.Write(p)
}

func TestBackupWhileWriting(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	for i := range 20 {
		mustSave(t, s, check("ai-act", redline.OutcomeChanged, fmt.Sprintf("body %d", i), fmt.Sprintf("text %d", i), ""))
	}

	// A writer keeps committing checks of another source.
	var committed atomic.Uint64
	progress := make(chan uint64, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			rec := check("council", redline.OutcomeChanged, string(randomBytes(uint64(i), 64<<10)), fmt.Sprintf("text %d", i), "")
			if err := s.SaveCheck(ctx, rec); err != nil {
				t.Errorf("writer: %v", err)
				return
			}
			committed.Store(rec.Capture.Seq)
			select { // only the latest seq matters to the reader
			case <-progress:
			default:
			}
			progress <- rec.Capture.Seq
		}
	})
	defer func() { close(stop); wg.Wait() }()
	for committed.Load() < 3 {
		<-progress
	}

	before := committed.Load()
	var target uint64
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := &pausingWriter{f: f, pause: func() error {
		target = committed.Load() + 3
		deadlock := time.After(30 * time.Second)
		for {
			select {
			case seq := <-progress:
				if seq >= target {
					return nil
				}
			case <-deadlock:
				return errors.New("writers made no progress during the backup")
			}
		}
	}}
	if _, err := s.Backup(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	cp, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if err := cp.Check(ctx); err != nil {
		t.Fatalf("Check of the backup: %v", err)
	}
	if caps, err := cp.Captures(ctx, "ai-act", 0); err != nil || len(caps) != 20 {
		t.Errorf("backup holds %d captures of ai-act, %v; want 20", len(caps), err)
	}
	caps, err := cp.Captures(ctx, "council", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The copy is the database as the backup's transaction saw it: all
	// that came before, nothing committed while it was being written.
	if n := uint64(len(caps)); n < before || n >= target {
		t.Errorf("backup holds %d captures of council; want at least %d and fewer than %d", n, before, target)
	}
	for _, c := range caps {
		if _, err := cp.Blob(ctx, c.BodyHash); err != nil {
			t.Errorf("capture %d: %v", c.Seq, err)
		}
	}
}

func TestBackupFileReplacesOldCopyAtomically(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	mustSave(t, s, check("ai-act", redline.OutcomeBaseline, "body", "text", ""))
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(path, []byte("previous backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".tmp", []byte("leftover of a crashed backup"), 0o644); err != nil {
		t.Fatal(err)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := store.BackupFile(canceled, s, path); !errors.Is(err, context.Canceled) {
		t.Errorf("BackupFile with a canceled context = %v", err)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "previous backup" {
		t.Errorf("a failed backup touched the old copy: %q, %v", got, err)
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed backup left its temporary file: %v", err)
	}

	if err := store.BackupFile(ctx, s, path); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := s.Backup(ctx, &buf)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != n || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %d bytes, mode %v; want %d bytes, 0600", fi.Size(), fi.Mode().Perm(), n)
	}

	if err := store.BackupFile(ctx, s, s.Path()); err == nil || !strings.Contains(err.Error(), "live database") {
		t.Errorf("BackupFile onto the live database = %v", err)
	}
	cp, err := store.Open(ctx, path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if sn, err := cp.LatestSnapshot(ctx, "ai-act"); err != nil || sn.Seq != 1 {
		t.Errorf("backup's latest snapshot = %+v, %v", sn, err)
	}
}
