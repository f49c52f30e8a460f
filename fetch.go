package redline

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// FetchRequest asks a Fetcher for the current body of a source.
type FetchRequest struct {
	Source Source
	// ETag and LastModified are the validators of the last good capture; when
	// set they are sent as If-None-Match and If-Modified-Since.
	ETag         string
	LastModified string
	// LastGoodSize is the body size of the last good capture, or 0. A body far
	// smaller than this is treated as a block page.
	LastGoodSize int64
}

// FetchResult is what a Fetcher got for a FetchRequest.
type FetchResult struct {
	// URL is the URL requested; FinalURL is the URL after redirects.
	URL      string
	FinalURL string
	// Status is the HTTP status code of the final response.
	Status int
	// NotModified is true for a 304 answer to a conditional request; Body is then empty.
	NotModified bool
	// Header holds the response headers.
	Header http.Header
	// ContentType is the media type, sniffed from the body where the server's
	// header is missing or contradicts it (e.g. PDF magic behind text/html).
	ContentType string
	// Body is the complete response body, never truncated.
	Body []byte
	// ETag and LastModified are the response's validators.
	ETag         string
	LastModified string
	// FetchedAt is when the response arrived; Duration how long the fetch took.
	FetchedAt time.Time
	Duration  time.Duration
}

// FetchReason classifies why a fetch failed.
type FetchReason string

// The reasons a fetch fails.
const (
	ReasonBlocked     FetchReason = "blocked"     // WAF challenge, bot wall, captcha
	ReasonEmpty       FetchReason = "empty"       // empty body or a 202
	ReasonShrunk      FetchReason = "shrunk"      // body far smaller than the last good one
	ReasonWrongType   FetchReason = "wrong_type"  // HTML where a PDF was expected, etc.
	ReasonNoMarker    FetchReason = "no_marker"   // expected marker phrase missing
	ReasonTooLarge    FetchReason = "too_large"   // body over the size cap
	ReasonTruncated   FetchReason = "truncated"   // body shorter than Content-Length
	ReasonHTTPStatus  FetchReason = "http_status" // 4xx/5xx
	ReasonRobots      FetchReason = "robots"      // disallowed by robots.txt
	ReasonTimeout     FetchReason = "timeout"     // deadline exceeded
	ReasonNetwork     FetchReason = "network"     // connection or protocol error
	ReasonCanceled    FetchReason = "canceled"    // the caller's context was canceled
	ReasonParse       FetchReason = "parse"       // the body could not be parsed
	ReasonPanic       FetchReason = "panic"       // a check panicked
	ReasonStore       FetchReason = "store"       // the check could not be stored
	ReasonUnsupported FetchReason = "unsupported" // scheme or kind not supported
)

// FetchError is a failed fetch with its reason. It wraps the underlying cause.
type FetchError struct {
	Reason FetchReason
	// Status is the HTTP status, if a response arrived.
	Status int
	// RetryAfter is the server's Retry-After, if any.
	RetryAfter time.Duration
	// Detail says what happened in words a campaigner can act on.
	Detail string
	Err    error
}

// Error implements error.
func (e *FetchError) Error() string {
	msg := string(e.Reason)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

// ReasonOf returns the FetchReason carried by err, or "" if err carries none.
func ReasonOf(err error) FetchReason {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return ""
}
