package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"go.etcd.io/bbolt"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// check builds a check record of a source; body, text and doc are stored
// only when non-empty, and a snapshot is added for the outcomes that make one.
func check(id string, outcome redline.Outcome, body, text, doc string, events ...redline.Event) *redline.CheckRecord {
	rec := &redline.CheckRecord{
		State:   redline.SourceState{SourceID: id, Status: redline.StatusOK, LastCheck: t0},
		Capture: redline.Capture{At: t0, URL: "https://eur-lex.europa.eu/" + id, Status: 200, Outcome: outcome},
		Events:  events,
	}
	if body != "" {
		rec.Body = []byte(body)
	}
	if text != "" {
		rec.Text = []byte(text)
	}
	if doc != "" {
		rec.Doc = []byte(doc)
	}
	switch outcome {
	case redline.OutcomeBaseline, redline.OutcomeChanged, redline.OutcomeRebaselined:
		rec.Snapshot = &redline.Snapshot{URL: rec.Capture.URL, Format: "oj-xhtml"}
	}
	return rec
}

func mustSave(t *testing.T, s *store.Store, rec *redline.CheckRecord) {
	t.Helper()
	if err := s.SaveCheck(t.Context(), rec); err != nil {
		t.Fatalf("SaveCheck: %v", err)
	}
}

func TestSaveCheckAssignsSequencesAndReadsBack(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	changed := redline.Event{Type: redline.EventDocumentChanged, Summary: "Article 5 changed"}

	baseline := check("ai-act", redline.OutcomeBaseline, "<html>v1</html>", "Article 5\tv1", `{"kind":"act"}`, changed)
	baseline.Coverage = []byte(`{"results":[]}`)
	mustSave(t, s, baseline)
	unchanged := check("ai-act", redline.OutcomeUnchanged, "<html>v1</html>", "", "")
	mustSave(t, s, unchanged)
	notModified := check("ai-act", redline.OutcomeNotModified, "", "", "")
	mustSave(t, s, notModified)
	failed := check("ai-act", redline.OutcomeFailed, "", "", "")
	failed.Capture.Reason, failed.Capture.Error = redline.ReasonBlocked, "captcha"
	failed.Capture.SnapshotSeq = 7 // the store decides, not the caller
	mustSave(t, s, failed)
	second := check("ai-act", redline.OutcomeChanged, "<html>v2</html>", "Article 5\tv2", "",
		changed, redline.Event{Type: redline.EventCoverageChanged, SnapshotSeq: 1})
	mustSave(t, s, second)
	other := check("council", redline.OutcomeBaseline, "%PDF v1", "Article 5\tcouncil", "")
	mustSave(t, s, other)

	type seqs struct{ capture, captureSnapshot, snapshot, captures, snapshots uint64 }
	for _, tt := range []struct {
		name string
		rec  *redline.CheckRecord
		want seqs
	}{
		{"baseline", baseline, seqs{1, 1, 1, 1, 1}},
		{"unchanged confirms the latest snapshot", unchanged, seqs{2, 1, 0, 2, 1}},
		{"not modified confirms the latest snapshot", notModified, seqs{3, 1, 0, 3, 1}},
		{"failed refers to no snapshot", failed, seqs{4, 0, 0, 4, 1}},
		{"changed", second, seqs{5, 2, 2, 5, 2}},
		{"other source numbers its own captures", other, seqs{1, 1, 1, 1, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := seqs{tt.rec.Capture.Seq, tt.rec.Capture.SnapshotSeq, 0, tt.rec.State.Captures, tt.rec.State.Snapshots}
			if tt.rec.Snapshot != nil {
				got.snapshot = tt.rec.Snapshot.Seq
				if tt.rec.Snapshot.CaptureSeq != tt.rec.Capture.Seq {
					t.Errorf("snapshot capture seq = %d, want %d", tt.rec.Snapshot.CaptureSeq, tt.rec.Capture.Seq)
				}
			}
			if got != tt.want {
				t.Errorf("sequences = %+v, want %+v", got, tt.want)
			}
			stored, err := s.Capture(ctx, tt.rec.State.SourceID, tt.rec.Capture.Seq)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(stored, tt.rec.Capture) {
				t.Errorf("stored capture\n%+v\nwant the written-back one\n%+v", stored, tt.rec.Capture)
			}
		})
	}

	if got, want := baseline.Capture.BodyHash, sha256Hex([]byte("<html>v1</html>")); got != want || baseline.Snapshot.BodyHash != want {
		t.Errorf("body hashes = %s / %s, want %s", got, baseline.Snapshot.BodyHash, want)
	}
	if baseline.Snapshot.SourceID != "ai-act" || baseline.Snapshot.Outcome != redline.OutcomeBaseline || !baseline.Snapshot.CapturedAt.Equal(t0) {
		t.Errorf("snapshot not completed: %+v", baseline.Snapshot)
	}
	if baseline.Snapshot.DocHash != sha256Hex([]byte(`{"kind":"act"}`)) {
		t.Errorf("doc hash = %q", baseline.Snapshot.DocHash)
	}
	if h := baseline.Snapshot.CoverageHash; h != sha256Hex([]byte(`{"results":[]}`)) {
		t.Errorf("coverage hash = %q", h)
	} else if b, err := s.Blob(ctx, h); err != nil || string(b) != `{"results":[]}` {
		t.Errorf("coverage blob = %q, %v", b, err)
	}
	wantEvents := []struct {
		seq, snapshot uint64
		source        string
	}{{1, 1, "ai-act"}, {2, 2, "ai-act"}, {3, 1, "ai-act"}}
	gotEvents := append(baseline.Events, second.Events...)
	for i, w := range wantEvents {
		e := gotEvents[i]
		if e.Seq != w.seq || e.SnapshotSeq != w.snapshot || e.SourceID != w.source || !e.At.Equal(t0) {
			t.Errorf("event %d = %+v, want seq %d snapshot %d", i, e, w.seq, w.snapshot)
		}
	}

	events, err := s.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || !reflect.DeepEqual(events[:1], baseline.Events) || !reflect.DeepEqual(events[1:], second.Events) {
		t.Errorf("Events(0, 0) = %+v", events)
	}
	if page, err := s.Events(ctx, 1, 1); err != nil || len(page) != 1 || page[0].Seq != 2 {
		t.Errorf("Events(1, 1) = %+v, %v; want event 2", page, err)
	}
	for _, after := range []uint64{3, math.MaxUint64} {
		if page, err := s.Events(ctx, after, 0); err != nil || len(page) != 0 {
			t.Errorf("Events(%d, 0) = %+v, %v; want none", after, page, err)
		}
	}

	snaps, err := s.Snapshots(ctx, "ai-act")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 || !reflect.DeepEqual(snaps[0], *baseline.Snapshot) || !reflect.DeepEqual(snaps[1], *second.Snapshot) {
		t.Errorf("Snapshots = %+v", snaps)
	}
	if latest, err := s.LatestSnapshot(ctx, "ai-act"); err != nil || latest.Seq != 2 {
		t.Errorf("LatestSnapshot = %+v, %v; want seq 2", latest, err)
	}
	if sn, err := s.Snapshot(ctx, "ai-act", 1); err != nil || !reflect.DeepEqual(sn, *baseline.Snapshot) {
		t.Errorf("Snapshot(1) = %+v, %v", sn, err)
	}

	caps, err := s.Captures(ctx, "ai-act", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) != 2 || caps[0].Seq != 5 || caps[1].Seq != 4 {
		t.Errorf("Captures(limit 2) = %+v, want seqs 5, 4", caps)
	}
	if all, err := s.Captures(ctx, "ai-act", 0); err != nil || len(all) != 5 || all[4].Seq != 1 {
		t.Errorf("Captures(all) = %d captures, %v", len(all), err)
	}
	if caps[1].Reason != redline.ReasonBlocked || caps[1].Error != "captcha" {
		t.Errorf("failed capture lost its reason: %+v", caps[1])
	}

	for _, content := range []string{"<html>v1</html>", "Article 5\tv1", `{"kind":"act"}`, "<html>v2</html>", "%PDF v1"} {
		got, err := s.Blob(ctx, sha256Hex([]byte(content)))
		if err != nil || string(got) != content {
			t.Errorf("Blob(%q) = %q, %v", content, got, err)
		}
	}

	states, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 || states[0].SourceID != "ai-act" || states[1].SourceID != "council" {
		t.Fatalf("States = %+v", states)
	}
	if states[0].Captures != 5 || states[0].Snapshots != 2 || !reflect.DeepEqual(states[0], second.State) {
		t.Errorf("state = %+v, want the written-back %+v", states[0], second.State)
	}
	if ids, err := s.SourceIDs(ctx); err != nil || !reflect.DeepEqual(ids, []string{"ai-act", "council"}) {
		t.Errorf("SourceIDs = %v, %v", ids, err)
	}

	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The unchanged body was stored once: 4 blobs of the baseline, 2 of the change, 2 of council.
	want := store.Stats{Sources: 2, Captures: 6, Snapshots: 3, Blobs: 8, Events: 3, BlobBytes: st.BlobBytes, FileBytes: st.FileBytes}
	if st != want || st.BlobBytes <= 0 || st.FileBytes <= 0 {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestSaveCheckRejectsBadRecords(t *testing.T) {
	otherHash := sha256Hex([]byte("something else"))
	tests := []struct {
		name   string
		rec    func() *redline.CheckRecord
		errHas string
	}{
		{"nil record", func() *redline.CheckRecord { return nil }, "nil record"},
		{"invalid source id", func() *redline.CheckRecord {
			return check("AI_Act", redline.OutcomeFailed, "", "", "")
		}, `invalid source id "AI_Act"`},
		{"capture of another source", func() *redline.CheckRecord {
			r := check("ai-act", redline.OutcomeFailed, "", "", "")
			r.Capture.SourceID = "council"
			return r
		}, `capture source id "council" does not match state source id "ai-act"`},
		{"unknown outcome", func() *redline.CheckRecord {
			return check("ai-act", "exploded", "", "", "")
		}, `unknown outcome "exploded"`},
		{"body hash mismatch", func() *redline.CheckRecord {
			r := check("ai-act", redline.OutcomeUnchanged, "body", "", "")
			r.Capture.BodyHash = otherHash
			return r
		}, "capture body_hash"},
		{"snapshot text hash mismatch", func() *redline.CheckRecord {
			r := check("ai-act", redline.OutcomeBaseline, "body", "text", "")
			r.Snapshot.TextHash = otherHash
			return r
		}, "snapshot text_hash"},
		{"malformed capture hash", func() *redline.CheckRecord {
			r := check("ai-act", redline.OutcomeUnchanged, "", "", "")
			r.Capture.TextHash = "ABC"
			return r
		}, `capture text_hash "ABC" is not a lowercase SHA-256 hex digest`},
		{"snapshot without text", func() *redline.CheckRecord {
			return check("ai-act", redline.OutcomeBaseline, "body", "", "")
		}, "body_hash and text_hash are required"},
		{"snapshot of a failed check", func() *redline.CheckRecord {
			r := check("ai-act", redline.OutcomeFailed, "body", "text", "")
			r.Snapshot = &redline.Snapshot{}
			return r
		}, `snapshot: outcome "failed"`},
		{"snapshot refers to blobs never stored", func() *redline.CheckRecord {
			r := check("ai-act", redline.OutcomeChanged, "", "", "")
			r.Snapshot.BodyHash, r.Snapshot.TextHash = otherHash, otherHash
			return r
		}, "snapshot refers to blob " + otherHash + ", which is neither stored nor given"},
		{"event of another source", func() *redline.CheckRecord {
			return check("ai-act", redline.OutcomeFailed, "", "", "", redline.Event{Type: redline.EventSourceFailing, SourceID: "council"})
		}, `event 0 source id "council"`},
		{"event without type", func() *redline.CheckRecord {
			return check("ai-act", redline.OutcomeFailed, "", "", "", redline.Event{})
		}, "event 0: empty type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			s := openTemp(t)
			rec := tt.rec()
			err := s.SaveCheck(ctx, rec)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("SaveCheck error = %v, want one containing %q", err, tt.errHas)
			}
			if rec != nil && (rec.Capture.Seq != 0 || rec.State.Captures != 0) {
				t.Errorf("a rejected record got sequence numbers: %+v", rec.Capture)
			}
			// Nothing partial: not even the blobs of a record rejected in the transaction.
			if st, err := s.Stats(ctx); err != nil || st.Sources+st.Captures+st.Blobs+st.Events != 0 {
				t.Errorf("after a rejected check Stats = %+v, %v; want an empty store", st, err)
			}
		})
	}
}

func TestStateOfUnknownSourceAndSaveState(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	st, err := s.State(ctx, "ai-act")
	if err != nil {
		t.Fatal(err)
	}
	if want := (redline.SourceState{SourceID: "ai-act", Status: redline.StatusNew}); !reflect.DeepEqual(st, want) {
		t.Errorf("State of unknown source = %+v, want %+v", st, want)
	}
	if _, err := s.State(ctx, "-bad"); err == nil {
		t.Error("State accepted an invalid source id")
	}

	mustSave(t, s, check("ai-act", redline.OutcomeBaseline, "b", "t", ""))
	next := redline.SourceState{SourceID: "ai-act", Status: redline.StatusOK, NextDue: t0.Add(time.Hour), Captures: 99}
	if err := s.SaveState(ctx, next); err != nil {
		t.Fatal(err)
	}
	st, err = s.State(ctx, "ai-act")
	if err != nil {
		t.Fatal(err)
	}
	if !st.NextDue.Equal(next.NextDue) || st.Captures != 1 || st.Snapshots != 1 {
		t.Errorf("after SaveState state = %+v; want NextDue updated and counts 1/1 kept", st)
	}

	// SaveState creates a source never checked, e.g. to plan its first check.
	if err := s.SaveState(ctx, redline.SourceState{SourceID: "council", Status: redline.StatusNew, NextDue: t0}); err != nil {
		t.Fatal(err)
	}
	if states, err := s.States(ctx); err != nil || len(states) != 2 || states[1].SourceID != "council" || !states[1].NextDue.Equal(t0) {
		t.Errorf("States = %+v, %v", states, err)
	}
	if err := s.SaveState(ctx, redline.SourceState{SourceID: "Bad"}); err == nil {
		t.Error("SaveState accepted an invalid source id")
	}
}

func TestMissingRecords(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	mustSave(t, s, check("ai-act", redline.OutcomeFailed, "", "", ""))
	notFound := []struct {
		name string
		call func() error
	}{
		{"snapshot of unknown source", func() error { _, err := s.Snapshot(ctx, "nobody", 1); return err }},
		{"snapshot of source without snapshots", func() error { _, err := s.Snapshot(ctx, "ai-act", 1); return err }},
		{"latest snapshot of source without snapshots", func() error { _, err := s.LatestSnapshot(ctx, "ai-act"); return err }},
		{"capture beyond the last", func() error { _, err := s.Capture(ctx, "ai-act", 2); return err }},
		{"capture of unknown source", func() error { _, err := s.Capture(ctx, "nobody", 1); return err }},
		{"unknown blob", func() error { _, err := s.Blob(ctx, sha256Hex([]byte("x"))); return err }},
	}
	for _, tt := range notFound {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, redline.ErrNotFound) {
				t.Errorf("error = %v, want ErrNotFound", err)
			}
		})
	}
	if snaps, err := s.Snapshots(ctx, "nobody"); err != nil || len(snaps) != 0 {
		t.Errorf("Snapshots of unknown source = %v, %v; want none", snaps, err)
	}
	if caps, err := s.Captures(ctx, "nobody", 0); err != nil || len(caps) != 0 {
		t.Errorf("Captures of unknown source = %v, %v; want none", caps, err)
	}
	if _, err := s.Blob(ctx, "not-a-hash"); err == nil || errors.Is(err, redline.ErrNotFound) {
		t.Errorf("Blob(not-a-hash) = %v, want a validation error", err)
	}
}

func TestEmptyBodyRoundTrips(t *testing.T) {
	s := openTemp(t)
	rec := check("ai-act", redline.OutcomeUnchanged, "", "", "")
	rec.Body = []byte{}
	mustSave(t, s, rec)
	got, err := s.Blob(t.Context(), rec.Capture.BodyHash)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Blob(empty) = %#v, %v; want an empty non-nil slice", got, err)
	}
}

// rawUpdate edits a closed store file with bbolt directly, to fake old
// schemas and corruption.
func rawUpdate(t *testing.T, path string, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptBlobNamesItsHash(t *testing.T) {
	other, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tests := []struct {
		name   string
		stored []byte
		errHas string
	}{
		{"not zstd", []byte("garbage"), "corrupt: decompress"},
		{"other content", other.EncodeAll([]byte("tampered"), nil), "corrupt: content hashes to " + sha256Hex([]byte("tampered"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "redline.db")
			s, err := store.Open(t.Context(), path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rec := check("ai-act", redline.OutcomeUnchanged, "original body", "", "")
			mustSave(t, s, rec)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			hash := rec.Capture.BodyHash
			rawUpdate(t, path, func(tx *bbolt.Tx) error { return tx.Bucket([]byte("blobs")).Put([]byte(hash), tt.stored) })
			s, err = store.Open(t.Context(), path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, err = s.Blob(t.Context(), hash)
			if err == nil || !strings.Contains(err.Error(), "read blob "+hash+": "+tt.errHas) {
				t.Errorf("Blob error = %v, want it to name %s and contain %q", err, hash, tt.errHas)
			}
		})
	}
}

func TestBlobSizeLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "redline.db")
	s, err := store.Open(t.Context(), path, store.Options{MaxBlobSize: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec := check("ai-act", redline.OutcomeUnchanged, strings.Repeat("x", 4<<10), "", "")
	mustSave(t, s, rec)
	if _, err := s.Blob(t.Context(), rec.Capture.BodyHash); err == nil || !strings.Contains(err.Error(), rec.Capture.BodyHash) {
		t.Errorf("Blob over MaxBlobSize = %v, want an error naming the hash", err)
	}
}

func TestCheckFindsSnapshotWithoutBlob(t *testing.T) {
	path := filepath.Join(t.TempDir(), "redline.db")
	s, err := store.Open(t.Context(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := check("ai-act", redline.OutcomeBaseline, "body", "text", "")
	mustSave(t, s, rec)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("blobs")).Delete([]byte(rec.Snapshot.TextHash))
	})
	s, err = store.Open(t.Context(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := `snapshot 1 of source "ai-act" refers to missing blob ` + rec.Snapshot.TextHash
	if err := s.Check(t.Context()); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Check = %v, want %q", err, want)
	}
}

func TestSchemaVersions(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "redline.db")
	created := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, path, store.Options{Now: func() time.Time { return created }})
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, check("ai-act", redline.OutcomeBaseline, "b", "t", ""))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var version, createdAt string
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		version, createdAt = string(meta.Get([]byte("schema_version"))), string(meta.Get([]byte("created_at")))
		return nil
	})
	if version != "1" || createdAt != `"2026-11-23T08:00:00Z"` {
		t.Errorf("meta = schema_version %s, created_at %s", version, createdAt)
	}

	failing := []func(*bbolt.Tx) error{func(tx *bbolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("half-done")); err != nil {
			return err
		}
		return errors.New("disk says no")
	}}
	if _, err := store.OpenWithMigrations(ctx, path, store.Options{}, failing); err == nil || !strings.Contains(err.Error(), "migrate schema 1 to 2: disk says no") {
		t.Fatalf("failing migration: error = %v", err)
	}

	if _, err := store.OpenWithMigrations(ctx, path, store.Options{ReadOnly: true}, []func(*bbolt.Tx) error{nil}); err == nil ||
		!strings.Contains(err.Error(), "database schema 1 is older than this redline (2); open it read-write once to migrate") {
		t.Fatalf("read-only open of an old schema: error = %v", err)
	}

	migrated := 0
	addBucket := []func(*bbolt.Tx) error{func(tx *bbolt.Tx) error {
		migrated++
		_, err := tx.CreateBucket([]byte("coverage"))
		return err
	}}
	s, err = store.OpenWithMigrations(ctx, path, store.Options{}, addBucket)
	if err != nil {
		t.Fatalf("migration: %v", err)
	}
	if migrated != 1 {
		t.Errorf("migration ran %d times, want 1", migrated)
	}
	if snaps, err := s.Snapshots(ctx, "ai-act"); err != nil || len(snaps) != 1 {
		t.Errorf("data after migration: %v, %v", snaps, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.OpenWithMigrations(ctx, path, store.Options{}, addBucket)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if migrated != 1 {
		t.Errorf("migration ran again on a current schema")
	}
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		version = string(tx.Bucket([]byte("meta")).Get([]byte("schema_version")))
		if tx.Bucket([]byte("coverage")) == nil || tx.Bucket([]byte("half-done")) != nil {
			t.Error("the migration's bucket is missing or the failed migration's bucket survived")
		}
		return nil
	})
	if version != "2" {
		t.Errorf("schema_version after migration = %s, want 2", version)
	}

	_, err = store.Open(ctx, path, store.Options{})
	if want := "database schema 2 is newer than this redline (1); upgrade redline"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("open of a newer schema: error = %v, want %q", err, want)
	}
}

func TestOpenRefusesForeignAndMissingFiles(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "other.db")
	rawUpdate(t, foreign, func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("users")); return err })
	tests := []struct {
		name   string
		path   string
		opts   store.Options
		errHas string
	}{
		{"another application's bbolt file", foreign, store.Options{}, "not a redline store"},
		{"read-only open of a missing file", filepath.Join(dir, "missing.db"), store.Options{ReadOnly: true}, "missing.db"},
		{"file in a missing directory", filepath.Join(dir, "no", "such", "dir.db"), store.Options{}, "dir.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := store.Open(t.Context(), tt.path, tt.opts)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "redline.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, check("ai-act", redline.OutcomeBaseline, "b", "t", ""))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if snaps, err := ro.Snapshots(ctx, "ai-act"); err != nil || len(snaps) != 1 {
		t.Errorf("Snapshots = %v, %v", snaps, err)
	}
	if err := ro.Check(ctx); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := ro.SaveCheck(ctx, check("ai-act", redline.OutcomeFailed, "", "", "")); err == nil {
		t.Error("SaveCheck on a read-only store succeeded")
	}
}

func TestCloseAndCanceledContext(t *testing.T) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := store.Open(canceled, filepath.Join(t.TempDir(), "x.db"), store.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a canceled context = %v", err)
	}

	s, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "redline.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"SaveCheck", func(ctx context.Context) error {
			return s.SaveCheck(ctx, check("ai-act", redline.OutcomeFailed, "", "", ""))
		}},
		{"SaveState", func(ctx context.Context) error { return s.SaveState(ctx, redline.SourceState{SourceID: "ai-act"}) }},
		{"State", func(ctx context.Context) error { _, err := s.State(ctx, "ai-act"); return err }},
		{"States", func(ctx context.Context) error { _, err := s.States(ctx); return err }},
		{"Snapshots", func(ctx context.Context) error { _, err := s.Snapshots(ctx, "ai-act"); return err }},
		{"Captures", func(ctx context.Context) error { _, err := s.Captures(ctx, "ai-act", 0); return err }},
		{"Events", func(ctx context.Context) error { _, err := s.Events(ctx, 0, 0); return err }},
		{"Blob", func(ctx context.Context) error { _, err := s.Blob(ctx, sha256Hex(nil)); return err }},
		{"Stats", func(ctx context.Context) error { _, err := s.Stats(ctx); return err }},
		{"SourceIDs", func(ctx context.Context) error { _, err := s.SourceIDs(ctx); return err }},
		{"Check", func(ctx context.Context) error { return s.Check(ctx) }},
		{"Backup", func(ctx context.Context) error { _, err := s.Backup(ctx, &strings.Builder{}); return err }},
	}
	for _, c := range calls {
		if err := c.call(canceled); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context = %v", c.name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	for _, c := range calls {
		if err := c.call(t.Context()); !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", c.name, err)
		}
	}
}

func TestConcurrentSaveChecks(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	const writers, checks = 4, 10
	var wg sync.WaitGroup
	for w := range writers {
		id := fmt.Sprintf("source-%d", w)
		wg.Go(func() {
			for i := range checks {
				rec := check(id, redline.OutcomeChanged, fmt.Sprintf("%s body %d", id, i), fmt.Sprintf("text %d", i), "",
					redline.Event{Type: redline.EventDocumentChanged})
				if err := s.SaveCheck(ctx, rec); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Blob(ctx, rec.Capture.BodyHash); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		for range checks {
			if _, err := s.Events(ctx, 0, 0); err != nil {
				t.Error(err)
			}
			if _, err := s.States(ctx); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()

	events, err := s.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != writers*checks {
		t.Fatalf("%d events, want %d", len(events), writers*checks)
	}
	perSource := map[string]uint64{}
	for i, e := range events {
		if e.Seq != uint64(i+1) {
			t.Errorf("event %d has seq %d", i, e.Seq)
		}
		// Each source's events arrive in the order of its snapshots.
		perSource[e.SourceID]++
		if e.SnapshotSeq != perSource[e.SourceID] {
			t.Errorf("event %d of %s refers to snapshot %d, want %d", e.Seq, e.SourceID, e.SnapshotSeq, perSource[e.SourceID])
		}
	}
	states, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.Captures != checks || st.Snapshots != checks {
			t.Errorf("%s: %d captures, %d snapshots; want %d each", st.SourceID, st.Captures, st.Snapshots, checks)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
}
