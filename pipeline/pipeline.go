// Package pipeline runs one check of one source: fetch, parse, compare with
// the last snapshot, evaluate the demands, and store the outcome with its
// events in one transaction.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
)

// Parser turns the body of a successful fetch into a Document.
type Parser interface {
	Parse(ctx context.Context, src redline.Source, res *redline.FetchResult) (*redline.Document, error)
}

// ParserFunc adapts a function to the Parser interface.
type ParserFunc func(ctx context.Context, src redline.Source, res *redline.FetchResult) (*redline.Document, error)

// Parse calls f.
func (f ParserFunc) Parse(ctx context.Context, src redline.Source, res *redline.FetchResult) (*redline.Document, error) {
	return f(ctx, src, res)
}

// Pipeline checks sources. Its exported fields are settings with defaults.
type Pipeline struct {
	fetcher redline.Fetcher
	store   redline.Store
	parser  Parser

	// FailingAfter is the number of consecutive failures that mark a source failing (default 3).
	FailingAfter int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one line per check (default: discard).
	Logger *slog.Logger
	// NextDue, if set, tells when the scheduler plans the source's next
	// check; it is kept in the source's state for the status page and API.
	NextDue func(sourceID string) time.Time
	// Demands are evaluated on every new version; their level changes become
	// coverage.changed events. Nil turns coverage off.
	Demands *coverage.Set
}

// New returns a Pipeline that fetches with f, parses with p and stores in s.
func New(f redline.Fetcher, s redline.Store, p Parser) *Pipeline {
	return &Pipeline{fetcher: f, store: s, parser: p, FailingAfter: 3, Now: time.Now,
		Logger: slog.New(slog.DiscardHandler)}
}

// Result is what one check did.
type Result struct {
	SourceID string
	Outcome  redline.Outcome
	Capture  redline.Capture
	// Snapshot is the new version, if the check stored one.
	Snapshot *redline.Snapshot
	Events   []redline.Event
	// Err is the failure of a failed check (also in Capture.Error).
	Err error
}

// Line renders the result as one line for `redline once`.
func (r Result) Line() string {
	switch {
	case r.Err != nil:
		return fmt.Sprintf("%s: failed: %v", r.SourceID, r.Err)
	case r.Outcome == redline.OutcomeChanged:
		return fmt.Sprintf("%s: changed (version %d)", r.SourceID, r.Snapshot.Seq)
	case r.Outcome == redline.OutcomeBaseline:
		return fmt.Sprintf("%s: changed (first version stored)", r.SourceID)
	case r.Outcome == redline.OutcomeRebaselined:
		return fmt.Sprintf("%s: unchanged (re-baselined: extractor or parser changed)", r.SourceID)
	case r.Outcome == redline.OutcomeNotModified:
		return fmt.Sprintf("%s: unchanged (not modified)", r.SourceID)
	default:
		return fmt.Sprintf("%s: unchanged", r.SourceID)
	}
}

// Check runs one check of src and stores its outcome. A failed fetch or parse
// is recorded and returned in Result.Err; the error return is reserved for
// failures to record (the store) and for a canceled ctx, in which case nothing
// is recorded: a shutdown is not the source's fault.
func (p *Pipeline) Check(ctx context.Context, src redline.Source) (Result, error) {
	log := p.Logger.With("source_id", src.ID)
	st, err := p.store.State(ctx, src.ID)
	if err != nil {
		return Result{SourceID: src.ID}, fmt.Errorf("check %s: read state: %w", src.ID, err)
	}
	start := p.Now()
	res, err := p.fetcher.Fetch(ctx, redline.FetchRequest{
		Source: src, ETag: st.ETag, LastModified: st.LastModified, LastGoodSize: st.LastGoodSize,
	})
	if err != nil {
		if ctx.Err() != nil {
			return Result{SourceID: src.ID}, fmt.Errorf("check %s: %w", src.ID, ctx.Err())
		}
		rec := p.failure(src, st, start, err)
		return p.save(ctx, log, rec, err)
	}
	capt := captureOf(src, res, p.Now().Sub(start))
	if res.NotModified {
		capt.Outcome = redline.OutcomeNotModified
		capt.ETag, capt.LastModified = firstNonEmpty(res.ETag, st.ETag), firstNonEmpty(res.LastModified, st.LastModified)
		rec := p.success(st, capt)
		rec.Capture.SnapshotSeq = st.Snapshots
		return p.save(ctx, log, rec, nil)
	}

	doc, err := p.parser.Parse(ctx, src, res)
	if err != nil {
		if ctx.Err() != nil {
			return Result{SourceID: src.ID}, fmt.Errorf("check %s: %w", src.ID, ctx.Err())
		}
		perr := &redline.FetchError{Reason: redline.ReasonParse, Status: res.Status, Err: err}
		rec := p.failure(src, st, start, perr)
		rec.Capture = withFailure(capt, perr)
		rec.Body = res.Body // keep what was served, as evidence
		return p.save(ctx, log, rec, perr)
	}
	text := doc.Canonical()
	if marker := norm(src.Marker); marker != "" && !strings.Contains(norm(text), marker) {
		// The crawler checks markers in HTML bodies; a PDF's words are only
		// visible once extracted.
		merr := &redline.FetchError{Reason: redline.ReasonNoMarker, Status: res.Status,
			Detail: fmt.Sprintf("the extracted text lacks the marker %q", src.Marker)}
		rec := p.failure(src, st, start, merr)
		rec.Capture = withFailure(capt, merr)
		rec.Body = res.Body
		return p.save(ctx, log, rec, merr)
	}
	capt.TextHash = hashOf([]byte(text))
	capt.Extractor = doc.Extractor
	rec := p.success(st, capt)
	rec.State.LastGoodSize = int64(len(res.Body))

	if st.Snapshots > 0 && capt.TextHash == st.LastTextHash {
		rec.Capture.Outcome = redline.OutcomeUnchanged
		rec.Capture.SnapshotSeq = st.Snapshots
		return p.save(ctx, log, rec, nil)
	}

	docJSON, err := json.Marshal(doc)
	if err != nil {
		return Result{SourceID: src.ID}, fmt.Errorf("check %s: encode document: %w", src.ID, err)
	}
	outcome := redline.OutcomeChanged
	switch {
	case st.Snapshots == 0:
		outcome = redline.OutcomeBaseline
	case st.Extractor != doc.Extractor || st.Format != doc.Format:
		// A new extractor or parser reads the same bytes differently: store
		// the new baseline silently instead of crying wolf.
		outcome = redline.OutcomeRebaselined
	}
	rec.Capture.Outcome = outcome
	rec.Body, rec.Text, rec.Doc = res.Body, []byte(text), docJSON
	rec.Snapshot = &redline.Snapshot{
		SourceID: src.ID, CapturedAt: res.FetchedAt, URL: res.URL, FinalURL: res.FinalURL,
		ContentType: res.ContentType, Size: int64(len(res.Body)),
		BodyHash: capt.BodyHash, TextHash: capt.TextHash, DocHash: hashOf(docJSON),
		Format: doc.Format, Extractor: doc.Extractor, Outcome: outcome,
	}
	cov, covEvents, err := p.evaluate(ctx, src, st, doc, outcome)
	if err != nil {
		return Result{SourceID: src.ID}, fmt.Errorf("check %s: coverage: %w", src.ID, err)
	}
	if cov != nil {
		rec.Coverage = cov
		rec.Snapshot.CoverageHash = hashOf(cov)
	}
	rec.State.LastCoverageHash = rec.Snapshot.CoverageHash
	rec.State.LastChange = rec.Capture.At
	rec.State.LastTextHash = capt.TextHash
	rec.State.Extractor, rec.State.Format = doc.Extractor, doc.Format
	if outcome == redline.OutcomeChanged {
		ev, err := p.changeEvent(ctx, src, st, doc, text)
		if err != nil {
			return Result{SourceID: src.ID}, fmt.Errorf("check %s: %w", src.ID, err)
		}
		rec.Events = append(rec.Events, ev)
		rec.Events = append(rec.Events, covEvents...)
	}
	return p.save(ctx, log, rec, nil)
}

// RecordFailure records a check that failed outside Check, such as a panic
// caught by the scheduler.
func (p *Pipeline) RecordFailure(ctx context.Context, src redline.Source, cause error) error {
	st, err := p.store.State(ctx, src.ID)
	if err != nil {
		return fmt.Errorf("record failure of %s: read state: %w", src.ID, err)
	}
	if redline.ReasonOf(cause) == "" {
		cause = &redline.FetchError{Reason: redline.ReasonPanic, Err: cause}
	}
	rec := p.failure(src, st, p.Now(), cause)
	if err := p.store.SaveCheck(ctx, rec); err != nil {
		return fmt.Errorf("record failure of %s: %w", src.ID, err)
	}
	return nil
}

func (p *Pipeline) save(ctx context.Context, log *slog.Logger, rec *redline.CheckRecord, failure error) (Result, error) {
	r := Result{SourceID: rec.State.SourceID, Outcome: rec.Capture.Outcome, Err: failure}
	if err := p.store.SaveCheck(ctx, rec); err != nil {
		return r, fmt.Errorf("check %s: save: %w", rec.State.SourceID, err)
	}
	r.Capture, r.Snapshot, r.Events = rec.Capture, rec.Snapshot, rec.Events
	attrs := []any{"outcome", r.Outcome, "capture", rec.Capture.Seq, "status", rec.Capture.Status}
	if failure != nil {
		log.Warn("check failed", append(attrs, "reason", rec.Capture.Reason, "error", rec.Capture.Error,
			"consecutive_failures", rec.State.ConsecutiveFailures)...)
	} else {
		log.Info("check done", attrs...)
	}
	return r, nil
}

// success returns the record of a good check: failures reset, and a
// recovery event if the source was failing.
func (p *Pipeline) success(st redline.SourceState, capt redline.Capture) *redline.CheckRecord {
	next := st
	next.Status = redline.StatusOK
	next.ConsecutiveFailures = 0
	next.FailingSince = time.Time{}
	next.LastCheck, next.LastSuccess = capt.At, capt.At
	next.LastReason, next.LastError = "", ""
	next.ETag, next.LastModified = capt.ETag, capt.LastModified
	next.NextDue = p.nextDue(st.SourceID, st.NextDue)
	rec := &redline.CheckRecord{State: next, Capture: capt}
	if st.Status == redline.StatusFailing {
		rec.Events = append(rec.Events, redline.Event{
			Type: redline.EventSourceRecovered, SourceID: st.SourceID, At: capt.At,
			Summary: fmt.Sprintf("%s is reachable again after %d failed checks", st.SourceID, st.ConsecutiveFailures),
			Details: map[string]string{"failing_since": st.FailingSince.UTC().Format(time.RFC3339)},
		})
	}
	return rec
}

// failure returns the record of a failed check. The source turns failing
// after FailingAfter failures in a row, or when it had no success for its
// freshness window; the transition raises one source.failing event.
func (p *Pipeline) failure(src redline.Source, st redline.SourceState, start time.Time, cause error) *redline.CheckRecord {
	now := p.Now()
	capt := withFailure(redline.Capture{SourceID: src.ID, At: now, Duration: now.Sub(start), URL: src.URL}, cause)
	next := st
	next.SourceID = src.ID
	next.ConsecutiveFailures++
	next.LastCheck = now
	next.LastReason, next.LastError = capt.Reason, capt.Error
	next.NextDue = p.nextDue(src.ID, st.NextDue)
	threshold := max(p.FailingAfter, 1)
	stale := src.Freshness > 0 && !st.LastSuccess.IsZero() && now.Sub(st.LastSuccess) > src.Freshness
	rec := &redline.CheckRecord{State: next, Capture: capt}
	if next.ConsecutiveFailures >= threshold || stale {
		next.Status = redline.StatusFailing
		if st.Status != redline.StatusFailing {
			next.FailingSince = now
			why := fmt.Sprintf("%d failed checks in a row", next.ConsecutiveFailures)
			if stale {
				why = fmt.Sprintf("no successful check since %s", st.LastSuccess.UTC().Format(time.RFC3339))
			}
			rec.Events = append(rec.Events, redline.Event{
				Type: redline.EventSourceFailing, SourceID: src.ID, At: now,
				Summary: fmt.Sprintf("%s is failing (%s): %s", src.ID, why, capt.Error),
				Details: map[string]string{"reason": string(capt.Reason), "error": capt.Error, "url": src.URL},
			})
		}
	} else {
		next.Status = redline.StatusError
	}
	rec.State = next
	return rec
}

func (p *Pipeline) nextDue(id string, old time.Time) time.Time {
	if p.NextDue == nil {
		return old
	}
	return p.NextDue(id)
}

// changeEvent summarises what changed between the last snapshot's canonical
// text and the new one, provision by provision.
func (p *Pipeline) changeEvent(ctx context.Context, src redline.Source, st redline.SourceState, doc *redline.Document, text string) (redline.Event, error) {
	old, err := p.store.Blob(ctx, st.LastTextHash)
	if err != nil {
		return redline.Event{}, fmt.Errorf("read previous text %s: %w", st.LastTextHash, err)
	}
	d := compareCanonical(string(old), text)
	typ := redline.EventDocumentChanged
	if doc.Kind == redline.DocRegister {
		typ = redline.EventDossierChanged
	}
	return redline.Event{
		Type: typ, SourceID: src.ID, At: p.Now(),
		Summary: fmt.Sprintf("%s changed: %s", firstNonEmpty(src.Name, src.ID), d),
		Details: d.details(),
	}, nil
}

func captureOf(src redline.Source, res *redline.FetchResult, took time.Duration) redline.Capture {
	c := redline.Capture{
		SourceID: src.ID, At: res.FetchedAt, Duration: took, URL: res.URL, FinalURL: res.FinalURL,
		Status: res.Status, ETag: res.ETag, LastModified: res.LastModified, ContentType: res.ContentType,
		Size: int64(len(res.Body)), Header: keptHeaders(res),
	}
	if len(res.Body) > 0 {
		c.BodyHash = hashOf(res.Body)
	}
	return c
}

// keptHeaders picks the response headers worth citing later.
func keptHeaders(res *redline.FetchResult) map[string]string {
	keep := []string{"Content-Type", "Content-Length", "ETag", "Last-Modified", "Date", "Server",
		"X-Amzn-Waf-Action", "Cf-Mitigated", "Retry-After", "Location"}
	m := map[string]string{}
	for _, k := range keep {
		if v := res.Header.Get(k); v != "" {
			m[k] = v
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func withFailure(c redline.Capture, cause error) redline.Capture {
	c.Outcome = redline.OutcomeFailed
	c.Reason = redline.ReasonOf(cause)
	if c.Reason == "" {
		c.Reason = redline.ReasonNetwork
	}
	c.Error = cause.Error()
	var fe *redline.FetchError
	if errors.As(cause, &fe) && fe.Status != 0 && c.Status == 0 {
		c.Status = fe.Status
	}
	return c
}

// norm folds the spaces that legal texts write as U+00A0 so markers match.
func norm(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
