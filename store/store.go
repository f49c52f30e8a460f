// Package store keeps redline's history in one bbolt file: per-source state,
// a capture record for every check, a snapshot for every stored version,
// content-addressed zstd-compressed blobs and the global event log.
//
// One process owns the file (bbolt takes an flock); a second opener gets a
// *LockedError naming the holder's pid. Everything one check produces is
// written in a single transaction, so a crash never leaves a partial check.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
	"go.etcd.io/bbolt"

	"github.com/redline-watch/redline"
)

// SchemaVersion is the version of the on-disk layout this package writes.
const SchemaVersion = 1

// DefaultTimeout is how long Open waits for the file lock when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Second

// DefaultMaxBlobSize is the largest blob the decoder inflates when
// Options.MaxBlobSize is zero; it bounds memory if a blob is corrupt or hostile.
const DefaultMaxBlobSize = 1 << 30

// DefaultMmapSize is the initial memory map when Options.MmapSize is zero:
// 1 GiB on 64-bit platforms, where address space is plentiful, else bbolt's default.
const DefaultMmapSize = (strconv.IntSize / 64) << 30

// ErrClosed is returned by every method of a Store after Close.
var ErrClosed = errors.New("store is closed")

// Bucket and key names of the schema.
var (
	bucketMeta      = []byte("meta")
	bucketSources   = []byte("sources")
	bucketBlobs     = []byte("blobs")
	bucketEvents    = []byte("events")
	bucketCaptures  = []byte("captures")
	bucketSnapshots = []byte("snapshots")
	keyState        = []byte("state")
	keySchema       = []byte("schema_version")
	keyCreatedAt    = []byte("created_at")
)

// migrations upgrade the schema one version at a time: migrations[i] turns
// version i+1 into version i+2, so len(migrations)+1 must equal SchemaVersion.
// It is never modified; tests pass their own table to open.
var migrations []func(tx *bbolt.Tx) error

// Options configures Open. The zero value is usable.
type Options struct {
	// Timeout bounds the wait for the file lock; zero means DefaultTimeout,
	// because bbolt itself would wait forever.
	Timeout time.Duration
	// Logger receives open and migration messages; nil discards them.
	Logger *slog.Logger
	// ReadOnly opens the file with a shared lock for inspection tools; it
	// never initialises or migrates the schema.
	ReadOnly bool
	// MaxBlobSize caps the decompressed size of one blob; zero means DefaultMaxBlobSize.
	MaxBlobSize int64
	// MmapSize is the initial size of bbolt's memory map; zero means
	// DefaultMmapSize. A writer that outgrows the map must remap, and a
	// remap waits for every open read transaction, including a running
	// backup; a map larger than the file avoids that. It costs address
	// space, not memory.
	MmapSize int
	// Now stamps the creation time of a new database; nil means time.Now.
	Now func() time.Time
}

// Store is a redline.Store on a bbolt file. It is safe for concurrent use.
type Store struct {
	path string
	db   *bbolt.DB
	enc  *zstd.Encoder
	dec  *zstd.Decoder

	// mu is held for reading by every operation and for writing by Close,
	// so the codecs are never closed under a running operation.
	mu     sync.RWMutex
	closed bool
}

var _ redline.Store = (*Store)(nil)

// Open opens or creates the store at path. A new file is initialised with
// the current schema; an older schema is migrated; a newer one is refused.
// When another process holds the file, the error is a *LockedError that
// wraps redline.ErrLocked.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	return open(ctx, path, opts, migrations)
}

// open is Open with a migration table of the caller's choice.
func open(ctx context.Context, path string, opts Options, migs []func(*bbolt.Tx) error) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBlobSize <= 0 {
		opts.MaxBlobSize = DefaultMaxBlobSize
	}
	if opts.MmapSize <= 0 {
		opts.MmapSize = DefaultMmapSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:         opts.Timeout,
		ReadOnly:        opts.ReadOnly,
		InitialMmapSize: opts.MmapSize,
	})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, &LockedError{Path: path, PID: lockHolderPID(path)}
	}
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	if err := prepareSchema(db, path, opts, migs, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithZeroFrames(true))
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %q: create zstd encoder: %w", path, err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(opts.MaxBlobSize)))
	if err != nil {
		_ = enc.Close()
		_ = db.Close()
		return nil, fmt.Errorf("open store %q: create zstd decoder: %w", path, err)
	}
	log.Info("store opened", "path", path, "read_only", opts.ReadOnly, "schema_version", len(migs)+1)
	return &Store{path: path, db: db, enc: enc, dec: dec}, nil
}

// prepareSchema initialises a new file, migrates an older one and refuses a
// newer one. Migrations and the new version commit together, so a failed
// migration leaves the file at its old version.
func prepareSchema(db *bbolt.DB, path string, opts Options, migs []func(*bbolt.Tx) error, log *slog.Logger) error {
	want := len(migs) + 1
	var have int
	err := db.View(func(tx *bbolt.Tx) error {
		var err error
		have, err = schemaVersion(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("open store %q: %w", path, err)
	}
	switch {
	case have > want:
		return fmt.Errorf("open store %q: database schema %d is newer than this redline (%d); upgrade redline", path, have, want)
	case have == want:
		return nil
	case opts.ReadOnly && have == 0:
		return fmt.Errorf("open store %q: database is not initialised; open it read-write once", path)
	case opts.ReadOnly:
		return fmt.Errorf("open store %q: database schema %d is older than this redline (%d); open it read-write once to migrate", path, have, want)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		if have == 0 {
			if err := initSchema(tx, opts.Now()); err != nil {
				return err
			}
			have = 1
		}
		for v := have; v < want; v++ {
			log.Info("migrating store", "path", path, "from", v, "to", v+1)
			if err := migs[v-1](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		if err := putJSON(tx.Bucket(bucketMeta), keySchema, want); err != nil {
			return fmt.Errorf("put meta schema_version: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("open store %q: %w", path, err)
	}
	return nil
}

// schemaVersion reads the schema version, 0 for an empty file.
func schemaVersion(tx *bbolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if !empty {
			return 0, errors.New("file is a bbolt database but not a redline store (no meta bucket)")
		}
		return 0, nil
	}
	raw := meta.Get(keySchema)
	if raw == nil {
		return 0, errors.New("meta bucket has no schema_version")
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("meta schema_version %q is not a positive integer", raw)
	}
	return v, nil
}

// initSchema creates the buckets of schema version 1.
func initSchema(tx *bbolt.Tx, now time.Time) error {
	meta, err := tx.CreateBucket(bucketMeta)
	if err != nil {
		return fmt.Errorf("create bucket meta: %w", err)
	}
	if err := putJSON(meta, keyCreatedAt, now.UTC()); err != nil {
		return fmt.Errorf("put meta created_at: %w", err)
	}
	for _, name := range [][]byte{bucketSources, bucketBlobs, bucketEvents} {
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close releases the file lock and the codecs. It waits for running
// operations to finish; calling it again does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.db.Close()
	s.dec.Close()
	if cerr := s.enc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close store %q: %w", s.path, err)
	}
	return nil
}

// Check runs bbolt's consistency check and verifies that every snapshot
// refers to blobs that exist. It returns all problems found, joined.
func (s *Store) Check(ctx context.Context) error {
	unlock, err := s.acquire(ctx)
	if err != nil {
		return fmt.Errorf("check store %q: %w", s.path, err)
	}
	defer unlock()
	// bbolt's check reads the freelist, which is only safe against
	// concurrent writers inside a writable transaction; it is rolled back.
	tx, err := s.db.Begin(!s.db.IsReadOnly())
	if err != nil {
		return fmt.Errorf("check store %q: %w", s.path, err)
	}
	defer func() { _ = tx.Rollback() }()
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	errs = append(errs, checkReferences(ctx, tx)...)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("check store %q: %w", s.path, err)
	}
	return nil
}

// checkReferences verifies the redline-level invariants bbolt cannot know.
func checkReferences(ctx context.Context, tx *bbolt.Tx) []error {
	if _, err := schemaVersion(tx); err != nil {
		return []error{err}
	}
	sources, blobs := tx.Bucket(bucketSources), tx.Bucket(bucketBlobs)
	if sources == nil || blobs == nil || tx.Bucket(bucketEvents) == nil {
		return []error{errors.New("missing top-level bucket")}
	}
	var errs []error
	_ = sources.ForEachBucket(func(id []byte) error {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			return err
		}
		snaps := sources.Bucket(id).Bucket(bucketSnapshots)
		if snaps == nil {
			return nil
		}
		return snaps.ForEach(func(k, v []byte) error {
			var sn redline.Snapshot
			if err := json.Unmarshal(v, &sn); err != nil {
				errs = append(errs, fmt.Errorf("decode snapshot %d of source %q: %w", seqOf(k), id, err))
				return nil
			}
			for _, h := range []string{sn.BodyHash, sn.TextHash, sn.DocHash, sn.CoverageHash} {
				if h != "" && blobs.Get([]byte(h)) == nil {
					errs = append(errs, fmt.Errorf("snapshot %d of source %q refers to missing blob %s", sn.Seq, id, h))
				}
			}
			return nil
		})
	})
	return errs
}

// acquire guards an operation against Close and an expired context. The
// returned func must be called when the operation ends.
func (s *Store) acquire(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, ErrClosed
	}
	return s.mu.RUnlock, nil
}

// view runs fn in a read transaction guarded by acquire.
func (s *Store) view(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	unlock, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return s.db.View(fn)
}

// putJSON stores v as JSON under key; callers name the record in errors.
func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return b.Put(key, data)
}
