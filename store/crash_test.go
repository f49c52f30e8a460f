package store_test

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redline-watch/redline/store"
)

// TestKillLosesNoCommittedCheck kills a writing child process with SIGKILL
// after a random number of commits and checks that the reopened store is
// consistent and holds every check the child reported as committed.
func TestKillLosesNoCommittedCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary several times")
	}
	for run := range 4 {
		n := 1 + rand.IntN(12)
		t.Run(fmt.Sprintf("run %d after %d commits", run, n), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "redline.db")
			child := startChild(t, "crash", path)
			stdout, err := child.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(stdout)
			var printed []uint64
			readLine := func() bool {
				line, err := r.ReadString('\n')
				if err != nil { // EOF, or a line cut short by the kill: not reported, not required
					return false
				}
				seq, err := strconv.ParseUint(strings.TrimSpace(line), 10, 64)
				if err != nil {
					t.Fatalf("child printed %q", line)
				}
				printed = append(printed, seq)
				return true
			}
			for len(printed) < n {
				if !readLine() {
					_ = child.Wait()
					t.Fatalf("child stopped after %d commits: %s", len(printed), child.Stderr)
				}
			}
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			// Seqs printed before the kill landed were committed too.
			for readLine() {
			}
			if err := child.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
				t.Fatalf("child was not killed: %v: %s", err, child.Stderr)
			}
			verifyCrashStore(t, path, printed)
		})
	}
}

// verifyCrashStore checks that the store at path holds the printed
// captures, each with its snapshot and readable, correct blobs.
func verifyCrashStore(t *testing.T, path string, printed []uint64) {
	t.Helper()
	ctx := t.Context()
	s, err := store.Open(ctx, path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if err := s.Check(ctx); err != nil {
		t.Fatalf("Check after kill: %v", err)
	}
	for i, seq := range printed {
		if seq != uint64(i+1) {
			t.Fatalf("child printed seqs %v, want 1, 2, 3, ...", printed)
		}
	}
	caps, err := s.Captures(ctx, crashSource, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := uint64(len(printed))
	t.Logf("child reported %d commits, store holds %d captures", last, len(caps))
	// One more commit may have returned just before the kill, unprinted.
	if got := uint64(len(caps)); got != last && got != last+1 {
		t.Fatalf("store holds %d captures; the child reported %d", got, last)
	}
	st, err := s.State(ctx, crashSource)
	if err != nil {
		t.Fatal(err)
	}
	if st.Captures != uint64(len(caps)) || st.Snapshots != (st.Captures+1)/2 {
		t.Errorf("state counts %d captures, %d snapshots; store holds %d captures", st.Captures, st.Snapshots, len(caps))
	}
	if events, err := s.Events(ctx, 0, 0); err != nil || uint64(len(events)) != st.Snapshots {
		t.Errorf("%d events, %v; want one per snapshot (%d)", len(events), err, st.Snapshots)
	}
	for _, c := range caps {
		v := crashVersion(c.Seq)
		body, text := crashBody(v), crashText(v)
		if c.BodyHash != sha256Hex(body) || c.TextHash != sha256Hex(text) || c.SnapshotSeq != v {
			t.Errorf("capture %d = %+v; want version %d", c.Seq, c, v)
			continue
		}
		sn, err := s.Snapshot(ctx, crashSource, c.SnapshotSeq)
		if err != nil {
			t.Errorf("capture %d: %v", c.Seq, err)
			continue
		}
		for _, want := range [][]byte{body, text} {
			h := sha256Hex(want)
			if h != sn.BodyHash && h != sn.TextHash {
				t.Errorf("snapshot %d does not refer to blob %s", sn.Seq, h)
			}
			if got, err := s.Blob(ctx, h); err != nil || !bytes.Equal(got, want) {
				t.Errorf("capture %d: blob %s: %d bytes, %v; want %d bytes", c.Seq, h, len(got), err, len(want))
			}
		}
	}
}
