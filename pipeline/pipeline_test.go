package pipeline_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/pipeline"
	"github.com/redline-watch/redline/store"
)

// scriptedFetcher answers each Fetch with the next scripted response and
// remembers the requests, like a server whose answers the test controls.
type scriptedFetcher struct {
	answers []answer
	reqs    []redline.FetchRequest
}

type answer struct {
	body        string
	notModified bool
	err         error
	etag        string
}

func (f *scriptedFetcher) Fetch(ctx context.Context, req redline.FetchRequest) (*redline.FetchResult, error) {
	f.reqs = append(f.reqs, req)
	a := f.answers[0]
	f.answers = f.answers[1:]
	if a.err != nil {
		return nil, a.err
	}
	res := &redline.FetchResult{URL: req.Source.URL, FinalURL: req.Source.URL, Status: 200, Header: http.Header{},
		ContentType: "text/plain", Body: []byte(a.body), ETag: a.etag, FetchedAt: time.Unix(1700000000, 0)}
	if a.notModified {
		res.Status, res.NotModified, res.Body = 304, true, nil
	}
	return res, nil
}

// lineParser makes one provision per "path: text" line; a line "FAIL" is a parse error.
var lineParser = pipeline.ParserFunc(func(ctx context.Context, src redline.Source, res *redline.FetchResult) (*redline.Document, error) {
	doc := &redline.Document{Kind: redline.DocAct, Format: "lines", Extractor: res.Header.Get("X-Extractor")}
	for _, l := range strings.Split(string(res.Body), "\n") {
		if l == "FAIL" {
			return nil, errors.New("line 1: not a legal text")
		}
		path, text, ok := strings.Cut(l, ": ")
		if !ok {
			continue
		}
		doc.Provisions = append(doc.Provisions, redline.Provision{Path: path, Kind: redline.ProvArticle, Text: text, Parent: -1})
	}
	return doc, nil
})

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "redline.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var src = redline.Source{ID: "act", Name: "The act", URL: "http://127.0.0.1/act", Kind: redline.KindXHTML}

func TestCheckSequence(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	waf := &redline.FetchError{Reason: redline.ReasonBlocked, Status: 202, Detail: "x-amzn-waf-action: challenge"}
	f := &scriptedFetcher{answers: []answer{
		{body: "Article 1: one\nArticle 2: two", etag: `"v1"`},
		{body: "Article 1: one\nArticle 2: two", etag: `"v1b"`},                           // same text: unchanged
		{body: "Article 1: one\nArticle 2: two, amended\nArticle 3: three", etag: `"v2"`}, // changed
		{err: waf},
		{notModified: true},
		{body: "FAIL"},
	}}
	p := pipeline.New(f, st, lineParser)
	want := []struct {
		outcome redline.Outcome
		failed  bool
	}{
		{redline.OutcomeBaseline, false},
		{redline.OutcomeUnchanged, false},
		{redline.OutcomeChanged, false},
		{redline.OutcomeFailed, true},
		{redline.OutcomeNotModified, false},
		{redline.OutcomeFailed, true},
	}
	var results []pipeline.Result
	for i, w := range want {
		r, err := p.Check(ctx, src)
		if err != nil {
			t.Fatalf("check %d: %v", i, err)
		}
		if r.Outcome != w.outcome || (r.Err != nil) != w.failed {
			t.Fatalf("check %d: outcome %s err %v, want %s failed=%v", i, r.Outcome, r.Err, w.outcome, w.failed)
		}
		results = append(results, r)
	}
	// Conditional GET uses the validators of the last good capture.
	if got := f.reqs[4].ETag; got != `"v2"` {
		t.Errorf("5th request ETag = %q, want the last good one", got)
	}
	snaps, err := st.Snapshots(ctx, src.ID)
	if err != nil || len(snaps) != 2 {
		t.Fatalf("snapshots = %d, %v; want 2", len(snaps), err)
	}
	caps, _ := st.Captures(ctx, src.ID, 0)
	if len(caps) != 6 {
		t.Fatalf("captures = %d, want 6", len(caps))
	}
	if caps[2].Reason != redline.ReasonBlocked || caps[2].Status != 202 {
		t.Errorf("WAF capture = %+v", caps[2])
	}
	if caps[0].Reason != redline.ReasonParse {
		t.Errorf("parse failure capture reason = %q", caps[0].Reason)
	}
	// The body of a page that failed to parse is kept as evidence.
	if b, err := st.Blob(ctx, caps[0].BodyHash); err != nil || string(b) != "FAIL" {
		t.Errorf("parse-failure body blob = %q, %v", b, err)
	}
	evs, _ := st.Events(ctx, 0, 0)
	if len(evs) != 1 || evs[0].Type != redline.EventDocumentChanged {
		t.Fatalf("events = %+v, want one document.changed", evs)
	}
	if s := evs[0].Summary; !strings.Contains(s, "1 changed (Article 2)") || !strings.Contains(s, "1 added (Article 3)") {
		t.Errorf("summary = %q", s)
	}
	if l := results[3].Line(); !strings.Contains(l, "failed: blocked (HTTP 202)") {
		t.Errorf("line = %q", l)
	}
	state, _ := st.State(ctx, src.ID)
	if state.ConsecutiveFailures != 1 || state.Status != redline.StatusError {
		t.Errorf("state = %+v", state)
	}
}

func TestFailingAndRecovery(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	down := &redline.FetchError{Reason: redline.ReasonHTTPStatus, Status: 503}
	f := &scriptedFetcher{answers: []answer{
		{body: "Article 1: one"}, {err: down}, {err: down}, {err: down}, {err: down}, {body: "Article 1: one"},
	}}
	p := pipeline.New(f, st, lineParser)
	p.FailingAfter = 3
	for range 6 {
		if _, err := p.Check(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	evs, _ := st.Events(ctx, 0, 0)
	var types []redline.EventType
	for _, e := range evs {
		types = append(types, e.Type)
	}
	if len(types) != 2 || types[0] != redline.EventSourceFailing || types[1] != redline.EventSourceRecovered {
		t.Fatalf("events = %v, want one source.failing then one source.recovered", types)
	}
	state, _ := st.State(ctx, src.ID)
	if state.Status != redline.StatusOK || state.ConsecutiveFailures != 0 {
		t.Errorf("state after recovery = %+v", state)
	}
}

func TestFreshnessMakesFailing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fresh := src
	fresh.Freshness = 48 * time.Hour
	f := &scriptedFetcher{answers: []answer{{body: "Article 1: one"}, {err: &redline.FetchError{Reason: redline.ReasonNetwork}}}}
	p := pipeline.New(f, st, lineParser)
	p.FailingAfter = 10
	p.Now = func() time.Time { return now }
	if _, err := p.Check(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	now = now.Add(72 * time.Hour)
	r, err := p.Check(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Events) != 1 || r.Events[0].Type != redline.EventSourceFailing ||
		!strings.Contains(r.Events[0].Summary, "no successful check since") {
		t.Fatalf("events = %+v", r.Events)
	}
}

func TestExtractorChangeRebaselines(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	f := &scriptedFetcher{answers: []answer{{body: "Article 1: one"}, {body: "Article 1: 0ne"}}}
	extractor := "pdftotext 22.12.0"
	parser := pipeline.ParserFunc(func(ctx context.Context, s redline.Source, res *redline.FetchResult) (*redline.Document, error) {
		res.Header.Set("X-Extractor", extractor)
		return lineParser(ctx, s, res)
	})
	p := pipeline.New(f, st, parser)
	if _, err := p.Check(ctx, src); err != nil {
		t.Fatal(err)
	}
	extractor = "ledongthuc/pdf"
	r, err := p.Check(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != redline.OutcomeRebaselined || len(r.Events) != 0 {
		t.Fatalf("outcome %s events %v, want a silent re-baseline", r.Outcome, r.Events)
	}
}

func TestCanceledCheckIsNotRecorded(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &scriptedFetcher{answers: []answer{{err: &redline.FetchError{Reason: redline.ReasonCanceled, Err: context.Canceled}}}}
	p := pipeline.New(f, st, lineParser)
	if _, err := p.Check(ctx, src); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	caps, _ := st.Captures(context.Background(), src.ID, 0)
	if len(caps) != 0 {
		t.Fatalf("a canceled check was recorded: %+v", caps)
	}
}

func TestRecordFailure(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := pipeline.New(&scriptedFetcher{}, st, lineParser)
	if err := p.RecordFailure(ctx, src, errors.New("check panicked: boom")); err != nil {
		t.Fatal(err)
	}
	caps, _ := st.Captures(ctx, src.ID, 0)
	if len(caps) != 1 || caps[0].Reason != redline.ReasonPanic || !strings.Contains(caps[0].Error, "boom") {
		t.Fatalf("captures = %+v", caps)
	}
}

func TestMarkerCheckedOnExtractedText(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	marked := src
	marked.Marker = "2024/1689"
	f := &scriptedFetcher{answers: []answer{{body: "Article 1: Regulation (EU) 2024/1689 applies"}, {body: "Article 1: maintenance page"}}}
	p := pipeline.New(f, st, lineParser)
	if r, err := p.Check(ctx, marked); err != nil || r.Err != nil {
		t.Fatalf("check with marker: %v %v", err, r.Err)
	}
	r, err := p.Check(ctx, marked)
	if err != nil {
		t.Fatal(err)
	}
	if redline.ReasonOf(r.Err) != redline.ReasonNoMarker {
		t.Fatalf("err = %v, want no_marker", r.Err)
	}
	snaps, _ := st.Snapshots(ctx, marked.ID)
	if len(snaps) != 1 {
		t.Errorf("a page without the marker became version %d", len(snaps))
	}
}

func TestNextDueKeptInState(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	due := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	f := &scriptedFetcher{answers: []answer{{body: "Article 1: one"}, {err: &redline.FetchError{Reason: redline.ReasonNetwork}}}}
	p := pipeline.New(f, st, lineParser)
	p.NextDue = func(id string) time.Time { return due }
	for range 2 {
		if _, err := p.Check(ctx, src); err != nil {
			t.Fatal(err)
		}
		state, _ := st.State(ctx, src.ID)
		if !state.NextDue.Equal(due) {
			t.Errorf("next due = %v, want %v", state.NextDue, due)
		}
		due = due.Add(24 * time.Hour)
	}
}
