package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/crawler"
)

// robotsServer serves robots.txt with the given status and body, and
// "<html>ok</html>" for every other path.
func robotsServer(h *hits, status int, robots string) http.Handler {
	return h.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			fmt.Fprint(w, robots)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	}))
}

func TestRobots(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		robots   string
		path     string
		wantErr  bool
		wantWarn bool
	}{
		{name: "disallowed for all", status: 200, robots: "User-agent: *\nDisallow: /private\n", path: "/private/doc", wantErr: true},
		{name: "allowed path", status: 200, robots: "User-agent: *\nDisallow: /private\n", path: "/public/doc"},
		{name: "disallowed query", status: 200, robots: "User-agent: *\nDisallow: /*?uri=DOC\n", path: "/txt?uri=DOC_1", wantErr: true},
		{name: "group for our agent", status: 200, robots: "User-agent: redline-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n", path: "/doc", wantErr: true},
		{name: "group for another agent", status: 200, robots: "User-agent: otherbot\nDisallow: /\n", path: "/doc"},
		{name: "404 allows all", status: 404, robots: "not found", path: "/private/doc"},
		{name: "500 allows all but warns", status: 500, robots: "User-agent: *\nDisallow: /\n", path: "/doc", wantWarn: true},
		{name: "unparsable file allows all but warns", status: 200, robots: "User-agent: *\nCrawl-delay: soon\n", path: "/doc", wantWarn: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			e := setup(t, robotsServer(h, tt.status, tt.robots), func(o *crawler.Options) { o.RespectRobots = true })
			res, err := e.fetch(t, tt.path, nil)
			if tt.wantErr {
				wantReason(t, err, redline.ReasonRobots)
				if n := h.count(tt.path); n != 0 {
					t.Errorf("disallowed %s was requested %d times", tt.path, n)
				}
			} else if err != nil || string(res.Body) != "<html>ok</html>" {
				t.Fatalf("Fetch: %v", err)
			}
			warned := slices.ContainsFunc(e.log.records(), func(r logRecord) bool {
				return r.attrs["host"] != "" && r.level.String() == "WARN"
			})
			if warned != tt.wantWarn {
				t.Errorf("warned = %v, want %v; log: %v", warned, tt.wantWarn, e.log.records())
			}
		})
	}
}

func TestRobotsIgnoredWhenNotRespected(t *testing.T) {
	h := &hits{}
	e := setup(t, robotsServer(h, 200, "User-agent: *\nDisallow: /\n"), nil)
	if _, err := e.fetch(t, "/doc", nil); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if n := h.count("/robots.txt"); n != 0 {
		t.Errorf("robots.txt fetched %d times with RespectRobots off", n)
	}
}

func TestRobotsCachedPerHostWithTTL(t *testing.T) {
	h := &hits{}
	e := setup(t, robotsServer(h, 200, "User-agent: *\nDisallow: /private\n"), func(o *crawler.Options) { o.RespectRobots = true })
	for _, p := range []string{"/a", "/b", "/private/c"} {
		e.fetch(t, p, nil)
	}
	if n := h.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times for three fetches, want 1", n)
	}
	e.clock.Advance(11 * time.Hour)
	if _, err := e.fetch(t, "/a", nil); err != nil {
		t.Fatal(err)
	}
	if n := h.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times after 11h, want still 1", n)
	}
	e.clock.Advance(2 * time.Hour)
	if _, err := e.fetch(t, "/a", nil); err != nil {
		t.Fatal(err)
	}
	if n := h.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times after 13h, want 2", n)
	}
}

func TestRobotsFailureRetriedSoon(t *testing.T) {
	h := &hits{}
	e := setup(t, robotsServer(h, 503, ""), func(o *crawler.Options) { o.RespectRobots = true })
	e.fetch(t, "/a", nil)
	e.fetch(t, "/b", nil)
	e.clock.Advance(11 * time.Minute)
	e.fetch(t, "/c", nil)
	if n := h.count("/robots.txt"); n != 2 {
		t.Errorf("failing robots.txt fetched %d times, want once, then again after 11 minutes", n)
	}
}

func TestRobotsRedirectFollowed(t *testing.T) {
	h := &hits{}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/real-robots.txt", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/real-robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
	})
	e := setup(t, h.wrap(mux), func(o *crawler.Options) { o.RespectRobots = true })
	_, err := e.fetch(t, "/private/doc", nil)
	wantReason(t, err, redline.ReasonRobots)
}

func TestCrawlDelayRaisesHostDelay(t *testing.T) {
	h := &hits{}
	e := setup(t, robotsServer(h, 200, "User-agent: *\nCrawl-delay: 10\n"), func(o *crawler.Options) {
		o.RespectRobots = true
		o.HostDelay = 2 * time.Second
	})
	for _, p := range []string{"/a", "/b"} {
		if _, err := e.fetch(t, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	// robots.txt, 10 s, /a, 10 s, /b.
	if got, want := e.clock.Waits(), []time.Duration{10 * time.Second, 10 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	if got, want := h.paths(), []string{"/robots.txt", "/a", "/b"}; !slices.Equal(got, want) {
		t.Errorf("requests = %v, want %v", got, want)
	}
}

func TestHostDelay(t *testing.T) {
	e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>ok</html>")
	}), func(o *crawler.Options) { o.HostDelay = 5 * time.Second })
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>other</html>")
	}))
	defer other.Close()

	e.fetch(t, "/a", nil) // no wait: first request to the host
	e.fetch(t, "/b", nil) // waits 5 s
	e.clock.Advance(2 * time.Second)
	e.fetch(t, "/c", nil) // waits the remaining 3 s
	e.clock.Advance(time.Minute)
	e.fetch(t, "/d", nil) // no wait: the delay has passed
	if _, err := e.c.Fetch(t.Context(), redline.FetchRequest{Source: redline.Source{ID: "other", URL: other.URL + "/x"}}); err != nil {
		t.Fatal(err)
	} // no wait: another host
	if got, want := e.clock.Waits(), []time.Duration{5 * time.Second, 3 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestOneRequestAtATimePerHost(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	var inFlight, maxInFlight atomic.Int32
	h := &hits{}
	e := setup(t, h.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := maxInFlight.Load(); n > m && !maxInFlight.CompareAndSwap(m, n); m = maxInFlight.Load() {
		}
		if r.URL.Path == "/slow" {
			close(started)
			<-release
		}
		fmt.Fprint(w, "<html>ok</html>")
	})), nil)
	unblock := sync.OnceFunc(func() { close(release) })
	t.Cleanup(unblock) // before the server closes, should the test fail early

	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { _, errs[0] = e.fetch(t, "/slow", nil) })
	<-started
	wg.Go(func() { _, errs[1] = e.fetch(t, "/fast", nil) })
	e.log.waitFor(t, "waiting for another request to the host")
	if n := h.count("/fast"); n != 0 {
		t.Errorf("/fast was sent while /slow was in flight")
	}
	unblock()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("fetch %d: %v", i, err)
		}
	}
	if m := maxInFlight.Load(); m != 1 {
		t.Errorf("max requests in flight = %d, want 1", m)
	}
}

func TestCancelWhileWaitingForHost(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	h := &hits{}
	e := setup(t, h.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
		}
		fmt.Fprint(w, "<html>ok</html>")
	})), nil)
	unblock := sync.OnceFunc(func() { close(release) })
	t.Cleanup(unblock)
	done := make(chan error, 1)
	go func() {
		_, err := e.fetch(t, "/slow", nil)
		done <- err
	}()
	<-started
	ctx, cancel := context.WithCancel(t.Context())
	waiting := make(chan error, 1)
	go func() {
		_, err := e.fetchCtx(ctx, "/fast", nil)
		waiting <- err
	}()
	e.log.waitFor(t, "waiting for another request to the host")
	cancel()
	wantReason(t, <-waiting, redline.ReasonCanceled)
	unblock()
	if err := <-done; err != nil {
		t.Errorf("slow fetch: %v", err)
	}
	if n := h.count("/fast"); n != 0 {
		t.Errorf("canceled fetch reached the server")
	}
}

func TestRetryAfterPausesHost(t *testing.T) {
	var calls atomic.Int32
	e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/busy" && calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "30")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	}), nil)
	_, err := e.fetch(t, "/busy", nil)
	wantReason(t, err, redline.ReasonHTTPStatus)
	if _, err := e.fetch(t, "/other", nil); err != nil {
		t.Fatal(err)
	}
	if got, want := e.clock.Waits(), []time.Duration{30 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want the other fetch to wait out the host's Retry-After %v", got, want)
	}
}
