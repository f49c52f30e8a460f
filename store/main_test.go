package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/store"
)

// The test binary re-executes itself as the "other process" of the lock
// and crash tests; these variables tell it which role to play.
const (
	envChild = "REDLINE_STORE_TEST_CHILD"
	envPath  = "REDLINE_STORE_TEST_PATH"
)

func TestMain(m *testing.M) {
	switch os.Getenv(envChild) {
	case "":
		os.Exit(m.Run())
	case "hold":
		os.Exit(holdChild(os.Getenv(envPath)))
	case "crash":
		os.Exit(crashChild(os.Getenv(envPath)))
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", envChild, os.Getenv(envChild))
		os.Exit(2)
	}
}

// holdChild opens the store, says "ready" and keeps it open until stdin closes.
func holdChild(path string) int {
	s, err := store.Open(context.Background(), path, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// crashChild saves checks in a loop and prints each capture seq once its
// commit returned; it is killed by the parent at some point.
func crashChild(path string) int {
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := uint64(1); i <= 1000; i++ {
		rec := crashRecord(i)
		if err := s.SaveCheck(ctx, rec); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		// os.Stdout is unbuffered: the line is out when Fprintf returns.
		if _, err := fmt.Fprintf(os.Stdout, "%d\n", rec.Capture.Seq); err != nil {
			return 1
		}
	}
	return 0
}

// crashSource is the source the crash child writes.
const crashSource = "crash-src"

// crashVersion is the document version written by check i: odd checks
// store a new version, even ones confirm it unchanged.
func crashVersion(i uint64) uint64 { return (i + 1) / 2 }

// crashBody is the body of version v: random bytes of varied size, some
// megabytes big so that commits take long enough to be killed mid-way.
func crashBody(v uint64) []byte {
	sizes := []int{700 << 10, 512, 3 << 20, 40 << 10, 8 << 10}
	return randomBytes(v, sizes[v%uint64(len(sizes))])
}

// crashText is the canonical text of version v.
func crashText(v uint64) []byte { return fmt.Appendf(nil, "Article 5\t\tversion %d\n", v) }

// crashRecord builds check i of crashSource on a fresh store.
func crashRecord(i uint64) *redline.CheckRecord {
	v := crashVersion(i)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	rec := &redline.CheckRecord{
		State:   redline.SourceState{SourceID: crashSource, Status: redline.StatusOK, LastCheck: at},
		Capture: redline.Capture{At: at, URL: "https://example.eu/doc", Status: 200, Outcome: redline.OutcomeUnchanged},
		Body:    crashBody(v),
	}
	if i%2 == 1 {
		rec.Capture.Outcome = redline.OutcomeChanged
		if i == 1 {
			rec.Capture.Outcome = redline.OutcomeBaseline
		}
		rec.Snapshot = &redline.Snapshot{URL: rec.Capture.URL}
		rec.Text = crashText(v)
		rec.Events = []redline.Event{{Type: redline.EventDocumentChanged, Summary: fmt.Sprintf("version %d", v)}}
	} else {
		rec.Capture.TextHash = sha256Hex(crashText(v))
	}
	return rec
}

// randomBytes returns n deterministic pseudo-random bytes for seed.
func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	b := make([]byte, n+7)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b[:n]
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// openTemp opens a new store in a temporary directory and closes it at the end of the test.
func openTemp(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "redline.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}
