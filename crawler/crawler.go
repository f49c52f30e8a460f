// Package crawler fetches watched sources over HTTP with colly and implements
// redline.Fetcher: it sends conditional requests, obeys robots.txt and a
// per-host politeness gate, retries transient failures, and turns block pages,
// truncated or oversized bodies and wrong-type answers into a
// *redline.FetchError so that they never reach the parser.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/redline-watch/redline"
)

// Defaults used when an Options field is zero.
const (
	DefaultTimeout       = time.Minute
	DefaultMaxBodySize   = 64 << 20
	DefaultMaxRetryAfter = 2 * time.Minute
	DefaultBackoff       = time.Second
)

// maxRedirects is how many redirects (and 300 choices) one Fetch follows,
// the same limit as net/http's client.
const maxRedirects = 10

// Options configures a Crawler. Zero values take the defaults named on each
// field. The functions are called from concurrent fetches and must be safe
// for concurrent use.
type Options struct {
	// UserAgent is sent with every request, robots.txt included, whatever a
	// source's headers say. It is required and should be honest: name redline
	// and a contact URL, so that site operators can reach the campaigners.
	UserAgent string
	// Timeout bounds one attempt, from sending the request to reading the last
	// byte of the body; DefaultTimeout if zero.
	Timeout time.Duration
	// MaxBodySize caps a body in bytes; a larger body fails with
	// redline.ReasonTooLarge instead of being cut short. DefaultMaxBodySize if zero.
	MaxBodySize int64
	// HostDelay is the least time between the end of one request to a host
	// and the start of the next; a robots.txt Crawl-delay raises it.
	HostDelay time.Duration
	// RespectRobots makes the crawler fetch each host's robots.txt (cached
	// for 12 hours) and refuse disallowed URLs with redline.ReasonRobots.
	RespectRobots bool
	// Retries is how many extra attempts a request gets after a network
	// error, a timeout, a truncated body, a 429 or a 5xx.
	Retries int
	// Backoff is the wait before the first retry; it doubles for each
	// further retry and gets jitter. DefaultBackoff if zero.
	Backoff time.Duration
	// MaxRetryAfter is the longest Retry-After the crawler waits for within
	// one Fetch; a longer one ends the fetch with FetchError.RetryAfter set.
	// DefaultMaxRetryAfter if zero.
	MaxRetryAfter time.Duration
	// ShrinkRatio makes a body shorter than ShrinkRatio times the last good
	// capture's size fail with redline.ReasonShrunk; zero disables the check.
	ShrinkRatio float64
	// Transport carries the requests; nil means a clone of http.DefaultTransport.
	Transport http.RoundTripper
	// Logger receives the crawler's log lines; nil discards them.
	Logger *slog.Logger
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Wait pauses for d or until ctx is done, returning ctx's error in the
	// latter case; nil means a timer. Tests inject it to observe delays.
	Wait func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for jitter; nil means math/rand/v2.
	Rand func() float64
}

// Crawler fetches sources. It is safe for concurrent use; requests to one host
// are made one at a time, HostDelay apart.
type Crawler struct {
	opts Options
	log  *slog.Logger

	mu    sync.Mutex
	hosts map[string]*host
}

// New checks opts, fills in defaults and returns a Crawler.
func New(opts Options) (*Crawler, error) {
	if strings.TrimSpace(opts.UserAgent) == "" {
		return nil, errors.New("crawler option UserAgent: required (name redline and a contact URL)")
	}
	if !httpguts.ValidHeaderFieldValue(opts.UserAgent) {
		return nil, fmt.Errorf("crawler option UserAgent %q: not a valid header value", opts.UserAgent)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"Timeout", opts.Timeout}, {"HostDelay", opts.HostDelay}, {"Backoff", opts.Backoff}, {"MaxRetryAfter", opts.MaxRetryAfter}} {
		if d.v < 0 {
			return nil, fmt.Errorf("crawler option %s: negative duration %s", d.name, d.v)
		}
	}
	// colly keeps the size cap in an int and reads one byte past it.
	if opts.MaxBodySize < 0 || opts.MaxBodySize >= math.MaxInt {
		return nil, fmt.Errorf("crawler option MaxBodySize: %d is out of range", opts.MaxBodySize)
	}
	if opts.Retries < 0 {
		return nil, fmt.Errorf("crawler option Retries: negative count %d", opts.Retries)
	}
	if opts.ShrinkRatio < 0 || opts.ShrinkRatio >= 1 || math.IsNaN(opts.ShrinkRatio) {
		return nil, fmt.Errorf("crawler option ShrinkRatio: %v is not in [0, 1)", opts.ShrinkRatio)
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBodySize == 0 {
		opts.MaxBodySize = DefaultMaxBodySize
	}
	if opts.MaxRetryAfter == 0 {
		opts.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if opts.Backoff == 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Wait == nil {
		opts.Wait = wait
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	return &Crawler{opts: opts, log: opts.Logger, hosts: make(map[string]*host)}, nil
}

// wait is the default Options.Wait.
func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fetch gets the current body of req.Source. It follows redirects and Cellar's
// 300 Multiple Choices, and returns a result only for a complete body that
// passed the block-page guard, or for a 304 answer (NotModified set); every
// other outcome is a *redline.FetchError.
func (c *Crawler) Fetch(ctx context.Context, req redline.FetchRequest) (*redline.FetchResult, error) {
	start := c.opts.Now()
	src := req.Source
	log := c.log.With("source_id", src.ID)

	u, err := url.Parse(src.URL)
	if err != nil {
		return nil, &redline.FetchError{Reason: redline.ReasonUnsupported, Detail: fmt.Sprintf("URL %q of %s does not parse", src.URL, src), Err: err}
	}
	if fe := checkScheme(u); fe != nil {
		return nil, fe
	}
	hdr, fe := c.header(req)
	if fe != nil {
		return nil, fe
	}
	// One jar per fetch keeps session cookies set by a redirect for the next
	// hop without carrying them over to the next poll.
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("create cookie jar: %w", err)
	}

	var resp *response
	for hops := 0; ; hops++ {
		resp, err = c.fetchURL(ctx, log, u, hdr, jar)
		if err != nil {
			return nil, err
		}
		if fe := blocked(resp); fe != nil {
			return nil, fe
		}
		next, fe := nextURL(resp)
		if fe != nil {
			return nil, fe
		}
		if next == nil {
			break
		}
		if hops == maxRedirects {
			return nil, &redline.FetchError{Reason: redline.ReasonHTTPStatus, Status: resp.status,
				Detail: fmt.Sprintf("more than %d redirects; the last pointed to %s", maxRedirects, logURL(next))}
		}
		log.Debug("following redirect", "status", resp.status, "from", logURL(u), "to", logURL(next))
		u = next
	}

	fetchedAt := c.opts.Now()
	res, fe := c.result(req, resp)
	if fe != nil {
		return nil, fe
	}
	res.FetchedAt = fetchedAt
	res.Duration = fetchedAt.Sub(start)
	log.Debug("fetched", "url", logURL(resp.url), "status", res.Status, "bytes", len(res.Body),
		"not_modified", res.NotModified, "duration", res.Duration)
	return res, nil
}

// checkScheme refuses URLs the crawler cannot or must not fetch.
func checkScheme(u *url.URL) *redline.FetchError {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &redline.FetchError{Reason: redline.ReasonUnsupported,
			Detail: fmt.Sprintf("URL %q is not an http or https URL with a host", u.Redacted())}
	}
	return nil
}

// header builds the request header of req: the source's headers, then ours,
// which win.
func (c *Crawler) header(req redline.FetchRequest) (http.Header, *redline.FetchError) {
	hdr := make(http.Header, len(req.Source.Headers)+3)
	for k, v := range req.Source.Headers {
		if !httpguts.ValidHeaderFieldName(k) || !httpguts.ValidHeaderFieldValue(v) {
			return nil, &redline.FetchError{Reason: redline.ReasonUnsupported,
				Detail: fmt.Sprintf("header %q of %s is not a valid HTTP header", k, req.Source)}
		}
		hdr.Set(k, v)
	}
	// Left to the transport, compression is negotiated and undone before the
	// size cap applies; asked for explicitly, colly would gunzip after the cap.
	hdr.Del("Accept-Encoding")
	hdr.Set("User-Agent", c.opts.UserAgent)
	if req.ETag != "" {
		hdr.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hdr.Set("If-Modified-Since", req.LastModified)
	}
	return hdr, nil
}

// logURL names u in logs and details: host and path, never the query.
func logURL(u *url.URL) string {
	return u.Host + u.EscapedPath()
}
