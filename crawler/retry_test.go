package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/crawler"
)

// failFirst answers the first n requests with fail and the rest with a page.
func failFirst(n int32, fail http.HandlerFunc) (http.Handler, *atomic.Int32) {
	var calls atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w, r)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	}), &calls
}

// status answers with code, optional Retry-After, and a short body.
func status(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, http.StatusText(code), code)
	}
}

// hangUp closes the connection without answering.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func TestRetries(t *testing.T) {
	// Every env's clock starts at newClock's time.
	httpDate := newClock().Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name           string
		failures       int32
		fail           http.HandlerFunc
		retries        int
		wantReason     redline.FetchReason // "" for success
		wantStatus     int
		wantRetryAfter time.Duration
		wantCalls      int32
		wantWaits      []time.Duration
		wantDetail     string
	}{
		{name: "503 retry-after seconds", failures: 1, fail: status(503, "7"), retries: 2,
			wantCalls: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "429 retry-after http date", failures: 1, fail: status(429, httpDate), retries: 1,
			wantCalls: 2, wantWaits: []time.Duration{30 * time.Second}},
		{name: "retry-after longer than the cap fails at once", failures: 5, fail: status(503, "3600"), retries: 3,
			wantReason: redline.ReasonHTTPStatus, wantStatus: 503, wantRetryAfter: time.Hour, wantCalls: 1,
			wantDetail: "HTTP 503 Service Unavailable from 127.0.0.1"},
		{name: "retries exhausted keep the last retry-after", failures: 5, fail: status(429, "1"), retries: 2,
			wantReason: redline.ReasonHTTPStatus, wantStatus: 429, wantRetryAfter: time.Second, wantCalls: 3,
			// max(Retry-After, backoff): backoff is 1 s then 2 s, jittered to 0.75 s and 1.5 s.
			wantWaits: []time.Duration{time.Second, 1500 * time.Millisecond}, wantDetail: "after 3 attempts"},
		{name: "5xx backoff doubles with jitter", failures: 3, fail: status(500, ""), retries: 3,
			wantCalls: 4, wantWaits: []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}},
		{name: "no retries", failures: 1, fail: status(502, ""), retries: 0,
			wantReason: redline.ReasonHTTPStatus, wantStatus: 502, wantCalls: 1},
		{name: "404 is not retried", failures: 1, fail: status(404, ""), retries: 3,
			wantReason: redline.ReasonHTTPStatus, wantStatus: 404, wantCalls: 1},
		{name: "network error retried", failures: 1, fail: hangUp, retries: 1,
			wantCalls: 2, wantWaits: []time.Duration{750 * time.Millisecond}},
		{name: "network error after retries", failures: 5, fail: hangUp, retries: 1,
			wantReason: redline.ReasonNetwork, wantCalls: 2, wantWaits: []time.Duration{750 * time.Millisecond},
			wantDetail: "after 2 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler, calls := failFirst(tt.failures, tt.fail)
			e := setup(t, handler, func(o *crawler.Options) { o.Retries = tt.retries })
			res, err := e.fetch(t, "/doc", nil)
			if tt.wantReason == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(res.Body) != "<html>ok</html>" {
					t.Errorf("Body = %q", res.Body)
				}
			} else {
				fe := wantReason(t, err, tt.wantReason)
				if fe.Status != tt.wantStatus || fe.RetryAfter != tt.wantRetryAfter {
					t.Errorf("Status, RetryAfter = %d, %v; want %d, %v", fe.Status, fe.RetryAfter, tt.wantStatus, tt.wantRetryAfter)
				}
				if !strings.Contains(fe.Detail, tt.wantDetail) {
					t.Errorf("Detail = %q, want it to contain %q", fe.Detail, tt.wantDetail)
				}
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", got, tt.wantCalls)
			}
			if got := e.clock.Waits(); !slices.Equal(got, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", got, tt.wantWaits)
			}
		})
	}
}

func TestBackoffIsCapped(t *testing.T) {
	handler, _ := failFirst(100, status(500, ""))
	e := setup(t, handler, func(o *crawler.Options) {
		o.Retries = 12
		o.Backoff = time.Minute
		o.Rand = func() float64 { return 0.999999 }
	})
	_, err := e.fetch(t, "/doc", nil)
	wantReason(t, err, redline.ReasonHTTPStatus)
	waits := e.clock.Waits()
	if len(waits) != 12 {
		t.Fatalf("%d waits, want 12", len(waits))
	}
	for i, w := range waits {
		if w > 5*time.Minute {
			t.Errorf("wait %d = %v, over the 5 min cap", i, w)
		}
	}
	if last := waits[len(waits)-1]; last < 4*time.Minute {
		t.Errorf("last wait = %v, want near the 5 min cap", last)
	}
}

func TestTimeoutsAndCancellation(t *testing.T) {
	// block answers only when the client goes away.
	block := func(started chan<- struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			select {
			case started <- struct{}{}:
			default:
			}
			<-r.Context().Done()
		}
	}

	t.Run("caller cancels in-flight request", func(t *testing.T) {
		started := make(chan struct{}, 1)
		e := setup(t, block(started), nil)
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-started
			cancel()
		}()
		_, err := e.fetchCtx(ctx, "/doc", nil)
		wantReason(t, err, redline.ReasonCanceled)
	})

	t.Run("caller deadline", func(t *testing.T) {
		e := setup(t, block(nil), func(o *crawler.Options) { o.Retries = 3 })
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		_, err := e.fetchCtx(ctx, "/doc", nil)
		wantReason(t, err, redline.ReasonTimeout)
		if w := e.clock.Waits(); len(w) != 0 {
			t.Errorf("retried after the caller's deadline: waits %v", w)
		}
	})

	t.Run("attempt timeout is retried", func(t *testing.T) {
		var calls atomic.Int32
		e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			block(nil)(w, r)
		}), func(o *crawler.Options) {
			o.Timeout = 30 * time.Millisecond
			o.Retries = 1
		})
		_, err := e.fetch(t, "/doc", nil)
		fe := wantReason(t, err, redline.ReasonTimeout)
		if !strings.Contains(fe.Detail, "within 30ms") {
			t.Errorf("Detail = %q", fe.Detail)
		}
		if n := calls.Load(); n != 2 {
			t.Errorf("server saw %d requests, want 2", n)
		}
	})

	t.Run("cancel during backoff", func(t *testing.T) {
		seen := make(chan struct{}, 1)
		e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusInternalServerError)
			seen <- struct{}{}
		}), func(o *crawler.Options) {
			o.Retries = 1
			o.Backoff = time.Hour
			o.Wait = nil // the real timer: canceling must cut the hour short
		})
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-seen
			cancel()
		}()
		_, err := e.fetchCtx(ctx, "/doc", nil)
		wantReason(t, err, redline.ReasonCanceled)
	})
}
