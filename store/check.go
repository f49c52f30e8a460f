package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/redline-watch/redline"
)

// checkWrite is a validated copy of a CheckRecord. SaveCheck fills it in a
// transaction and copies it back into the caller's record only after commit,
// so a failed save leaves the record as it was.
type checkWrite struct {
	state    redline.SourceState
	capture  redline.Capture
	snapshot *redline.Snapshot
	events   []redline.Event
	blobs    []blobPut
}

// SaveCheck writes the state, capture, snapshot, blobs and events of one
// check in one transaction: after a crash either all of it is there or none.
//
// It assigns Capture.Seq, Snapshot.Seq, Snapshot.CaptureSeq,
// Capture.SnapshotSeq (the new snapshot, or the latest one for an unchanged
// or not-modified check), Event.Seq and, where zero, Event.SnapshotSeq and
// Event.ID; it writes one outbox entry per Event.Routes entry whose dedup
// key (Event.DedupKey and the channel) was never enqueued before; it
// counts the stored captures and snapshots in State. Empty hash fields are
// computed from Body, Text, Doc and Coverage; filled ones must match them. Empty
// source ids of the capture, snapshot and events are set to the state's,
// and zero times to the capture's. The completed record is copied back into rec.
func (s *Store) SaveCheck(ctx context.Context, rec *redline.CheckRecord) error {
	if rec == nil {
		return errors.New("save check: nil record")
	}
	w, err := prepareCheck(rec)
	if err != nil {
		return fmt.Errorf("save check of source %q: %w", rec.State.SourceID, err)
	}
	unlock, err := s.acquire(ctx)
	if err != nil {
		return fmt.Errorf("save check of source %q: %w", w.state.SourceID, err)
	}
	defer unlock()
	// Compress the blobs that are missing before taking bbolt's single
	// writer lock; an unchanged body is found here and never compressed.
	var missing []int
	err = s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketBlobs)
		for i := range w.blobs {
			if b.Get([]byte(w.blobs[i].hash)) == nil {
				missing = append(missing, i)
			}
		}
		return nil
	})
	for _, i := range missing {
		w.blobs[i].z = s.enc.EncodeAll(w.blobs[i].data, nil)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = s.db.Update(func(tx *bbolt.Tx) error { return s.writeCheck(tx, &w) })
	}
	if err != nil {
		return fmt.Errorf("save check of source %q: %w", w.state.SourceID, err)
	}
	rec.State = w.state
	rec.Capture = w.capture
	if rec.Snapshot != nil {
		*rec.Snapshot = *w.snapshot
	}
	copy(rec.Events, w.events)
	return nil
}

// prepareCheck validates rec and returns a completed copy of it.
func prepareCheck(rec *redline.CheckRecord) (checkWrite, error) {
	w := checkWrite{state: rec.State, capture: rec.Capture}
	id := w.state.SourceID
	if !redline.ValidSourceID(id) {
		return w, fmt.Errorf("invalid source id %q: want [a-z0-9-]+ not starting with '-'", id)
	}
	c := &w.capture
	if err := sameSource("capture", &c.SourceID, id); err != nil {
		return w, err
	}
	if !validOutcome(c.Outcome) {
		return w, fmt.Errorf("capture: unknown outcome %q", c.Outcome)
	}
	var sn *redline.Snapshot
	if rec.Snapshot != nil {
		cp := *rec.Snapshot
		sn = &cp
		w.snapshot = sn
	}
	// fields lists, per blob, the hash fields that must address it.
	type field struct {
		name string
		ptr  *string
	}
	blobs := []struct {
		data   []byte
		fields []field
	}{
		{rec.Body, []field{{"capture body_hash", &c.BodyHash}}},
		{rec.Text, []field{{"capture text_hash", &c.TextHash}}},
		{rec.Doc, nil},
		{rec.Coverage, nil},
	}
	if sn != nil {
		blobs[0].fields = append(blobs[0].fields, field{"snapshot body_hash", &sn.BodyHash})
		blobs[1].fields = append(blobs[1].fields, field{"snapshot text_hash", &sn.TextHash})
		blobs[2].fields = append(blobs[2].fields, field{"snapshot doc_hash", &sn.DocHash})
		blobs[3].fields = append(blobs[3].fields, field{"snapshot coverage_hash", &sn.CoverageHash})
	}
	for _, b := range blobs {
		if b.data == nil {
			continue
		}
		h := hashOf(b.data)
		for _, f := range b.fields {
			switch *f.ptr {
			case "":
				*f.ptr = h
			case h:
			default:
				return w, fmt.Errorf("%s %q does not match the SHA-256 of the content (%s)", f.name, *f.ptr, h)
			}
		}
		w.blobs = addBlob(w.blobs, h, b.data)
	}
	for _, f := range []field{{"capture body_hash", &c.BodyHash}, {"capture text_hash", &c.TextHash}} {
		if *f.ptr != "" && !validHash(*f.ptr) {
			return w, fmt.Errorf("%s %q is not a lowercase SHA-256 hex digest", f.name, *f.ptr)
		}
	}
	if sn != nil {
		if err := prepareSnapshot(sn, c); err != nil {
			return w, err
		}
	}
	w.events = append([]redline.Event(nil), rec.Events...)
	for i := range w.events {
		e := &w.events[i]
		if err := sameSource(fmt.Sprintf("event %d", i), &e.SourceID, id); err != nil {
			return w, err
		}
		if e.Type == "" {
			return w, fmt.Errorf("event %d: empty type", i)
		}
		if e.At.IsZero() {
			e.At = c.At
		}
	}
	return w, nil
}

// prepareSnapshot validates and completes a new snapshot of capture c.
func prepareSnapshot(sn *redline.Snapshot, c *redline.Capture) error {
	if err := sameSource("snapshot", &sn.SourceID, c.SourceID); err != nil {
		return err
	}
	if sn.Outcome == "" {
		sn.Outcome = c.Outcome
	}
	switch sn.Outcome {
	case redline.OutcomeBaseline, redline.OutcomeChanged, redline.OutcomeRebaselined:
	default:
		return fmt.Errorf("snapshot: outcome %q is not baseline, changed or rebaselined", sn.Outcome)
	}
	if sn.BodyHash == "" || sn.TextHash == "" {
		return errors.New("snapshot: body_hash and text_hash are required (give Body and Text, or their hashes)")
	}
	for _, f := range [...]struct{ name, hash string }{{"body_hash", sn.BodyHash}, {"text_hash", sn.TextHash}, {"doc_hash", sn.DocHash}, {"coverage_hash", sn.CoverageHash}} {
		if f.hash != "" && !validHash(f.hash) {
			return fmt.Errorf("snapshot %s %q is not a lowercase SHA-256 hex digest", f.name, f.hash)
		}
	}
	if sn.CapturedAt.IsZero() {
		sn.CapturedAt = c.At
	}
	return nil
}

// sameSource sets an empty source id to id and rejects a different one.
func sameSource(what string, got *string, id string) error {
	switch *got {
	case "":
		*got = id
	case id:
	default:
		return fmt.Errorf("%s source id %q does not match state source id %q", what, *got, id)
	}
	return nil
}

// validOutcome reports whether o is one of the outcomes a capture may have.
func validOutcome(o redline.Outcome) bool {
	switch o {
	case redline.OutcomeBaseline, redline.OutcomeChanged, redline.OutcomeUnchanged,
		redline.OutcomeNotModified, redline.OutcomeRebaselined, redline.OutcomeFailed:
		return true
	}
	return false
}

// writeCheck stores w in tx and assigns its sequence numbers.
func (s *Store) writeCheck(tx *bbolt.Tx, w *checkWrite) error {
	id := w.state.SourceID
	src, err := tx.Bucket(bucketSources).CreateBucketIfNotExists([]byte(id))
	if err != nil {
		return fmt.Errorf("create source bucket: %w", err)
	}
	caps, err := src.CreateBucketIfNotExists(bucketCaptures)
	if err != nil {
		return fmt.Errorf("create captures bucket: %w", err)
	}
	snaps, err := src.CreateBucketIfNotExists(bucketSnapshots)
	if err != nil {
		return fmt.Errorf("create snapshots bucket: %w", err)
	}
	old, err := readState(src, id)
	if err != nil {
		return err
	}
	blobs := tx.Bucket(bucketBlobs)
	for i := range w.blobs {
		if err := s.putBlob(blobs, &w.blobs[i]); err != nil {
			return err
		}
	}

	c := &w.capture
	if c.Seq, err = caps.NextSequence(); err != nil {
		return fmt.Errorf("next capture seq: %w", err)
	}
	w.state.Captures = old.Captures + 1
	w.state.Snapshots = old.Snapshots
	switch sn := w.snapshot; {
	case sn != nil:
		for _, h := range []string{sn.BodyHash, sn.TextHash, sn.DocHash, sn.CoverageHash} {
			if h != "" && blobs.Get([]byte(h)) == nil {
				return fmt.Errorf("snapshot refers to blob %s, which is neither stored nor given", h)
			}
		}
		if sn.Seq, err = snaps.NextSequence(); err != nil {
			return fmt.Errorf("next snapshot seq: %w", err)
		}
		sn.CaptureSeq = c.Seq
		c.SnapshotSeq = sn.Seq
		if err := putJSON(snaps, seqKey(sn.Seq), sn); err != nil {
			return fmt.Errorf("put snapshot %d: %w", sn.Seq, err)
		}
		w.state.Snapshots++
	case c.Outcome == redline.OutcomeUnchanged || c.Outcome == redline.OutcomeNotModified:
		k, _ := snaps.Cursor().Last()
		c.SnapshotSeq = seqOf(k)
	default:
		c.SnapshotSeq = 0
	}
	if err := putJSON(caps, seqKey(c.Seq), c); err != nil {
		return fmt.Errorf("put capture %d: %w", c.Seq, err)
	}
	if err := putJSON(src, keyState, &w.state); err != nil {
		return fmt.Errorf("put state: %w", err)
	}
	evb := tx.Bucket(bucketEvents)
	for i := range w.events {
		e := &w.events[i]
		if e.Seq, err = evb.NextSequence(); err != nil {
			return fmt.Errorf("next event seq: %w", err)
		}
		if e.SnapshotSeq == 0 && w.snapshot != nil {
			e.SnapshotSeq = w.snapshot.Seq
		}
		if e.ID == "" {
			e.ID = redline.EventID(e.DedupKey())
		}
		if err := putJSON(evb, seqKey(e.Seq), e); err != nil {
			return fmt.Errorf("put event %d: %w", e.Seq, err)
		}
		// The notifications commit with the event: never one without the other.
		if err := enqueue(tx, e); err != nil {
			return err
		}
	}
	return nil
}

// SaveState replaces the state of a source, creating the source if needed.
// The Snapshots and Captures counts are the store's and are kept.
func (s *Store) SaveState(ctx context.Context, st redline.SourceState) error {
	id := st.SourceID
	if !redline.ValidSourceID(id) {
		return fmt.Errorf("save state: invalid source id %q", id)
	}
	unlock, err := s.acquire(ctx)
	if err != nil {
		return fmt.Errorf("save state of source %q: %w", id, err)
	}
	defer unlock()
	err = s.db.Update(func(tx *bbolt.Tx) error {
		src, err := tx.Bucket(bucketSources).CreateBucketIfNotExists([]byte(id))
		if err != nil {
			return fmt.Errorf("create source bucket: %w", err)
		}
		old, err := readState(src, id)
		if err != nil {
			return err
		}
		st.Snapshots, st.Captures = old.Snapshots, old.Captures
		if err := putJSON(src, keyState, &st); err != nil {
			return fmt.Errorf("put state: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save state of source %q: %w", id, err)
	}
	return nil
}

// State returns the state of a source; a source never seen gets a zero
// state with StatusNew.
func (s *Store) State(ctx context.Context, sourceID string) (redline.SourceState, error) {
	if !redline.ValidSourceID(sourceID) {
		return redline.SourceState{}, fmt.Errorf("read state: invalid source id %q", sourceID)
	}
	var st redline.SourceState
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		st, err = readState(tx.Bucket(bucketSources).Bucket([]byte(sourceID)), sourceID)
		return err
	})
	if err != nil {
		return redline.SourceState{}, fmt.Errorf("read state of source %q: %w", sourceID, err)
	}
	return st, nil
}

// States returns the state of every source that has one, ordered by id.
func (s *Store) States(ctx context.Context) ([]redline.SourceState, error) {
	var out []redline.SourceState
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		sources := tx.Bucket(bucketSources)
		return sources.ForEachBucket(func(id []byte) error {
			src := sources.Bucket(id)
			if src.Get(keyState) == nil {
				return nil
			}
			st, err := readState(src, string(id))
			if err != nil {
				return err
			}
			out = append(out, st)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read states: %w", err)
	}
	return out, nil
}

// readState decodes the state in src; a missing bucket or key gives a new state.
func readState(src *bbolt.Bucket, id string) (redline.SourceState, error) {
	st := redline.SourceState{SourceID: id, Status: redline.StatusNew}
	if src == nil {
		return st, nil
	}
	raw := src.Get(keyState)
	if raw == nil {
		return st, nil
	}
	st = redline.SourceState{}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("decode state of source %q: %w", id, err)
	}
	return st, nil
}
