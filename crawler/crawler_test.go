package crawler_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/crawler"
)

const testUA = "redline-test/1.0 (+https://example.org/redline)"

// fakeClock is the crawler's clock in tests: Wait records the duration and
// moves the clock on instead of sleeping.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) Wait(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// logRecord is one captured log line with all its attributes as strings.
type logRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// logSink captures log records and announces each message on seen.
type logSink struct {
	mu   sync.Mutex
	recs []logRecord
	seen chan string
}

func (s *logSink) records() []logRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recs)
}

// waitFor blocks until a record with msg has been logged.
func (s *logSink) waitFor(t *testing.T, msg string) {
	t.Helper()
	// A guard, not a delay: the message normally comes within milliseconds.
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		select {
		case m := <-s.seen:
			if m == msg {
				return
			}
		case <-timeout.C:
			t.Fatalf("no log line %q within a minute", msg)
		}
	}
}

type sinkHandler struct {
	sink  *logSink
	attrs []slog.Attr
}

func (h sinkHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h sinkHandler) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: map[string]string{}}
	for _, a := range h.attrs {
		rec.attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		rec.attrs[a.Key] = a.Value.String()
		return true
	})
	h.sink.mu.Lock()
	h.sink.recs = append(h.sink.recs, rec)
	h.sink.mu.Unlock()
	select {
	case h.sink.seen <- r.Message:
	default:
	}
	return nil
}

func (h sinkHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return sinkHandler{sink: h.sink, attrs: append(slices.Clone(h.attrs), attrs...)}
}

func (h sinkHandler) WithGroup(string) slog.Handler { return h }

// env is one test's crawler, server, clock and log.
type env struct {
	c     *crawler.Crawler
	srv   *httptest.Server
	clock *fakeClock
	log   *logSink
	opts  crawler.Options
}

// setup starts a server with handler and a crawler talking to it. Every log
// line the crawler writes during the test must carry source_id.
func setup(t *testing.T, handler http.Handler, mod func(*crawler.Options)) *env {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return setupWith(t, srv, mod)
}

func setupWith(t *testing.T, srv *httptest.Server, mod func(*crawler.Options)) *env {
	t.Helper()
	e := &env{srv: srv, clock: newClock(), log: &logSink{seen: make(chan string, 256)}}
	e.opts = crawler.Options{
		UserAgent: testUA,
		Transport: srv.Client().Transport,
		Logger:    slog.New(sinkHandler{sink: e.log}),
		Now:       e.clock.Now,
		Wait:      e.clock.Wait,
		Rand:      func() float64 { return 0.5 },
	}
	if mod != nil {
		mod(&e.opts)
	}
	c, err := crawler.New(e.opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.c = c
	t.Cleanup(func() {
		for _, r := range e.log.records() {
			if r.attrs["source_id"] == "" {
				t.Errorf("log line %q has no source_id: %v", r.msg, r.attrs)
			}
		}
	})
	return e
}

// fetch fetches path from the env's server as source "test-source" of kind html.
func (e *env) fetch(t *testing.T, path string, mod func(*redline.FetchRequest)) (*redline.FetchResult, error) {
	t.Helper()
	return e.fetchCtx(t.Context(), path, mod)
}

func (e *env) fetchCtx(ctx context.Context, path string, mod func(*redline.FetchRequest)) (*redline.FetchResult, error) {
	req := redline.FetchRequest{Source: redline.Source{ID: "test-source", URL: e.srv.URL + path, Kind: redline.KindHTML}}
	if mod != nil {
		mod(&req)
	}
	return e.c.Fetch(ctx, req)
}

// wantReason fails unless err is a *redline.FetchError with reason want.
func wantReason(t *testing.T, err error, want redline.FetchReason) *redline.FetchError {
	t.Helper()
	var fe *redline.FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v (%T), want a *redline.FetchError with reason %q", err, err, want)
	}
	if fe.Reason != want {
		t.Fatalf("reason = %q, want %q (error: %v)", fe.Reason, want, err)
	}
	return fe
}

// hits records the requests a server saw.
type hits struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (h *hits) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.reqs = append(h.reqs, r.Clone(context.Background()))
		h.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (h *hits) requests() []*http.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.reqs)
}

func (h *hits) paths() []string {
	var p []string
	for _, r := range h.requests() {
		p = append(p, r.URL.RequestURI())
	}
	return p
}

func (h *hits) count(path string) int {
	n := 0
	for _, p := range h.paths() {
		if p == path {
			n++
		}
	}
	return n
}

func TestFetchFillsResult(t *testing.T) {
	var e *env
	e = setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.clock.Advance(3 * time.Second)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")
		fmt.Fprint(w, "<html><p>Article 5</p></html>")
	}), nil)
	t0 := e.clock.Now()

	res, err := e.fetch(t, "/doc", nil)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	want := redline.FetchResult{
		URL:          e.srv.URL + "/doc",
		FinalURL:     e.srv.URL + "/doc",
		Status:       200,
		ContentType:  "text/html",
		Body:         []byte("<html><p>Article 5</p></html>"),
		ETag:         `"v1"`,
		LastModified: "Mon, 02 Nov 2026 10:00:00 GMT",
		FetchedAt:    t0.Add(3 * time.Second),
		Duration:     3 * time.Second,
	}
	if res.URL != want.URL || res.FinalURL != want.FinalURL || res.Status != want.Status ||
		res.ContentType != want.ContentType || !bytes.Equal(res.Body, want.Body) || res.ETag != want.ETag ||
		res.LastModified != want.LastModified || !res.FetchedAt.Equal(want.FetchedAt) ||
		res.Duration != want.Duration || res.NotModified {
		t.Errorf("result = %+v\nwant     %+v", *res, want)
	}
	if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Header Content-Type = %q, want the server's", got)
	}
}

func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"abc"`, "Mon, 02 Nov 2026 10:00:00 GMT"
	tests := []struct {
		name             string
		etag, lastMod    string
		serverETag       bool
		wantNotModified  bool
		wantETag, wantLM string
	}{
		{name: "etag matches", etag: etag, serverETag: true, wantNotModified: true, wantETag: etag},
		{name: "304 without validators keeps the sent ones", etag: etag, lastMod: lastMod, wantNotModified: true, wantETag: etag, wantLM: lastMod},
		{name: "if-modified-since", lastMod: lastMod, wantNotModified: true, wantLM: lastMod},
		{name: "no validators", wantETag: etag, wantLM: lastMod},
		{name: "stale etag", etag: `"old"`, wantETag: etag, wantLM: lastMod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("If-None-Match") == etag || (r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == lastMod) {
					if tt.serverETag {
						w.Header().Set("ETag", etag)
					}
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("ETag", etag)
				w.Header().Set("Last-Modified", lastMod)
				fmt.Fprint(w, "<html>text</html>")
			}), nil)
			res, err := e.fetch(t, "/doc", func(r *redline.FetchRequest) { r.ETag, r.LastModified = tt.etag, tt.lastMod })
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if res.NotModified != tt.wantNotModified {
				t.Errorf("NotModified = %v, want %v", res.NotModified, tt.wantNotModified)
			}
			if tt.wantNotModified && (res.Status != 304 || len(res.Body) != 0) {
				t.Errorf("304 result: Status %d, %d body bytes", res.Status, len(res.Body))
			}
			if !tt.wantNotModified && string(res.Body) != "<html>text</html>" {
				t.Errorf("Body = %q", res.Body)
			}
			if res.ETag != tt.wantETag || res.LastModified != tt.wantLM {
				t.Errorf("validators = %q, %q; want %q, %q", res.ETag, res.LastModified, tt.wantETag, tt.wantLM)
			}
		})
	}
}

func TestHeadersSent(t *testing.T) {
	h := &hits{}
	e := setup(t, h.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>ok</html>")
	})), func(o *crawler.Options) { o.RespectRobots = true })
	_, err := e.fetch(t, "/doc", func(r *redline.FetchRequest) {
		r.Source.Headers = map[string]string{
			"Accept":          "application/xhtml+xml",
			"Accept-Language": "eng",
			"User-Agent":      "Mozilla/5.0 (pretending)",
		}
	})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	reqs := h.requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want robots.txt and /doc", len(reqs))
	}
	for _, r := range reqs {
		if got := r.Header.Get("User-Agent"); got != testUA {
			t.Errorf("%s: User-Agent = %q, want %q", r.URL.Path, got, testUA)
		}
	}
	doc := reqs[1]
	if doc.Header.Get("Accept") != "application/xhtml+xml" || doc.Header.Get("Accept-Language") != "eng" {
		t.Errorf("source headers not sent: %v", doc.Header)
	}
}

func TestUnsupported(t *testing.T) {
	c, err := crawler.New(crawler.Options{UserAgent: testUA})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		url     string
		headers map[string]string
	}{
		{name: "ftp", url: "ftp://example.org/file.pdf"},
		{name: "file", url: "file:///etc/passwd"},
		{name: "mailto", url: "mailto:someone@example.org"},
		{name: "no host", url: "http:///path"},
		{name: "unparsable", url: "http://exa mple.org/%zz"},
		{name: "bad header name", url: "https://example.org/", headers: map[string]string{"Bad Header": "x"}},
		{name: "bad header value", url: "https://example.org/", headers: map[string]string{"Accept": "a\r\nInjected: yes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Fetch(t.Context(), redline.FetchRequest{Source: redline.Source{ID: "s", URL: tt.url, Headers: tt.headers}})
			wantReason(t, err, redline.ReasonUnsupported)
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*crawler.Options)
		want string
	}{
		{name: "no user agent", mod: func(o *crawler.Options) { o.UserAgent = " " }, want: "UserAgent"},
		{name: "user agent with newline", mod: func(o *crawler.Options) { o.UserAgent = "redline\nX: y" }, want: "UserAgent"},
		{name: "negative timeout", mod: func(o *crawler.Options) { o.Timeout = -time.Second }, want: "Timeout"},
		{name: "negative delay", mod: func(o *crawler.Options) { o.HostDelay = -time.Second }, want: "HostDelay"},
		{name: "negative retries", mod: func(o *crawler.Options) { o.Retries = -1 }, want: "Retries"},
		{name: "negative body size", mod: func(o *crawler.Options) { o.MaxBodySize = -1 }, want: "MaxBodySize"},
		{name: "shrink ratio 1", mod: func(o *crawler.Options) { o.ShrinkRatio = 1 }, want: "ShrinkRatio"},
		{name: "negative shrink ratio", mod: func(o *crawler.Options) { o.ShrinkRatio = -0.1 }, want: "ShrinkRatio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := crawler.Options{UserAgent: testUA}
			tt.mod(&o)
			_, err := crawler.New(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: error %v, want one naming %s", err, tt.want)
			}
		})
	}
	if _, err := crawler.New(crawler.Options{UserAgent: testUA}); err != nil {
		t.Errorf("New with only a user agent: %v", err)
	}
}

// TestCollyEnvironmentIgnored sets every COLLY_* variable that could change
// behaviour; the crawler must behave as configured.
func TestCollyEnvironmentIgnored(t *testing.T) {
	cacheDir := t.TempDir()
	for k, v := range map[string]string{
		"COLLY_MAX_BODY_SIZE":             "10",
		"COLLY_USER_AGENT":                "evil-bot",
		"COLLY_DETECT_CHARSET":            "yes",
		"COLLY_FOLLOW_REDIRECTS":          "no",
		"COLLY_CACHE_DIR":                 cacheDir,
		"COLLY_DISABLE_COOKIES":           "yes",
		"COLLY_ALLOWED_DOMAINS":           "example.org",
		"COLLY_MAX_REQUESTS":              "1",
		"COLLY_PARSE_HTTP_ERROR_RESPONSE": "no",
		"COLLY_IGNORE_ROBOTSTXT":          "no",
	} {
		t.Setenv(k, v)
	}
	latin1 := []byte("<html><p>Caf\xe9 cr\xe8me \xa0 \xff</p></html>")
	h := &hits{}
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "1"})
		http.Redirect(w, r, "/doc", http.StatusFound)
	})
	mux.HandleFunc("/doc", func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("session"); err != nil {
			http.Error(w, "no session", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Write(latin1)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	e := setup(t, h.wrap(mux), nil)

	for i := range 2 {
		res, err := e.fetch(t, "/start", nil)
		if err != nil {
			t.Fatalf("fetch %d: %v", i, err)
		}
		if !bytes.Equal(res.Body, latin1) {
			t.Errorf("fetch %d: body %q, want %q", i, res.Body, latin1)
		}
	}
	_, err := e.fetch(t, "/gone", nil)
	wantReason(t, err, redline.ReasonHTTPStatus)
	for _, r := range h.requests() {
		if ua := r.Header.Get("User-Agent"); ua != testUA {
			t.Errorf("User-Agent = %q", ua)
		}
	}
	if entries, _ := os.ReadDir(cacheDir); len(entries) != 0 {
		t.Errorf("COLLY_CACHE_DIR was used: %d entries", len(entries))
	}
}

func TestLogsOmitQuery(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/doc?token=secret", http.StatusFound)
	})
	var failed atomic.Bool
	mux.HandleFunc("/doc", func(w http.ResponseWriter, r *http.Request) {
		if !failed.Swap(true) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	})
	mux.HandleFunc("/hangup", hangUp)
	e := setup(t, mux, func(o *crawler.Options) { o.Retries = 1 })
	if _, err := e.fetch(t, "/start?token=secret", nil); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	_, err := e.fetch(t, "/hangup?token=secret", nil)
	wantReason(t, err, redline.ReasonNetwork)
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the query: %v", err)
	}
	recs := e.log.records()
	if len(recs) == 0 {
		t.Fatal("no log lines; want at least the retry")
	}
	for _, r := range recs {
		for k, v := range r.attrs {
			if strings.Contains(v, "secret") {
				t.Errorf("log line %q: %s=%q shows the query", r.msg, k, v)
			}
		}
	}
}

func corpusDir(t testing.TB) string { return corpus.Dir(t) }
