// Package schedule decides when each source is checked: it turns per-source
// cron specs into due checks and runs them in a bounded worker pool, never
// two checks of one source at once, with time taken from an injected Clock.
//
// robfig/cron is used only to parse specs and compute the next run; the loop
// is this package's own, because cron.Cron runs on real time and lets a
// panicking job crash the daemon.
//
// Rules worth knowing:
//   - A spec without CRON_TZ= is read in UTC.
//   - Each run is delayed by a random part of Options.Jitter, so that sources
//     with the same spec do not hit one host at the same second.
//   - A scheduled run that comes due while the previous check of the source
//     is still queued or running is skipped and logged: the check in progress
//     is already fresh, and queueing behind a slow source would only add load
//     on a server that is struggling. A Trigger, in contrast, is an explicit
//     request for a new check, so one that arrives while the source is
//     running is kept and run once after it.
//   - Runs missed while the daemon was down are caught up once at start,
//     not once per missed run (see Options.LastRun).
//   - Daylight saving time: on the spring-forward day a run planned in the
//     skipped hour (02:30 Europe/Brussels) happens at the jump, 03:00 local,
//     as ISC cron does; robfig/cron alone would skip that day. On the
//     fall-back day a run in the repeated hour happens in both occurrences.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	_ "time/tzdata" // CRON_TZ zones must load on hosts without a zoneinfo database.

	"github.com/redline-watch/redline"
)

// Defaults for the zero values of Options.
const (
	DefaultWorkers      = 2
	DefaultCheckTimeout = 10 * time.Minute
)

// maxWait bounds how long the loop sleeps. Timers run on the monotonic clock,
// which stands still while a host is suspended; waking up at least once a
// minute lets the loop notice that wall-clock time has moved on.
const maxWait = time.Minute

// ErrPanic is wrapped by the error reported when a Job panics; the error is
// a *PanicError that carries the stack.
var ErrPanic = errors.New("check panicked")

// ErrCheckTimeout is the cause of a check's ctx when Options.CheckTimeout
// elapses, and is wrapped by the error reported for such a check. It wraps
// context.DeadlineExceeded.
var ErrCheckTimeout = fmt.Errorf("check timed out: %w", context.DeadlineExceeded)

// ErrUnknownSource is returned by Trigger for an id the Scheduler does not
// know. It wraps redline.ErrNotFound.
var ErrUnknownSource = fmt.Errorf("unknown source: %w", redline.ErrNotFound)

// ErrStopped is returned by Trigger once Run has returned.
var ErrStopped = errors.New("scheduler stopped")

// PanicError is the error a Job's panic is converted to.
type PanicError struct {
	// Value is what the Job passed to panic.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

// Error returns the panic value without the stack, short enough for a
// capture record; the stack is in the Stack field and in the log.
func (e *PanicError) Error() string { return fmt.Sprintf("%v: %v", ErrPanic, e.Value) }

// Unwrap returns ErrPanic, and the panic value when it is an error.
func (e *PanicError) Unwrap() []error {
	if err, ok := e.Value.(error); ok {
		return []error{ErrPanic, err}
	}
	return []error{ErrPanic}
}

// Job runs one check of one source; the pipeline provides it. It must honour
// ctx: Run waits for running Jobs before it returns.
type Job func(ctx context.Context, src redline.Source) error

// Options are the optional settings of a Scheduler. The zero value is usable.
type Options struct {
	// Workers bounds how many checks run at once; 0 means DefaultWorkers.
	Workers int
	// Jitter delays each scheduled run by Rand()*Jitter; 0 disables it. Keep
	// it below the shortest interval of a spec, or runs will be skipped.
	Jitter time.Duration
	// CheckTimeout is measured on Clock; when it elapses the check's ctx is
	// cancelled with cause ErrCheckTimeout. 0 means DefaultCheckTimeout.
	CheckTimeout time.Duration
	// Clock defaults to RealClock().
	Clock Clock
	// Rand returns a number in [0, 1); it defaults to math/rand/v2.Float64.
	// It is only called with the Scheduler's lock held, so it need not be
	// safe for concurrent use.
	Rand func() float64
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
	// LastRun returns when a source was last checked (zero if never). At
	// start, a source whose schedule had a run between LastRun and now, or
	// that was never run, is checked once right away (after jitter), not once
	// per missed run. An error is logged and the source is treated as never
	// run, since an extra check costs less than a missed one. If LastRun is
	// nil, nothing is caught up.
	LastRun func(ctx context.Context, sourceID string) (time.Time, error)
	// Failed is called when a Job returns an error or panics (the error then
	// wraps ErrPanic). A Job that fails because Run's ctx was cancelled is
	// not reported: shutting down is not a failure of the source. ctx is not
	// cancelled by the check's timeout or by shutdown, so the failure can
	// still be recorded; Failed must return promptly. Failed may be nil.
	Failed func(ctx context.Context, src redline.Source, err error)
}

// Scheduler runs checks of sources when their cron specs come due. Construct
// it with New, start it with Run.
type Scheduler struct {
	job     Job
	opts    Options
	log     *slog.Logger
	entries []*entry // in the order given to New
	byID    map[string]*entry
	// wake tells the loop that a check ended or was triggered.
	wake chan struct{}

	mu      sync.Mutex
	started bool
	stopped bool
	queue   []*entry // waiting for a worker
	running int
}

// entry is the scheduling state of one source; its mutable fields are
// guarded by Scheduler.mu.
type entry struct {
	src   redline.Source
	sched schedule

	next    time.Time // planned run, jitter included; zero if none
	queued  bool      // waiting for a worker
	running bool
	again   bool // triggered while running: run once more after
}

// New parses the spec of every source and returns a Scheduler. Bad specs,
// duplicate ids and specs that never fire are reported together in one
// error that names each source id and spec.
func New(sources []redline.Source, job Job, opts Options) (*Scheduler, error) {
	if job == nil {
		return nil, errors.New("new scheduler: job is nil")
	}
	var errs []error
	if opts.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d: must be at least 1, or 0 for the default", opts.Workers))
	}
	if opts.Jitter < 0 {
		errs = append(errs, fmt.Errorf("jitter %s: must not be negative", opts.Jitter))
	}
	if opts.CheckTimeout < 0 {
		errs = append(errs, fmt.Errorf("check timeout %s: must not be negative", opts.CheckTimeout))
	}
	if opts.Workers == 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.CheckTimeout == 0 {
		opts.CheckTimeout = DefaultCheckTimeout
	}
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{
		job:  job,
		opts: opts,
		log:  opts.Logger,
		byID: make(map[string]*entry, len(sources)),
		wake: make(chan struct{}, 1),
	}
	now := opts.Clock.Now()
	for _, src := range sources {
		if !redline.ValidSourceID(src.ID) {
			errs = append(errs, fmt.Errorf("source %q: id must be made of [a-z0-9-]", src.ID))
			continue
		}
		if _, dup := s.byID[src.ID]; dup {
			errs = append(errs, fmt.Errorf("source %q: duplicate id", src.ID))
			continue
		}
		sched, err := parseSpec(src.Schedule)
		if err != nil {
			errs = append(errs, fmt.Errorf("source %q: schedule %q: %w", src.ID, src.Schedule, err))
			continue
		}
		if sched.Next(now).IsZero() {
			errs = append(errs, fmt.Errorf("source %q: schedule %q: never fires", src.ID, src.Schedule))
			continue
		}
		e := &entry{src: src, sched: sched}
		s.entries = append(s.entries, e)
		s.byID[src.ID] = e
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("new scheduler: %w", errors.Join(errs...))
	}
	return s, nil
}

// Run plans every source, catches up missed runs and then starts checks as
// they come due, until ctx is done. It then cancels the checks in flight,
// drops queued ones, waits for the running Jobs to return and returns nil.
// Run may be called once.
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("run scheduler: already started")
	}
	s.started = true
	s.mu.Unlock()

	var wg sync.WaitGroup
	defer func() {
		s.mu.Lock()
		s.stopped = true
		for _, e := range s.queue {
			e.queued = false
		}
		s.queue = nil
		s.mu.Unlock()
		wg.Wait()
		s.log.Info("scheduler stopped")
	}()

	s.log.Info("scheduler started", "sources", len(s.entries), "workers", s.opts.Workers)
	s.plan(ctx)
	var t Timer
	for {
		// select picks at random among ready cases; without this check a
		// check ending during shutdown could start a queued one.
		if ctx.Err() != nil {
			if t != nil {
				t.Stop()
			}
			return nil
		}
		t = s.dispatch(ctx, &wg, t)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C():
			t = nil
		case <-s.wake:
			// A check ended or was triggered. Planned times did not move,
			// so the timer stays: re-making it would let a fake clock move
			// between reading Now and arming, and the wait would be lost.
		}
	}
}

// plan sets the first run of every source, catching up missed runs.
func (s *Scheduler) plan(ctx context.Context) {
	last := make([]time.Time, len(s.entries))
	if s.opts.LastRun != nil {
		for i, e := range s.entries {
			t, err := s.opts.LastRun(ctx, e.src.ID)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				s.log.Warn("cannot tell when source was last checked; catching up",
					"source_id", e.src.ID, "error", err)
				t = time.Time{}
			}
			last[i] = t
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()
	for i, e := range s.entries {
		missed := s.opts.LastRun != nil && (last[i].IsZero() || !e.sched.Next(last[i]).After(now))
		if !missed {
			s.setNext(e, now)
			continue
		}
		e.next = now.Add(s.jitter())
		s.log.Info("catching up missed run", "source_id", e.src.ID,
			"last_run", last[i], "due", e.next)
	}
}

// setNext plans the next scheduled run of e after now. Callers hold s.mu.
func (s *Scheduler) setNext(e *entry, now time.Time) {
	n := e.sched.Next(now)
	if n.IsZero() {
		e.next = time.Time{}
		s.log.Warn("schedule has no further run", "source_id", e.src.ID, "schedule", e.src.Schedule)
		return
	}
	e.next = n.Add(s.jitter())
	s.log.Debug("next run planned", "source_id", e.src.ID, "next", e.next)
}

// jitter returns a random delay in [0, Jitter]. Callers hold s.mu.
func (s *Scheduler) jitter() time.Duration {
	r := min(max(s.opts.Rand(), 0), 1)
	return time.Duration(r * float64(s.opts.Jitter))
}

// dispatch queues the sources that are due and starts as many queued checks
// as there are free workers. If t is nil, it arms the loop's timer for the
// next planned run and returns it; otherwise it returns t.
func (s *Scheduler) dispatch(ctx context.Context, wg *sync.WaitGroup, t Timer) Timer {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()

	var due []*entry
	for _, e := range s.entries {
		if !e.next.IsZero() && !e.next.After(now) {
			due = append(due, e)
		}
	}
	slices.SortStableFunc(due, func(a, b *entry) int { return a.next.Compare(b.next) })
	for _, e := range due {
		if e.queued || e.running {
			s.log.Info("run skipped: previous check still queued or running",
				"source_id", e.src.ID, "planned", e.next)
		} else {
			s.enqueue(e)
		}
		s.setNext(e, now)
	}

	type start struct {
		e       *entry
		timeout Timer
	}
	var starts []start
	for s.running < s.opts.Workers && len(s.queue) > 0 {
		e := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		e.queued, e.running = false, true
		s.running++
		starts = append(starts, start{e, s.opts.Clock.NewTimer(s.opts.CheckTimeout)})
	}

	if t == nil {
		wait := maxWait
		for _, e := range s.entries {
			if !e.next.IsZero() {
				wait = min(wait, e.next.Sub(now))
			}
		}
		t = s.opts.Clock.NewTimer(wait)
	}

	// Checks start only once every timer is armed, so that a test that
	// sees a check running and counts the fake clock's timers knows the
	// loop is waiting.
	for _, st := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.check(ctx, st.e, st.timeout)
		}()
	}
	return t
}

// enqueue puts e in the queue for a worker. Callers hold s.mu.
func (s *Scheduler) enqueue(e *entry) {
	e.queued = true
	s.queue = append(s.queue, e)
}

// check runs one check of e in a worker slot and frees the slot.
func (s *Scheduler) check(ctx context.Context, e *entry, timeout Timer) {
	log := s.log.With("source_id", e.src.ID)
	cctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-timeout.C():
			cancel(ErrCheckTimeout)
		case <-done:
		}
	}()

	start := s.opts.Clock.Now()
	log.Debug("check started")
	err := s.runJob(cctx, e.src)
	close(done)
	<-watched
	timedOut := context.Cause(cctx) == ErrCheckTimeout
	cancel(nil)
	took := s.opts.Clock.Now().Sub(start)

	var perr *PanicError
	switch {
	case err == nil:
		log.Info("check finished", "duration", took)
	case errors.As(err, &perr):
		log.Error("check panicked", "duration", took, "error", err, "stack", string(perr.Stack))
		s.failed(ctx, e.src, err)
	case ctx.Err() != nil:
		log.Info("check interrupted by shutdown", "duration", took, "error", err)
	default:
		if timedOut && !errors.Is(err, ErrCheckTimeout) {
			err = fmt.Errorf("%w after %s: %w", ErrCheckTimeout, s.opts.CheckTimeout, err)
		}
		log.Warn("check failed", "duration", took, "error", err)
		s.failed(ctx, e.src, err)
	}

	s.mu.Lock()
	e.running = false
	s.running--
	if e.again && !s.stopped {
		s.enqueue(e)
		log.Info("running triggered check after the previous one")
	}
	e.again = false
	s.mu.Unlock()
	// Stopped only now, so that a fake clock's count of timers tells tests
	// that the slot is free.
	timeout.Stop()
	s.notify()
}

// runJob calls the Job and turns a panic into a *PanicError.
func (s *Scheduler) runJob(ctx context.Context, src redline.Source) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return s.job(ctx, src)
}

func (s *Scheduler) failed(ctx context.Context, src redline.Source, err error) {
	if s.opts.Failed != nil {
		s.opts.Failed(context.WithoutCancel(ctx), src, err)
	}
}

// notify wakes the loop without blocking; one pending wake-up is enough.
func (s *Scheduler) notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Trigger queues a check of the source with the given id, to run as soon as
// a worker is free. If the source is already queued, nothing changes; if it
// is running, one more check runs after the current one. Trigger does not
// move the source's next planned run. Before Run starts, the check waits for
// Run; after Run has returned, Trigger returns ErrStopped.
func (s *Scheduler) Trigger(id string) error {
	e, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("trigger %q: %w", id, ErrUnknownSource)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopped:
		return fmt.Errorf("trigger %q: %w", id, ErrStopped)
	case e.queued:
		s.log.Info("check triggered; already queued", "source_id", id)
	case e.running:
		e.again = true
		s.log.Info("check triggered; will run after the current one", "source_id", id)
	default:
		s.enqueue(e)
		s.log.Info("check triggered", "source_id", id)
	}
	s.notify()
	return nil
}

// Next returns the next planned run of the source, jitter included, or the
// zero time if the id is unknown, Run has not planned it yet, or its
// schedule has no further run.
func (s *Scheduler) Next(id string) time.Time {
	e, ok := s.byID[id]
	if !ok {
		return time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return e.next
}

// Running returns the ids of the sources being checked now, sorted.
func (s *Scheduler) Running() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, e := range s.entries {
		if e.running {
			ids = append(ids, e.src.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
