package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/store"
)

// outboxRecord is a changed check of src raising one coverage.changed event
// routed to two channels, one of them in the digest.
func outboxRecord(src string, at time.Time, snapshotSeq uint64) *redline.CheckRecord {
	return &redline.CheckRecord{
		State:   redline.SourceState{SourceID: src, Status: redline.StatusOK, LastCheck: at},
		Capture: redline.Capture{At: at, URL: "https://example.eu/doc", Status: 200, Outcome: redline.OutcomeUnchanged},
		Events: []redline.Event{{
			Type: redline.EventCoverageChanged, Summary: "social-scoring lost ground", SnapshotSeq: snapshotSeq,
			Details: map[string]string{"demand": "social-scoring", "from": "prohibited", "to": "restricted"},
			Routes:  []redline.Route{{Channel: "mail"}, {Channel: "hook", Digest: true}},
		}},
	}
}

func TestOutboxEnqueuedWithTheCheck(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	rec := outboxRecord("ai-act", at, 4)
	if err := s.SaveCheck(ctx, rec); err != nil {
		t.Fatal(err)
	}
	ev := rec.Events[0]
	if want := redline.EventID(ev.DedupKey()); ev.ID != want || len(ev.ID) != 30 {
		t.Fatalf("event id = %q, want %q", ev.ID, want)
	}
	got, err := s.OutboxEntries(ctx, redline.OutboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("entries = %+v, want 2", got)
	}
	for i, ch := range []string{"mail", "hook"} {
		e := got[i]
		if e.Channel != ch || e.EventSeq != ev.Seq || e.EventID != ev.ID || e.Status != redline.OutboxPending ||
			!e.NextAttempt.Equal(at) || e.Digest != (ch == "hook") || e.SourceID != "ai-act" {
			t.Errorf("entry %d = %+v", i, e)
		}
	}
	stored, err := s.Event(ctx, ev.Seq)
	if err != nil || stored.ID != ev.ID || len(stored.Routes) != 2 {
		t.Errorf("stored event = %+v, %v", stored, err)
	}

	// The same event again (a re-run of the check) enqueues nothing new.
	if err := s.SaveCheck(ctx, outboxRecord("ai-act", at.Add(time.Hour), 4)); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.OutboxEntries(ctx, redline.OutboxQuery{}); len(again) != 2 {
		t.Errorf("after a duplicate event: %d entries, want 2", len(again))
	}
	// Another version is another event.
	if err := s.SaveCheck(ctx, outboxRecord("ai-act", at.Add(2*time.Hour), 5)); err != nil {
		t.Fatal(err)
	}
	all, _ := s.OutboxEntries(ctx, redline.OutboxQuery{})
	if len(all) != 4 {
		t.Fatalf("entries = %d, want 4", len(all))
	}
	if mail, _ := s.OutboxEntries(ctx, redline.OutboxQuery{Channel: "mail"}); len(mail) != 2 {
		t.Errorf("mail entries = %d, want 2", len(mail))
	}
	if due, _ := s.OutboxEntries(ctx, redline.OutboxQuery{DueBy: at.Add(time.Hour)}); len(due) != 2 {
		t.Errorf("entries due by %s = %d, want 2", at.Add(time.Hour), len(due))
	}

	// Delivered leaves, dead stays and is counted, pending keeps its backoff.
	all[0].Status = redline.OutboxDelivered
	all[1].Status, all[1].LastError, all[1].Attempts = redline.OutboxDead, "HTTP 410", 1
	all[2].Attempts, all[2].NextAttempt, all[2].LastError = 1, at.Add(10*time.Minute), "HTTP 503"
	if err := s.UpdateOutbox(ctx, all[:3]); err != nil {
		t.Fatal(err)
	}
	st, err := s.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 2 || st.Dead != 1 || st.Delivered != 1 || !st.OldestPending.Equal(at.Add(2*time.Hour)) {
		t.Errorf("stats = %+v", st)
	}
	dead, _ := s.OutboxEntries(ctx, redline.OutboxQuery{Status: redline.OutboxDead})
	if len(dead) != 1 || dead[0].LastError != "HTTP 410" {
		t.Errorf("dead = %+v", dead)
	}
	if err := s.DropOutbox(ctx, dead[0].Seq); err != nil {
		t.Fatal(err)
	}
	if err := s.DropOutbox(ctx, dead[0].Seq); !errors.Is(err, redline.ErrNotFound) {
		t.Errorf("second drop: %v, want ErrNotFound", err)
	}
	// A dropped entry updated later (a delivery that was in flight) stays gone.
	dead[0].Status = redline.OutboxPending
	if err := s.UpdateOutbox(ctx, dead); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.OutboxStats(ctx); st.Dead != 0 || st.Pending != 2 {
		t.Errorf("stats after drop = %+v", st)
	}
	if _, err := s.Event(ctx, 999); !errors.Is(err, redline.ErrNotFound) {
		t.Errorf("Event(999): %v", err)
	}
}

// TestOutboxSurvivesReopen: entries are on disk with the check, and a
// failed save enqueues nothing.
func TestOutboxSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "redline.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	bad := outboxRecord("ai-act", at, 1)
	bad.Events[0].Routes = append(bad.Events[0].Routes, redline.Route{})
	if err := s.SaveCheck(ctx, bad); err == nil {
		t.Fatal("a route without a channel was saved")
	}
	if err := s.SaveCheck(ctx, outboxRecord("ai-act", at, 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.OutboxEntries(ctx, redline.OutboxQuery{})
	if err != nil || len(got) != 2 || got[0].EventSeq != 1 {
		t.Fatalf("after reopen: %+v, %v (the failed save must leave nothing)", got, err)
	}
	if caps, _ := s.Captures(ctx, "ai-act", 0); len(caps) != 1 {
		t.Errorf("captures = %d, want 1", len(caps))
	}
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
}
