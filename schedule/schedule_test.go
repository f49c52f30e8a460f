package schedule_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/schedule"
)

var t0 = time.Date(2027, time.June, 1, 0, 0, 0, 0, time.UTC)

func source(id, spec string) redline.Source {
	return redline.Source{ID: id, Name: id, URL: "https://example.eu/" + id, Kind: redline.KindHTML, Schedule: spec}
}

func lastRunAt(t time.Time) func(context.Context, string) (time.Time, error) {
	return func(context.Context, string) (time.Time, error) { return t, nil }
}

// logBuffer collects JSON log lines from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var recs []map[string]any
	for line := range strings.Lines(b.buf.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

// count returns how many records have the message and source_id.
func (b *logBuffer) count(t *testing.T, msg, sourceID string) int {
	n := 0
	for _, rec := range b.records(t) {
		if rec["msg"] == msg && rec["source_id"] == sourceID {
			n++
		}
	}
	return n
}

// harness runs a Scheduler on a fake clock until the test ends.
type harness struct {
	clock  *schedule.FakeClock
	sched  *schedule.Scheduler
	logs   *logBuffer
	cancel context.CancelFunc
	done   chan error

	once sync.Once
	err  error
}

// start runs a Scheduler; opts.Clock must be a *schedule.FakeClock or nil.
// Rand defaults to 0, so runs have no jitter unless a test asks for it.
func start(t *testing.T, sources []redline.Source, job schedule.Job, opts schedule.Options) *harness {
	t.Helper()
	h := &harness{logs: &logBuffer{}, done: make(chan error, 1)}
	if opts.Clock == nil {
		opts.Clock = schedule.NewFakeClock(t0)
	}
	h.clock = opts.Clock.(*schedule.FakeClock)
	if opts.Rand == nil {
		opts.Rand = func() float64 { return 0 }
	}
	opts.Logger = slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := schedule.New(sources, job, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.sched = s
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- s.Run(ctx) }()
	t.Cleanup(func() { h.stop(t) })
	return h
}

// stop cancels Run, waits for it and checks that every log line about a
// source names it.
func (h *harness) stop(t *testing.T) error {
	h.once.Do(func() {
		h.cancel()
		h.err = <-h.done
		for _, rec := range h.logs.records(t) {
			switch rec["msg"] {
			case "scheduler started", "scheduler stopped":
				continue
			}
			if id, _ := rec["source_id"].(string); id == "" {
				t.Errorf("log line without source_id: %v", rec)
			}
		}
	})
	return h.err
}

// advanceTo moves the fake clock to at.
func (h *harness) advanceTo(t *testing.T, at time.Time) {
	t.Helper()
	d := at.Sub(h.clock.Now())
	if d < 0 {
		t.Fatalf("advance to %s: clock is already at %s", at, h.clock.Now())
	}
	h.clock.Advance(d)
}

// run is one call of a Job.
type run struct {
	id string
	at time.Time
}

func TestNewErrors(t *testing.T) {
	ok := func(context.Context, redline.Source) error { return nil }
	tests := []struct {
		name    string
		sources []redline.Source
		job     schedule.Job
		opts    schedule.Options
		want    []string
		notWant []string
	}{
		{
			name: "every bad source is named",
			sources: []redline.Source{
				source("good", "CRON_TZ=Europe/Brussels 0 6 * * *"),
				source("typo", "0 6 * *"),
				source("no-fields", "CRON_TZ=Europe/Brussels"),
				source("zone", "CRON_TZ=Europe/Nowhere 0 6 * * *"),
			},
			job: ok,
			want: []string{
				`source "typo": schedule "0 6 * *"`,
				`source "no-fields": schedule "CRON_TZ=Europe/Brussels"`,
				`source "zone": schedule "CRON_TZ=Europe/Nowhere 0 6 * * *"`,
			},
			notWant: []string{`"good"`},
		},
		{
			name:    "duplicate id",
			sources: []redline.Source{source("a", "0 6 * * *"), source("a", "0 7 * * *")},
			job:     ok,
			want:    []string{`source "a": duplicate id`},
		},
		{
			name:    "bad id",
			sources: []redline.Source{source("AI Act", "0 6 * * *")},
			job:     ok,
			want:    []string{`source "AI Act": id must be`},
		},
		{
			name:    "never fires",
			sources: []redline.Source{source("feb", "0 0 30 2 *")},
			job:     ok,
			want:    []string{`source "feb": schedule "0 0 30 2 *": never fires`},
		},
		{
			name:    "six fields",
			sources: []redline.Source{source("secs", "0 0 6 * * *")},
			job:     ok,
			want:    []string{`source "secs"`, "exactly 5 fields"},
		},
		{
			name: "nil job",
			want: []string{"job is nil"},
		},
		{
			name: "negative options",
			job:  ok,
			opts: schedule.Options{Workers: -1, Jitter: -time.Second, CheckTimeout: -time.Minute},
			want: []string{"workers -1", "jitter -1s", "check timeout -1m0s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := schedule.New(tt.sources, tt.job, tt.opts)
			if err == nil {
				t.Fatalf("New returned %v and no error", s)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("error %q contains %q", err, w)
				}
			}
		})
	}
}

func TestRunsInEachSourceZone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := schedule.NewFakeClock(t0)
		runs := make(chan run, 10)
		job := func(_ context.Context, src redline.Source) error {
			runs <- run{src.ID, clock.Now()}
			return nil
		}
		h := start(t, []redline.Source{
			source("bru", "CRON_TZ=Europe/Brussels 0 9 * * *"),
			source("utc", "0 9 * * *"),
			source("nyc", "CRON_TZ=America/New_York 0 9 * * *"),
		}, job, schedule.Options{
			Clock:   clock,
			Jitter:  10 * time.Minute,
			Rand:    func() float64 { return 0.5 },
			LastRun: lastRunAt(t0),
		})
		h.clock.BlockUntil(1)

		want := []run{
			{"bru", time.Date(2027, 6, 1, 7, 5, 0, 0, time.UTC)},
			{"utc", time.Date(2027, 6, 1, 9, 5, 0, 0, time.UTC)},
			{"nyc", time.Date(2027, 6, 1, 13, 5, 0, 0, time.UTC)},
		}
		for _, w := range want {
			if got := h.sched.Next(w.id); !got.Equal(w.at) {
				t.Errorf("Next(%q) = %s, want %s", w.id, got, w.at)
			}
		}
		for _, w := range want {
			h.advanceTo(t, w.at)
			if got := <-runs; got.id != w.id || !got.at.Equal(w.at) {
				t.Fatalf("ran %s at %s, want %s at %s", got.id, got.at, w.id, w.at)
			}
			h.clock.BlockUntil(1)
			if got, next := h.sched.Next(w.id), w.at.AddDate(0, 0, 1); !got.Equal(next) {
				t.Errorf("after the run, Next(%q) = %s, want %s", w.id, got, next)
			}
		}
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if len(runs) != 0 {
			t.Errorf("%d unexpected runs, first %v", len(runs), <-runs)
		}
		if got := h.sched.Next("unknown"); !got.IsZero() {
			t.Errorf("Next of an unknown id = %s, want zero", got)
		}
	})
}

func TestWorkerPoolIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const sources, workers = 5, 2
		var (
			mu           sync.Mutex
			cur, maxSeen int
			total        int
		)
		started := make(chan string)
		release := make(chan struct{})
		job := func(ctx context.Context, src redline.Source) error {
			mu.Lock()
			cur++
			total++
			maxSeen = max(maxSeen, cur)
			mu.Unlock()
			defer func() {
				mu.Lock()
				cur--
				mu.Unlock()
			}()
			started <- src.ID
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		}
		var srcs []redline.Source
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			srcs = append(srcs, source(id, "0 * * * *"))
		}
		h := start(t, srcs, job, schedule.Options{Workers: workers})
		h.clock.BlockUntil(1)
		h.clock.Advance(time.Hour)

		var order []string
		for range workers {
			order = append(order, <-started)
		}
		h.clock.BlockUntil(workers + 1) // a timeout timer per check, and the loop's
		if got := h.sched.Running(); !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("Running() = %v, want [a b]", got)
		}
		for range sources - workers {
			release <- struct{}{}
			order = append(order, <-started)
		}
		for range workers {
			release <- struct{}{}
		}
		h.clock.BlockUntil(1)
		if got := h.sched.Running(); len(got) != 0 {
			t.Errorf("Running() = %v after every check ended", got)
		}
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if maxSeen != workers {
			t.Errorf("at most %d checks ran at once, want %d", maxSeen, workers)
		}
		if total != sources {
			t.Errorf("%d checks ran, want %d", total, sources)
		}
		slices.Sort(order[:workers]) // the first two start together
		if !slices.Equal(order, []string{"a", "b", "c", "d", "e"}) {
			t.Errorf("checks started in order %v, want the order of the sources", order)
		}
	})
}

func TestRunDueWhileRunningIsSkipped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := schedule.NewFakeClock(t0)
		runs := make(chan run)
		release := make(chan struct{})
		job := func(ctx context.Context, src redline.Source) error {
			runs <- run{src.ID, clock.Now()}
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		}
		h := start(t, []redline.Source{source("slow", "* * * * *")}, job, schedule.Options{Clock: clock, Workers: 2})
		h.clock.BlockUntil(1)

		h.clock.Advance(time.Minute)
		first := <-runs
		h.clock.BlockUntil(2)
		for range 2 { // due at minutes 2 and 3 while the first check runs
			h.clock.Advance(time.Minute)
			h.clock.BlockUntil(2)
		}
		release <- struct{}{}
		h.clock.BlockUntil(1)
		h.clock.Advance(time.Minute)
		second := <-runs
		release <- struct{}{}
		h.clock.BlockUntil(1)
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}

		if want := t0.Add(time.Minute); !first.at.Equal(want) {
			t.Errorf("first check at %s, want %s", first.at, want)
		}
		if want := t0.Add(4 * time.Minute); !second.at.Equal(want) {
			t.Errorf("second check at %s, want %s", second.at, want)
		}
		if n := h.logs.count(t, "run skipped: previous check still queued or running", "slow"); n != 2 {
			t.Errorf("%d skipped runs logged, want 2", n)
		}
	})
}

func TestPanicIsRecovered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errBoom := errors.New("boom")
		runs := make(chan string, 10)
		failed := make(chan error, 10)
		job := func(_ context.Context, src redline.Source) error {
			if src.ID == "boom" {
				panic(errBoom)
			}
			runs <- src.ID
			return nil
		}
		h := start(t, []redline.Source{source("boom", "0 * * * *"), source("calm", "0 * * * *")}, job,
			schedule.Options{Failed: func(ctx context.Context, src redline.Source, err error) {
				if src.ID != "boom" {
					t.Errorf("Failed called for %s: %v", src.ID, err)
				}
				if ctx.Err() != nil {
					t.Errorf("Failed got a done ctx: %v", ctx.Err())
				}
				failed <- err
			}})
		for hour := range 2 {
			h.clock.BlockUntil(1)
			h.clock.Advance(time.Hour)
			err := <-failed
			if !errors.Is(err, schedule.ErrPanic) || !errors.Is(err, errBoom) {
				t.Errorf("hour %d: error %v does not wrap ErrPanic and the panic value", hour, err)
			}
			var perr *schedule.PanicError
			if !errors.As(err, &perr) || !strings.Contains(string(perr.Stack), "schedule_test.TestPanicIsRecovered") {
				t.Errorf("hour %d: error %v does not carry the stack of the panic", hour, err)
			}
			if got := <-runs; got != "calm" {
				t.Errorf("hour %d: ran %s, want calm", hour, got)
			}
		}
		h.clock.BlockUntil(1)
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
		for _, rec := range h.logs.records(t) {
			if rec["msg"] == "check panicked" && !strings.Contains(rec["stack"].(string), "runtime/debug.Stack") {
				t.Errorf("panic logged without its stack: %v", rec)
			}
		}
		if n := h.logs.count(t, "check panicked", "boom"); n != 2 {
			t.Errorf("%d panics logged, want 2", n)
		}
	})
}

func TestCheckTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		causes := make(chan error, 1)
		failed := make(chan error, 1)
		job := func(ctx context.Context, _ redline.Source) error {
			<-ctx.Done()
			causes <- context.Cause(ctx)
			return ctx.Err()
		}
		h := start(t, []redline.Source{source("stuck", "0 * * * *")}, job, schedule.Options{
			CheckTimeout: 5 * time.Minute,
			Failed:       func(_ context.Context, _ redline.Source, err error) { failed <- err },
		})
		h.clock.BlockUntil(1)
		h.clock.Advance(time.Hour)
		h.clock.BlockUntil(2)
		h.clock.Advance(5*time.Minute - time.Second)
		h.clock.BlockUntil(2) // the loop's timer fired and was re-armed; the check still runs
		h.clock.Advance(time.Second)

		if cause := <-causes; cause != schedule.ErrCheckTimeout {
			t.Errorf("cause of the check's ctx = %v, want ErrCheckTimeout", cause)
		}
		err := <-failed
		for _, target := range []error{schedule.ErrCheckTimeout, context.DeadlineExceeded, context.Canceled} {
			if !errors.Is(err, target) {
				t.Errorf("reported error %q does not wrap %q", err, target)
			}
		}
		if !strings.Contains(err.Error(), "after 5m0s") {
			t.Errorf("reported error %q does not say how long the check ran", err)
		}
		h.clock.BlockUntil(1)
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
}

func TestShutdownCancelsAndWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		started := make(chan struct{})
		cancelled := make(chan struct{})
		finish := make(chan struct{})
		var finished atomic.Bool
		job := func(ctx context.Context, _ redline.Source) error {
			close(started)
			<-ctx.Done()
			close(cancelled)
			<-finish
			finished.Store(true)
			return ctx.Err()
		}
		var failures atomic.Int32
		h := start(t, []redline.Source{source("long", "0 * * * *"), source("queued", "0 * * * *")}, job,
			schedule.Options{
				Workers: 1,
				Failed: func(_ context.Context, src redline.Source, err error) {
					t.Logf("failed %s: %v", src.ID, err)
					failures.Add(1)
				},
			})
		h.clock.BlockUntil(1)
		h.clock.Advance(time.Hour)
		<-started
		h.cancel()
		<-cancelled
		synctest.Wait() // Run is now either waiting for the check or returned
		select {
		case err := <-h.done:
			h.done <- err // for stop
			t.Fatalf("Run returned %v while a check was still running", err)
		default:
		}
		close(finish)
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if !finished.Load() {
			t.Error("Run returned before the check finished")
		}
		if n := failures.Load(); n != 0 {
			t.Errorf("Failed called %d times for a check interrupted by shutdown", n)
		}
		if n := h.logs.count(t, "check interrupted by shutdown", "long"); n != 1 {
			t.Errorf("%d interrupted checks logged, want 1", n)
		}
		if err := h.sched.Trigger("queued"); !errors.Is(err, schedule.ErrStopped) {
			t.Errorf("Trigger after Run returned: %v, want ErrStopped", err)
		}
	})
}

func TestCatchUpAtStart(t *testing.T) {
	now := time.Date(2027, 6, 10, 9, 0, 0, 0, time.UTC)
	errStore := errors.New("store is closed")
	tests := []struct {
		name    string
		last    time.Time
		lastErr error
		wantRun bool
	}{
		{name: "never run", wantRun: true},
		{name: "missed many runs runs once", last: now.AddDate(0, 0, -3), wantRun: true},
		{name: "missed the last run", last: time.Date(2027, 6, 10, 5, 59, 0, 0, time.UTC), wantRun: true},
		{name: "ran at the last scheduled time", last: time.Date(2027, 6, 10, 6, 0, 0, 0, time.UTC)},
		{name: "ran after the last scheduled time", last: time.Date(2027, 6, 10, 8, 0, 0, 0, time.UTC)},
		{name: "unknown last run", lastErr: errStore, wantRun: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clock := schedule.NewFakeClock(now)
				var mu sync.Mutex
				var runs []time.Time
				ran := make(chan struct{}, 10)
				job := func(context.Context, redline.Source) error {
					mu.Lock()
					runs = append(runs, clock.Now())
					mu.Unlock()
					ran <- struct{}{}
					return nil
				}
				h := start(t, []redline.Source{source("six", "0 */6 * * *")}, job, schedule.Options{
					Clock:  clock,
					Jitter: 10 * time.Minute,
					Rand:   func() float64 { return 0.5 },
					LastRun: func(_ context.Context, id string) (time.Time, error) {
						if id != "six" {
							t.Errorf("LastRun(%q)", id)
						}
						return tt.last, tt.lastErr
					},
				})
				h.clock.BlockUntil(1)
				catchUp, scheduled := now.Add(5*time.Minute), time.Date(2027, 6, 10, 12, 5, 0, 0, time.UTC)
				want := scheduled
				if tt.wantRun {
					want = catchUp
				}
				if got := h.sched.Next("six"); !got.Equal(want) {
					t.Errorf("Next at start = %s, want %s", got, want)
				}
				h.advanceTo(t, catchUp)
				if tt.wantRun {
					<-ran
				}
				h.clock.BlockUntil(1)
				if got := h.sched.Next("six"); !got.Equal(scheduled) {
					t.Errorf("Next after catching up = %s, want %s", got, scheduled)
				}
				if err := h.stop(t); err != nil {
					t.Fatalf("Run: %v", err)
				}
				var wantRuns []time.Time
				if tt.wantRun {
					wantRuns = []time.Time{catchUp}
				}
				if !slices.EqualFunc(runs, wantRuns, time.Time.Equal) {
					t.Errorf("runs at %v, want %v", runs, wantRuns)
				}
				if n := h.logs.count(t, "cannot tell when source was last checked; catching up", "six"); (n == 1) != (tt.lastErr != nil) {
					t.Errorf("%d warnings about LastRun's error", n)
				}
			})
		})
	}
}

func TestNoCatchUpWithoutLastRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := func(context.Context, redline.Source) error {
			t.Error("a check ran")
			return nil
		}
		h := start(t, []redline.Source{source("a", "0 12 * * *")}, job, schedule.Options{})
		h.clock.BlockUntil(1)
		if got, want := h.sched.Next("a"), t0.Add(12*time.Hour); !got.Equal(want) {
			t.Errorf("Next = %s, want %s", got, want)
		}
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
}

func TestSpringForwardRunsAtTheJump(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		bru, err := time.LoadLocation("Europe/Brussels")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2027, 3, 27, 12, 0, 0, 0, bru)
		clock := schedule.NewFakeClock(now)
		runs := make(chan time.Time, 1)
		job := func(context.Context, redline.Source) error {
			runs <- clock.Now()
			return nil
		}
		h := start(t, []redline.Source{source("night", "CRON_TZ=Europe/Brussels 30 2 * * *")}, job,
			schedule.Options{Clock: clock, LastRun: lastRunAt(now)})
		h.clock.BlockUntil(1)

		jump := time.Date(2027, 3, 28, 3, 0, 0, 0, bru) // 02:00 CET became 03:00 CEST
		if got := h.sched.Next("night"); !got.Equal(jump) {
			t.Fatalf("Next = %s, want %s", got, jump)
		}
		h.advanceTo(t, jump)
		if got := <-runs; !got.Equal(jump) {
			t.Errorf("ran at %s, want %s", got, jump)
		}
		h.clock.BlockUntil(1)
		if got, want := h.sched.Next("night"), time.Date(2027, 3, 29, 2, 30, 0, 0, bru); !got.Equal(want) {
			t.Errorf("Next after the jump = %s, want %s", got, want)
		}
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
}

func TestTrigger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		started := make(chan string)
		release := make(chan struct{})
		job := func(ctx context.Context, src redline.Source) error {
			started <- src.ID
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		}
		yearly := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
		h := start(t, []redline.Source{source("a", "0 0 1 1 *"), source("b", "0 0 1 1 *")}, job,
			schedule.Options{Workers: 1, LastRun: lastRunAt(t0)})
		h.clock.BlockUntil(1)

		if err := h.sched.Trigger("nope"); !errors.Is(err, schedule.ErrUnknownSource) || !errors.Is(err, redline.ErrNotFound) {
			t.Errorf("Trigger of an unknown id: %v, want ErrUnknownSource wrapping ErrNotFound", err)
		}
		if err := h.sched.Trigger("a"); err != nil {
			t.Fatalf("Trigger(a): %v", err)
		}
		if got := <-started; got != "a" {
			t.Fatalf("started %s, want a", got)
		}
		h.clock.BlockUntil(2)
		// With one worker busy, b waits; a, triggered twice while it runs, runs
		// once more after b.
		for _, id := range []string{"b", "a", "a", "b"} {
			if err := h.sched.Trigger(id); err != nil {
				t.Fatalf("Trigger(%s): %v", id, err)
			}
		}
		if got := h.sched.Running(); !slices.Equal(got, []string{"a"}) {
			t.Errorf("Running() = %v, want [a]", got)
		}
		var order []string
		for range 2 {
			release <- struct{}{}
			order = append(order, <-started)
		}
		release <- struct{}{}
		h.clock.BlockUntil(1)
		if !slices.Equal(order, []string{"b", "a"}) {
			t.Errorf("after a, started %v, want [b a]", order)
		}
		for _, id := range []string{"a", "b"} {
			if got := h.sched.Next(id); !got.Equal(yearly) {
				t.Errorf("Next(%s) = %s, want the planned %s", id, got, yearly)
			}
		}
		if err := h.stop(t); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if err := h.sched.Trigger("a"); !errors.Is(err, schedule.ErrStopped) {
			t.Errorf("Trigger after Run returned: %v, want ErrStopped", err)
		}
	})
}

func TestTriggerBeforeRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := schedule.NewFakeClock(t0)
		ran := make(chan string, 1)
		s, err := schedule.New([]redline.Source{source("a", "0 0 1 1 *")}, func(_ context.Context, src redline.Source) error {
			ran <- src.ID
			return nil
		}, schedule.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Trigger("a"); err != nil {
			t.Fatalf("Trigger before Run: %v", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		if got := <-ran; got != "a" {
			t.Errorf("ran %s, want a", got)
		}
		clock.BlockUntil(1)
		if err := s.Run(ctx); err == nil {
			t.Error("second Run returned no error")
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
}
