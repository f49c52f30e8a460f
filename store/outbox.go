package store

import (
	"context"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/redline-watch/redline"
)

// The outbox: one record per (event, channel) still to deliver or dead,
// keyed by its sequence; a dedup index of every entry ever enqueued, so that
// the same event never reaches a channel twice; and a counter of deliveries.
// The buckets are created on first use, so files of schema version 1 need no
// migration.
var (
	bucketOutbox     = []byte("outbox")
	bucketOutboxKeys = []byte("outbox_keys")
	keyDelivered     = []byte("outbox_delivered")
)

var _ redline.Outbox = (*Store)(nil)

// enqueue writes one outbox entry per route of e, skipping routes whose
// dedup key was enqueued before. e must have its Seq and ID.
func enqueue(tx *bbolt.Tx, e *redline.Event) error {
	if len(e.Routes) == 0 {
		return nil
	}
	ob, err := tx.CreateBucketIfNotExists(bucketOutbox)
	if err != nil {
		return fmt.Errorf("create outbox bucket: %w", err)
	}
	keys, err := tx.CreateBucketIfNotExists(bucketOutboxKeys)
	if err != nil {
		return fmt.Errorf("create outbox keys bucket: %w", err)
	}
	dedup := e.DedupKey()
	for _, r := range e.Routes {
		if r.Channel == "" {
			return fmt.Errorf("event %d: route without a channel", e.Seq)
		}
		k := []byte(dedup + "\x00" + r.Channel)
		if keys.Get(k) != nil {
			continue
		}
		seq, err := ob.NextSequence()
		if err != nil {
			return fmt.Errorf("next outbox seq: %w", err)
		}
		ent := redline.OutboxEntry{
			Seq: seq, Channel: r.Channel, EventSeq: e.Seq, EventID: e.ID, EventType: e.Type,
			SourceID: e.SourceID, DedupKey: dedup, Digest: r.Digest, Status: redline.OutboxPending,
			Created: e.At, NextAttempt: e.At,
		}
		if err := putJSON(ob, seqKey(seq), &ent); err != nil {
			return fmt.Errorf("put outbox entry %d: %w", seq, err)
		}
		if err := keys.Put(k, seqKey(seq)); err != nil {
			return fmt.Errorf("put outbox key of entry %d: %w", seq, err)
		}
	}
	return nil
}

// OutboxEntries returns the entries q selects, oldest first.
func (s *Store) OutboxEntries(ctx context.Context, q redline.OutboxQuery) ([]redline.OutboxEntry, error) {
	var out []redline.OutboxEntry
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bucketOutbox)
		if ob == nil {
			return nil
		}
		return ob.ForEach(func(k, v []byte) error {
			if q.Limit > 0 && len(out) >= q.Limit {
				return nil
			}
			var ent redline.OutboxEntry
			if err := decode(v, &ent, "outbox entry", k); err != nil {
				return err
			}
			if q.Channel != "" && ent.Channel != q.Channel || q.Status != "" && ent.Status != q.Status ||
				!q.DueBy.IsZero() && ent.NextAttempt.After(q.DueBy) {
				return nil
			}
			out = append(out, ent)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// UpdateOutbox writes entries back by Seq in one transaction. A delivered
// entry is removed and counted; an entry that is no longer there (dropped
// while it was being delivered) is skipped.
func (s *Store) UpdateOutbox(ctx context.Context, entries []redline.OutboxEntry) error {
	unlock, err := s.acquire(ctx)
	if err != nil {
		return fmt.Errorf("update outbox: %w", err)
	}
	defer unlock()
	err = s.db.Update(func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bucketOutbox)
		if ob == nil {
			return nil
		}
		var delivered uint64
		for i := range entries {
			ent := &entries[i]
			k := seqKey(ent.Seq)
			if ob.Get(k) == nil {
				continue
			}
			switch ent.Status {
			case redline.OutboxDelivered:
				if err := ob.Delete(k); err != nil {
					return fmt.Errorf("delete outbox entry %d: %w", ent.Seq, err)
				}
				delivered++
			case redline.OutboxPending, redline.OutboxDead:
				if err := putJSON(ob, k, ent); err != nil {
					return fmt.Errorf("put outbox entry %d: %w", ent.Seq, err)
				}
			default:
				return fmt.Errorf("outbox entry %d: unknown status %q", ent.Seq, ent.Status)
			}
		}
		if delivered == 0 {
			return nil
		}
		meta := tx.Bucket(bucketMeta)
		n := deliveredCount(meta) + delivered
		return meta.Put(keyDelivered, binary.BigEndian.AppendUint64(nil, n))
	})
	if err != nil {
		return fmt.Errorf("update outbox: %w", err)
	}
	return nil
}

// DropOutbox removes an entry; its dedup key stays, so it is not enqueued again.
func (s *Store) DropOutbox(ctx context.Context, seq uint64) error {
	unlock, err := s.acquire(ctx)
	if err != nil {
		return fmt.Errorf("drop outbox entry %d: %w", seq, err)
	}
	defer unlock()
	err = s.db.Update(func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bucketOutbox)
		if ob == nil || ob.Get(seqKey(seq)) == nil {
			return redline.ErrNotFound
		}
		return ob.Delete(seqKey(seq))
	})
	if err != nil {
		return fmt.Errorf("drop outbox entry %d: %w", seq, err)
	}
	return nil
}

// OutboxStats counts pending and dead entries and the deliveries so far.
func (s *Store) OutboxStats(ctx context.Context) (redline.OutboxStats, error) {
	var st redline.OutboxStats
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		st.Delivered = deliveredCount(tx.Bucket(bucketMeta))
		ob := tx.Bucket(bucketOutbox)
		if ob == nil {
			return nil
		}
		return ob.ForEach(func(k, v []byte) error {
			var ent redline.OutboxEntry
			if err := decode(v, &ent, "outbox entry", k); err != nil {
				return err
			}
			switch ent.Status {
			case redline.OutboxDead:
				st.Dead++
			default:
				st.Pending++
				if st.OldestPending.IsZero() || ent.Created.Before(st.OldestPending) {
					st.OldestPending = ent.Created
				}
			}
			return nil
		})
	})
	if err != nil {
		return redline.OutboxStats{}, fmt.Errorf("read outbox stats: %w", err)
	}
	return st, nil
}

// Event returns the event with the given Seq, or an error wrapping redline.ErrNotFound.
func (s *Store) Event(ctx context.Context, seq uint64) (redline.Event, error) {
	var e redline.Event
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return getRecord(tx.Bucket(bucketEvents), seqKey(seq), &e, "event")
	})
	if err != nil {
		return redline.Event{}, fmt.Errorf("read event %d: %w", seq, err)
	}
	return e, nil
}

func deliveredCount(meta *bbolt.Bucket) uint64 {
	if v := meta.Get(keyDelivered); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}
