package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/redline-watch/redline"
)

// How long robots.txt answers are trusted: a good or missing file for
// robotsTTL, an unreachable or failing one only for robotsRetryTTL so that
// the real rules are picked up soon.
const (
	robotsTTL      = 12 * time.Hour
	robotsRetryTTL = 10 * time.Minute
	// robotsMaxSize is the most of a robots.txt read, as Google does.
	robotsMaxSize = 500 << 10
	// robotsMaxRedirects is how many redirects a robots.txt fetch follows.
	robotsMaxRedirects = 5
)

// host is the politeness state of one host (with port). Holding slot grants
// the right to send the next request and to read and write the other fields.
type host struct {
	name string
	slot chan struct{}
	// next is the earliest start of the next request.
	next time.Time
	// robots is nil when every path is allowed; robotsUntil is when it goes stale.
	robots      *robotstxt.RobotsData
	robotsUntil time.Time
}

// host returns the state of the named host, creating it on first use.
func (c *Crawler) host(name string) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[name]
	if h == nil {
		h = &host{name: name, slot: make(chan struct{}, 1)}
		c.hosts[name] = h
	}
	return h
}

// take waits for h's slot and then for its delay; colly's own LimitRule
// sleeps without looking at the context, this gate does not.
func (c *Crawler) take(ctx context.Context, log *slog.Logger, h *host) error {
	select {
	case h.slot <- struct{}{}:
	default:
		log.Debug("waiting for another request to the host", "host", h.name)
		select {
		case h.slot <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := c.waitUntil(ctx, h.next); err != nil {
		<-h.slot
		return err
	}
	return nil
}

// waitUntil waits until t by the crawler's clock.
func (c *Crawler) waitUntil(ctx context.Context, t time.Time) error {
	if d := t.Sub(c.opts.Now()); d > 0 {
		return c.opts.Wait(ctx, d)
	}
	return nil
}

// done records the end of a request to h: the next may start after the host
// delay, or after pause if the server asked for a longer one.
func (c *Crawler) done(h *host, pause time.Duration) {
	d := c.opts.HostDelay
	if h.robots != nil {
		d = max(d, h.robots.FindGroup(c.opts.UserAgent).CrawlDelay)
	}
	h.next = c.opts.Now().Add(max(d, pause))
}

// hop makes one request to u through its host's gate, after checking robots.txt.
func (c *Crawler) hop(ctx context.Context, log *slog.Logger, u *url.URL, hdr http.Header, jar http.CookieJar) (*response, error) {
	h := c.host(strings.ToLower(u.Host))
	if err := c.take(ctx, log, h); err != nil {
		return nil, ctxFail(ctx, "waiting for the turn of host "+h.name)
	}
	defer func() { <-h.slot }()
	if c.opts.RespectRobots {
		if err := c.checkRobots(ctx, log, h, u); err != nil {
			return nil, err
		}
	}
	resp, err := c.get(ctx, u, hdr, jar, c.opts.MaxBodySize)
	var pause time.Duration
	if err == nil && (resp.status == http.StatusTooManyRequests || resp.status == http.StatusServiceUnavailable) {
		// The whole host backs off, not just this fetch.
		ra, _ := retryAfter(resp.header, c.opts.Now())
		pause = min(ra, c.opts.MaxRetryAfter)
	}
	c.done(h, pause)
	return resp, err
}

// checkRobots refuses u if h's robots.txt disallows it for our user agent,
// loading the file first when the cached copy is stale. The caller holds h's slot.
func (c *Crawler) checkRobots(ctx context.Context, log *slog.Logger, h *host, u *url.URL) error {
	if !c.opts.Now().Before(h.robotsUntil) {
		if err := c.loadRobots(ctx, log, h, u); err != nil {
			return err
		}
		if err := c.waitUntil(ctx, h.next); err != nil {
			return ctxFail(ctx, "waiting for the turn of host "+h.name)
		}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if h.robots != nil && !h.robots.TestAgent(path, c.opts.UserAgent) {
		return &redline.FetchError{Reason: redline.ReasonRobots,
			Detail: fmt.Sprintf("robots.txt of %s disallows %s for our user agent", h.name, u.EscapedPath())}
	}
	return nil
}

// loadRobots fetches and parses h's robots.txt. Only the end of ctx is an
// error: a missing file allows everything, and an unreachable, failing or
// unparsable one is logged and treated as allowing everything for a while.
func (c *Crawler) loadRobots(ctx context.Context, log *slog.Logger, h *host, u *url.URL) error {
	// Deferred so that the delay after this request already honours the
	// file's Crawl-delay.
	defer c.done(h, 0)
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	hdr := http.Header{"User-Agent": {c.opts.UserAgent}}
	var resp *response
	var err error
	for range robotsMaxRedirects + 1 {
		resp, err = c.get(ctx, ru, hdr, nil, robotsMaxSize)
		if err != nil {
			break
		}
		next, fe := nextURL(resp)
		if fe != nil || next == nil || resp.status == http.StatusMultipleChoices {
			break
		}
		ru = next
	}
	if ctx.Err() != nil {
		return ctxFail(ctx, "fetching robots.txt of "+h.name)
	}

	now := c.opts.Now()
	h.robots, h.robotsUntil = nil, now.Add(robotsRetryTTL)
	switch {
	case err != nil:
		log.Warn("robots.txt could not be fetched; treating the host as allowing everything", "host", h.name, "error", err)
	case resp.status >= 200 && resp.status < 300:
		data, perr := robotstxt.FromBytes(resp.body)
		h.robotsUntil = now.Add(robotsTTL)
		if perr != nil {
			log.Warn("robots.txt does not parse; treating the host as allowing everything", "host", h.name, "error", perr)
			break
		}
		h.robots = data
	case resp.status >= 400 && resp.status < 500:
		h.robotsUntil = now.Add(robotsTTL)
		log.Debug("no robots.txt; everything allowed", "host", h.name, "status", resp.status)
	default:
		log.Warn("robots.txt answered with an error; treating the host as allowing everything", "host", h.name, "status", resp.status)
	}
	return nil
}
