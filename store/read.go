package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"go.etcd.io/bbolt"

	"github.com/redline-watch/redline"
)

// Stats counts what the store holds.
type Stats struct {
	// Sources, Captures, Snapshots, Blobs and Events count the records of
	// each kind, over all sources.
	Sources   int `json:"sources"`
	Captures  int `json:"captures"`
	Snapshots int `json:"snapshots"`
	Blobs     int `json:"blobs"`
	Events    int `json:"events"`
	// BlobBytes is the compressed size of all blobs; FileBytes the size of
	// the database as a backup would write it.
	BlobBytes int64 `json:"blob_bytes"`
	FileBytes int64 `json:"file_bytes"`
}

// Snapshots returns the versions of a source, oldest first; none for an unknown source.
func (s *Store) Snapshots(ctx context.Context, sourceID string) ([]redline.Snapshot, error) {
	var out []redline.Snapshot
	err := s.viewSource(ctx, sourceID, bucketSnapshots, nil, func(b *bbolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			var sn redline.Snapshot
			if err := decode(v, &sn, "snapshot", k); err != nil {
				return err
			}
			out = append(out, sn)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read snapshots of source %q: %w", sourceID, err)
	}
	return out, nil
}

// Snapshot returns one version of a source, or an error wrapping redline.ErrNotFound.
func (s *Store) Snapshot(ctx context.Context, sourceID string, seq uint64) (redline.Snapshot, error) {
	var sn redline.Snapshot
	err := s.viewSource(ctx, sourceID, bucketSnapshots, redline.ErrNotFound, func(b *bbolt.Bucket) error {
		return getRecord(b, seqKey(seq), &sn, "snapshot")
	})
	if err != nil {
		return redline.Snapshot{}, fmt.Errorf("read snapshot %d of source %q: %w", seq, sourceID, err)
	}
	return sn, nil
}

// LatestSnapshot returns the newest version of a source, or an error
// wrapping redline.ErrNotFound if it has none.
func (s *Store) LatestSnapshot(ctx context.Context, sourceID string) (redline.Snapshot, error) {
	var sn redline.Snapshot
	err := s.viewSource(ctx, sourceID, bucketSnapshots, redline.ErrNotFound, func(b *bbolt.Bucket) error {
		k, _ := b.Cursor().Last()
		if k == nil {
			return redline.ErrNotFound
		}
		return getRecord(b, k, &sn, "snapshot")
	})
	if err != nil {
		return redline.Snapshot{}, fmt.Errorf("read latest snapshot of source %q: %w", sourceID, err)
	}
	return sn, nil
}

// Captures returns the newest captures of a source, newest first; limit <= 0 means all.
func (s *Store) Captures(ctx context.Context, sourceID string, limit int) ([]redline.Capture, error) {
	var out []redline.Capture
	err := s.viewSource(ctx, sourceID, bucketCaptures, nil, func(b *bbolt.Bucket) error {
		c := b.Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var cp redline.Capture
			if err := decode(v, &cp, "capture", k); err != nil {
				return err
			}
			out = append(out, cp)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read captures of source %q: %w", sourceID, err)
	}
	return out, nil
}

// Capture returns one capture of a source, or an error wrapping redline.ErrNotFound.
func (s *Store) Capture(ctx context.Context, sourceID string, seq uint64) (redline.Capture, error) {
	var cp redline.Capture
	err := s.viewSource(ctx, sourceID, bucketCaptures, redline.ErrNotFound, func(b *bbolt.Bucket) error {
		return getRecord(b, seqKey(seq), &cp, "capture")
	})
	if err != nil {
		return redline.Capture{}, fmt.Errorf("read capture %d of source %q: %w", seq, sourceID, err)
	}
	return cp, nil
}

// Events returns events with Seq > after, oldest first; limit <= 0 means all.
func (s *Store) Events(ctx context.Context, after uint64, limit int) ([]redline.Event, error) {
	var out []redline.Event
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		if after == math.MaxUint64 { // nothing can follow, and after+1 would wrap to 0
			return nil
		}
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			var e redline.Event
			if err := decode(v, &e, "event", k); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read events after %d: %w", after, err)
	}
	return out, nil
}

// SourceIDs returns the ids of every source the store knows, in order.
func (s *Store) SourceIDs(ctx context.Context) ([]string, error) {
	var out []string
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSources).ForEachBucket(func(id []byte) error {
			out = append(out, string(id))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read source ids: %w", err)
	}
	return out, nil
}

// Stats counts sources, captures, snapshots, blobs and events. It reads
// every blob's size, so it is meant for inspection, not for hot paths.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		st.FileBytes = tx.Size()
		st.Events = tx.Bucket(bucketEvents).Stats().KeyN
		sources := tx.Bucket(bucketSources)
		err := sources.ForEachBucket(func(id []byte) error {
			st.Sources++
			src := sources.Bucket(id)
			if b := src.Bucket(bucketCaptures); b != nil {
				st.Captures += b.Stats().KeyN
			}
			if b := src.Bucket(bucketSnapshots); b != nil {
				st.Snapshots += b.Stats().KeyN
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketBlobs).ForEach(func(_, v []byte) error {
			st.Blobs++
			st.BlobBytes += int64(len(v))
			return ctx.Err()
		})
	})
	if err != nil {
		return Stats{}, fmt.Errorf("read store stats: %w", err)
	}
	return st, nil
}

// viewSource runs fn on a sub-bucket of a source in a read transaction.
// When the source or sub-bucket does not exist yet, fn is not called and
// viewSource returns missing: nil for lists, redline.ErrNotFound for records.
func (s *Store) viewSource(ctx context.Context, sourceID string, sub []byte, missing error, fn func(b *bbolt.Bucket) error) error {
	if !redline.ValidSourceID(sourceID) {
		return fmt.Errorf("invalid source id %q", sourceID)
	}
	return s.view(ctx, func(tx *bbolt.Tx) error {
		src := tx.Bucket(bucketSources).Bucket([]byte(sourceID))
		if src == nil || src.Bucket(sub) == nil {
			return missing
		}
		return fn(src.Bucket(sub))
	})
}

// getRecord decodes the JSON record under key, or returns redline.ErrNotFound.
func getRecord(b *bbolt.Bucket, key []byte, v any, what string) error {
	raw := b.Get(key)
	if raw == nil {
		return redline.ErrNotFound
	}
	return decode(raw, v, what, key)
}

// decode unmarshals a record; json.Unmarshal copies, so v never refers to the mmap.
func decode(raw []byte, v any, what string, key []byte) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %s %d: %w", what, seqOf(key), err)
	}
	return nil
}
