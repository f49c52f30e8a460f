package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/redline-watch/redline"
)

// response is one HTTP exchange as the server sent it: no redirect followed,
// no byte changed.
type response struct {
	url    *url.URL
	status int
	// header is the complete response header, Content-Type included.
	header http.Header
	body   []byte
	// attempts is how many tries it took to get this response.
	attempts int
}

// rawTransport sits between colly and the real transport for one exchange.
type rawTransport struct {
	next  http.RoundTripper
	limit int64
	// header and contentLength are the response's, before colly sees them.
	header        http.Header
	contentLength int64
}

// errTooLarge reports a Content-Length over the cap, found before the body is read.
type errTooLarge struct{ length, limit int64 }

func (e *errTooLarge) Error() string {
	return fmt.Sprintf("Content-Length %d is over the cap of %d bytes", e.length, e.limit)
}

// RoundTrip implements http.RoundTripper.
func (t *rawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.header = resp.Header.Clone()
	t.contentLength = resp.ContentLength
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, &errTooLarge{length: resp.ContentLength, limit: t.limit}
	}
	// colly transcodes a body whose Content-Type names a non-UTF-8 charset
	// (a PDF labelled "charset=iso-8859-1" comes back mangled) and gunzips one
	// whose Content-Type mentions gzip. Hidden from colly, the header cannot
	// trigger either; the caller gets the original from t.header.
	resp.Header.Del("Content-Type")
	return resp, nil
}

// newCollector returns a collector for one exchange under ctx. NewCollector
// applies COLLY_* environment variables after its options, so every setting
// redline relies on is assigned afterwards and the environment cannot change it.
func (c *Crawler) newCollector(ctx context.Context, rt http.RoundTripper, jar http.CookieJar, limit int64) *colly.Collector {
	col := colly.NewCollector()
	col.UserAgent = c.opts.UserAgent
	col.Headers = nil
	col.MaxDepth = 0
	col.MaxRequests = 0
	col.AllowedDomains = nil
	col.DisallowedDomains = nil
	col.URLFilters = nil
	col.DisallowedURLFilters = nil
	col.CacheDir = ""
	col.TraceHTTP = false
	col.CheckHead = false
	col.Async = false
	// The Crawler reads robots.txt itself: colly's fetch ignores the context
	// and the politeness gate, and its cache lives only as long as the collector.
	col.IgnoreRobotsTxt = true
	col.DetectCharset = false
	col.ParseHTTPErrorResponse = true
	col.AllowURLRevisit = true
	// One byte past the cap tells a body at the cap from a longer one,
	// which colly would otherwise cut silently.
	col.MaxBodySize = int(limit + 1)
	col.Context = ctx
	col.SetCookieJar(jar)
	col.WithTransport(rt)
	// The attempt's context bounds the exchange, body included.
	col.SetRequestTimeout(0)
	// Redirects are followed by Fetch, one gated and robots-checked hop at a time.
	col.SetRedirectHandler(func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse })
	return col
}

// get performs one GET of u and reads at most limit bytes of body. A failure
// is a *redline.FetchError.
func (c *Crawler) get(ctx context.Context, u *url.URL, hdr http.Header, jar http.CookieJar, limit int64) (*response, error) {
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	rt := &rawTransport{next: c.opts.Transport, limit: limit}
	col := c.newCollector(actx, rt, jar, limit)
	var got *colly.Response
	col.OnResponse(func(r *colly.Response) { got = r })

	err := col.Request(http.MethodGet, u.String(), nil, nil, hdr.Clone())
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = logURL(u) // the error may end up in logs: no query string
	}
	var tooLarge *errTooLarge
	switch {
	case ctx.Err() != nil:
		return nil, ctxFail(ctx, "fetching "+logURL(u))
	case err != nil && errors.Is(actx.Err(), context.DeadlineExceeded):
		return nil, &redline.FetchError{Reason: redline.ReasonTimeout,
			Detail: fmt.Sprintf("no complete answer from %s within %s", logURL(u), c.opts.Timeout), Err: err}
	case errors.As(err, &tooLarge):
		return nil, &redline.FetchError{Reason: redline.ReasonTooLarge,
			Detail: fmt.Sprintf("%s announced %d bytes, over the cap of %d", logURL(u), tooLarge.length, limit)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &redline.FetchError{Reason: redline.ReasonTruncated,
			Detail: fmt.Sprintf("connection closed before the %d bytes announced by Content-Length arrived", rt.contentLength), Err: err}
	case err != nil:
		return nil, &redline.FetchError{Reason: redline.ReasonNetwork,
			Detail: "request to " + logURL(u) + " failed", Err: err}
	case got == nil:
		return nil, &redline.FetchError{Reason: redline.ReasonNetwork, Detail: "no response from " + logURL(u)}
	}

	n := int64(len(got.Body))
	if n > limit {
		return nil, &redline.FetchError{Reason: redline.ReasonTooLarge, Status: got.StatusCode,
			Detail: fmt.Sprintf("body from %s is over the cap of %d bytes", logURL(u), limit)}
	}
	if rt.contentLength > 0 && n < rt.contentLength {
		return nil, &redline.FetchError{Reason: redline.ReasonTruncated, Status: got.StatusCode,
			Detail: fmt.Sprintf("got %d of the %d bytes announced by Content-Length", n, rt.contentLength)}
	}
	return &response{url: u, status: got.StatusCode, header: rt.header, body: got.Body}, nil
}

// ctxFail turns the end of ctx into a FetchError saying what was interrupted.
func ctxFail(ctx context.Context, doing string) *redline.FetchError {
	reason := redline.ReasonTimeout
	if errors.Is(ctx.Err(), context.Canceled) {
		reason = redline.ReasonCanceled
	}
	return &redline.FetchError{Reason: reason, Detail: "interrupted while " + doing, Err: ctx.Err()}
}

// fetchURL gets u through the host gate, retrying network errors, timeouts,
// truncated bodies, 429 and 5xx answers with backoff.
func (c *Crawler) fetchURL(ctx context.Context, log *slog.Logger, u *url.URL, hdr http.Header, jar http.CookieJar) (*response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := c.hop(ctx, log, u, hdr, jar)
		last := attempt > c.opts.Retries
		var pause time.Duration
		var why string
		if err != nil {
			var fe *redline.FetchError
			if !errors.As(err, &fe) || !retryable(fe.Reason) || ctx.Err() != nil || last {
				if fe != nil && attempt > 1 {
					fe.Detail += fmt.Sprintf(" (after %d attempts)", attempt)
				}
				return nil, err
			}
			pause, why = c.backoff(attempt), string(fe.Reason)
		} else {
			resp.attempts = attempt
			if last || !retryableStatus(resp) {
				return resp, nil
			}
			ra, _ := retryAfter(resp.header, c.opts.Now())
			if ra > c.opts.MaxRetryAfter {
				return resp, nil
			}
			pause, why = max(ra, c.backoff(attempt)), fmt.Sprintf("HTTP %d", resp.status)
		}
		log.Info("retrying fetch", "url", logURL(u), "attempt", attempt, "reason", why, "wait", pause)
		if err := c.opts.Wait(ctx, pause); err != nil {
			return nil, ctxFail(ctx, "waiting to retry "+logURL(u))
		}
	}
}

// retryable reports whether another attempt may succeed after a failure.
func retryable(r redline.FetchReason) bool {
	return r == redline.ReasonNetwork || r == redline.ReasonTimeout || r == redline.ReasonTruncated
}

// retryableStatus reports whether resp is a transient server answer worth
// another attempt; a WAF answer is not, whatever its status.
func retryableStatus(resp *response) bool {
	return (resp.status == http.StatusTooManyRequests || resp.status >= 500) && blocked(resp) == nil
}

// maxBackoff caps the exponential growth of retry waits.
const maxBackoff = 5 * time.Minute

// backoff returns the wait before retry number n (from 1): Backoff doubled
// n-1 times, capped, then jittered into [d/2, d).
func (c *Crawler) backoff(n int) time.Duration {
	d := c.opts.Backoff
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return d/2 + time.Duration(c.opts.Rand()*float64(d/2))
}

// retryAfter parses the Retry-After header of a 429 or 503 answer: seconds
// or an HTTP date. A date in the past gives zero.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return time.Duration(min(secs, maxRetryAfterSeconds)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// maxRetryAfterSeconds keeps a huge Retry-After from overflowing a Duration.
const maxRetryAfterSeconds = 100 * 365 * 24 * 3600
