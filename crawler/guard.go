package crawler

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/redline-watch/redline"
)

// blockHeaders mark bot-wall answers: AWS WAF (EUR-Lex) and Cloudflare set
// them on challenge pages, whatever the status and body.
var blockHeaders = []string{"x-amzn-waf-action", "cf-mitigated"}

// blocked returns a ReasonBlocked error if resp carries a bot-wall header.
func blocked(resp *response) *redline.FetchError {
	for _, name := range blockHeaders {
		if v := resp.header.Values(name); len(v) > 0 {
			return &redline.FetchError{Reason: redline.ReasonBlocked, Status: resp.status,
				Detail: fmt.Sprintf("HTTP %d with %s: %s and %s", resp.status, name, v[0], bodyDesc(len(resp.body)))}
		}
	}
	return nil
}

// nextURL returns where a redirect or a 300 Multiple Choices answer points,
// or nil if resp is neither.
func nextURL(resp *response) (*url.URL, *redline.FetchError) {
	var ref string
	switch resp.status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		ref = resp.header.Get("Location")
	case http.StatusMultipleChoices:
		// Cellar lists a work's streams (act, annexes) as links; DOC_1 is the act.
		ref = alternative(resp.body)
		if ref == "" {
			ref = resp.header.Get("Location")
		}
	default:
		return nil, nil
	}
	if ref == "" {
		return nil, &redline.FetchError{Reason: redline.ReasonHTTPStatus, Status: resp.status,
			Detail: fmt.Sprintf("HTTP %d %s from %s without a link or Location to follow",
				resp.status, http.StatusText(resp.status), logURL(resp.url))}
	}
	next, err := resp.url.Parse(ref)
	if err != nil {
		return nil, &redline.FetchError{Reason: redline.ReasonHTTPStatus, Status: resp.status,
			Detail: fmt.Sprintf("HTTP %d from %s points to %q, which does not parse", resp.status, logURL(resp.url), ref), Err: err}
	}
	if fe := checkScheme(next); fe != nil {
		fe.Status = resp.status
		return nil, fe
	}
	next.Fragment, next.RawFragment = "", ""
	return next, nil
}

// firstDoc matches the act's stream in a Cellar list, not DOC_10 and beyond.
var firstDoc = regexp.MustCompile(`DOC_1(?:[^0-9]|$)`)

// alternative picks the link to follow from a 300 answer's HTML: the first
// href naming DOC_1, else the first href, else "".
func alternative(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	first := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return first
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			for hasAttr && string(name) == "a" {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				href := strings.TrimSpace(string(val))
				if string(key) != "href" || href == "" {
					continue
				}
				if firstDoc.MatchString(href) {
					return href
				}
				if first == "" {
					first = href
				}
			}
		}
	}
}

// result checks the final response of a fetch against the block-page guard
// and turns it into a FetchResult.
func (c *Crawler) result(req redline.FetchRequest, resp *response) (*redline.FetchResult, *redline.FetchError) {
	status, n := resp.status, len(resp.body)
	fail := func(reason redline.FetchReason, format string, args ...any) *redline.FetchError {
		return &redline.FetchError{Reason: reason, Status: status, Detail: fmt.Sprintf(format, args...)}
	}
	res := &redline.FetchResult{
		URL:          req.Source.URL,
		FinalURL:     resp.url.String(),
		Status:       status,
		Header:       resp.header,
		ETag:         resp.header.Get("ETag"),
		LastModified: resp.header.Get("Last-Modified"),
	}
	switch {
	case status == http.StatusNotModified:
		// A 304 need not repeat the validators; the ones sent are still good.
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = req.ETag
		}
		if res.LastModified == "" {
			res.LastModified = req.LastModified
		}
		return res, nil
	case status >= 400:
		fe := fail(redline.ReasonHTTPStatus, "HTTP %d %s from %s", status, http.StatusText(status), logURL(resp.url))
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			if ra, ok := retryAfter(resp.header, c.opts.Now()); ok {
				fe.RetryAfter = ra
				fe.Detail += fmt.Sprintf(", asking to retry after %s", ra)
				if ra > c.opts.MaxRetryAfter {
					fe.Detail += fmt.Sprintf(" (longer than the %s waited within one fetch)", c.opts.MaxRetryAfter)
				}
			}
		}
		if resp.attempts > 1 {
			fe.Detail += fmt.Sprintf(" (after %d attempts)", resp.attempts)
		}
		return nil, fe
	case status == http.StatusAccepted || status == http.StatusNoContent || status == http.StatusResetContent:
		// EUR-Lex answers bursts, outages and some bots with an empty 202.
		return nil, fail(redline.ReasonEmpty, "HTTP %d with %s", status, bodyDesc(n))
	case status != http.StatusOK && status != http.StatusNonAuthoritativeInfo:
		return nil, fail(redline.ReasonHTTPStatus, "unexpected HTTP %d %s from %s", status, http.StatusText(status), logURL(resp.url))
	case n == 0:
		return nil, fail(redline.ReasonEmpty, "HTTP %d with an empty body", status)
	}

	res.Body = resp.body
	pdf := isPDF(resp.body)
	res.ContentType = mediaType(resp.header.Get("Content-Type"), resp.body, pdf)
	switch kind := req.Source.Kind; {
	case kind == redline.KindPDF && !pdf:
		return nil, fail(redline.ReasonWrongType, "expected a PDF but got %s starting %q", res.ContentType, head(resp.body))
	case (kind == redline.KindHTML || kind == redline.KindXHTML || kind == redline.KindRegister) && pdf:
		return nil, fail(redline.ReasonWrongType, "expected %s but got a PDF", kind)
	}
	// A PDF's text sits in compressed streams, so its marker can only be
	// checked after extraction, by the parser's caller.
	if m := req.Source.Marker; m != "" && !pdf && !containsMarker(resp.body, m) {
		return nil, fail(redline.ReasonNoMarker, "marker %q not found in the %d-byte body", m, n)
	}
	if r := c.opts.ShrinkRatio; r > 0 && req.LastGoodSize > 0 && float64(n) < r*float64(req.LastGoodSize) {
		return nil, fail(redline.ReasonShrunk, "body of %d bytes is under %.0f%% of the last good capture's %d bytes",
			n, r*100, req.LastGoodSize)
	}
	return res, nil
}

// nbspForms are the no-break space, which EUR-Lex puts in "Article\u00a05",
// and its HTML spellings; a marker matches whichever the page uses.
var nbspForms = [][]byte{[]byte("\u00a0"), []byte("&nbsp;"), []byte("&#160;"), []byte("&#xa0;"), []byte("&#xA0;")}

// containsMarker reports whether body contains marker once every no-break
// space in both is read as a plain space.
func containsMarker(body []byte, marker string) bool {
	m := []byte(marker)
	for _, form := range nbspForms {
		m = bytes.ReplaceAll(m, form, []byte(" "))
	}
	if bytes.Contains(body, m) {
		return true
	}
	for _, form := range nbspForms {
		if bytes.Contains(body, form) {
			body = bytes.ReplaceAll(body, form, []byte(" "))
		}
	}
	return bytes.Contains(body, m)
}

// isPDF reports whether body has the PDF magic where readers look for it:
// within the first 1024 bytes.
func isPDF(body []byte) bool {
	return bytes.Contains(body[:min(len(body), 1024)], []byte("%PDF-"))
}

// mediaType names what body is: a PDF by its magic, else the header's media
// type (unless it claims a PDF the body is not), else a sniffed type.
func mediaType(header string, body []byte, pdf bool) string {
	if pdf {
		return "application/pdf"
	}
	// ParseMediaType returns the type even when a parameter is malformed.
	if mt, _, _ := mime.ParseMediaType(header); mt != "" && mt != "application/pdf" {
		return mt
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	return mt
}

// head returns the start of body for error details.
func head(body []byte) []byte {
	return body[:min(len(body), 48)]
}

// bodyDesc describes a body's size in a detail string.
func bodyDesc(n int) string {
	if n == 0 {
		return "an empty body"
	}
	return fmt.Sprintf("a %d-byte body", n)
}
