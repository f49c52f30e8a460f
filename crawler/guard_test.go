package crawler_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/crawler"
)

// pdfBody is a small PDF-looking body with every byte value in it, so that
// any transcoding shows.
func pdfBody() []byte {
	b := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	for i := range 256 {
		b = append(b, byte(i))
	}
	return append(b, "\n%%EOF\n"...)
}

// serve answers every request with the given status, headers and body.
func serve(code int, header map[string]string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		if _, ok := header["Content-Type"]; !ok {
			w.Header()["Content-Type"] = nil // no sniffing by net/http
		}
		w.WriteHeader(code)
		w.Write(body)
	}
}

func TestBlockPageGuard(t *testing.T) {
	html := []byte("<html><body><p>Article\u00a05 Prohibited AI practices</p></body></html>")
	waf := map[string]string{"x-amzn-waf-action": "challenge"}
	tests := []struct {
		name       string
		code       int
		header     map[string]string
		body       []byte
		kind       redline.SourceKind
		marker     string
		lastGood   int64
		retries    int
		wantReason redline.FetchReason // "" for success
		wantDetail string
		wantCalls  int32
	}{
		{name: "waf 202 empty", code: 202, header: waf, wantReason: redline.ReasonBlocked,
			wantDetail: "HTTP 202 with x-amzn-waf-action: challenge and an empty body"},
		{name: "waf 200 with page", code: 200, header: waf, body: html, wantReason: redline.ReasonBlocked,
			wantDetail: fmt.Sprintf("HTTP 200 with x-amzn-waf-action: challenge and a %d-byte body", len(html))},
		{name: "waf header without value", code: 200, header: map[string]string{"X-Amzn-Waf-Action": ""}, body: html,
			wantReason: redline.ReasonBlocked},
		{name: "waf 503 not retried", code: 503, header: waf, retries: 3, wantReason: redline.ReasonBlocked, wantCalls: 1},
		{name: "cloudflare challenge", code: 403, header: map[string]string{"cf-mitigated": "challenge"}, body: []byte("<html>Just a moment</html>"),
			wantReason: redline.ReasonBlocked, wantDetail: "HTTP 403 with cf-mitigated: challenge and a 26-byte body"},
		{name: "202 empty", code: 202, wantReason: redline.ReasonEmpty, wantDetail: "HTTP 202 with an empty body"},
		{name: "202 with body", code: 202, body: html, wantReason: redline.ReasonEmpty,
			wantDetail: fmt.Sprintf("HTTP 202 with a %d-byte body", len(html))},
		{name: "200 empty", code: 200, header: map[string]string{"Content-Type": "text/html"}, wantReason: redline.ReasonEmpty,
			wantDetail: "HTTP 200 with an empty body"},
		{name: "204", code: 204, wantReason: redline.ReasonEmpty},
		{name: "html where a pdf is expected", code: 200, header: map[string]string{"Content-Type": "application/pdf"}, body: html,
			kind: redline.KindPDF, wantReason: redline.ReasonWrongType, wantDetail: `expected a PDF but got text/html starting "<html>`},
		{name: "pdf where html is expected", code: 200, header: map[string]string{"Content-Type": "text/html"}, body: pdfBody(),
			kind: redline.KindHTML, wantReason: redline.ReasonWrongType, wantDetail: "expected html but got a PDF"},
		{name: "pdf where xhtml is expected", code: 200, body: pdfBody(), kind: redline.KindXHTML, wantReason: redline.ReasonWrongType},
		{name: "marker missing", code: 200, body: []byte("<html>EUR-Lex is temporarily not fully available</html>"),
			marker: "Prohibited AI practices", wantReason: redline.ReasonNoMarker,
			wantDetail: `marker "Prohibited AI practices" not found in the 55-byte body`},
		{name: "marker across a no-break space", code: 200, body: html, marker: "Article 5"},
		{name: "marker with a no-break space", code: 200, body: []byte("<p>Article 5</p>"), marker: "Article\u00a05"},
		{name: "marker across &nbsp;", code: 200, body: []byte("<p>Article&nbsp;5</p>"), marker: "Article 5"},
		{name: "marker not checked in a pdf", code: 200, body: pdfBody(), kind: redline.KindPDF, marker: "Article 5"},
		{name: "shrunk", code: 200, body: bytes.Repeat([]byte("x"), 400), lastGood: 1000, wantReason: redline.ReasonShrunk,
			wantDetail: "body of 400 bytes is under 50% of the last good capture's 1000 bytes"},
		{name: "not shrunk", code: 200, body: bytes.Repeat([]byte("x"), 600), lastGood: 1000},
		{name: "404", code: 404, body: []byte("not found"), wantReason: redline.ReasonHTTPStatus, wantDetail: "HTTP 404 Not Found"},
		{name: "410", code: 410, wantReason: redline.ReasonHTTPStatus},
		{name: "500", code: 500, wantReason: redline.ReasonHTTPStatus},
		{name: "unasked partial content", code: 206, body: html, wantReason: redline.ReasonHTTPStatus, wantDetail: "unexpected HTTP 206"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			handler := serve(tt.code, tt.header, tt.body)
			e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				handler(w, r)
			}), func(o *crawler.Options) {
				o.ShrinkRatio = 0.5
				o.Retries = tt.retries
			})
			res, err := e.fetch(t, "/doc", func(r *redline.FetchRequest) {
				if tt.kind != "" {
					r.Source.Kind = tt.kind
				}
				r.Source.Marker = tt.marker
				r.LastGoodSize = tt.lastGood
			})
			if tt.wantReason == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if !bytes.Equal(res.Body, tt.body) {
					t.Errorf("Body = %q, want %q", res.Body, tt.body)
				}
			} else {
				fe := wantReason(t, err, tt.wantReason)
				if fe.Status != tt.code {
					t.Errorf("Status = %d, want %d", fe.Status, tt.code)
				}
				if !strings.Contains(fe.Detail, tt.wantDetail) {
					t.Errorf("Detail = %q, want it to contain %q", fe.Detail, tt.wantDetail)
				}
			}
			if tt.wantCalls != 0 && calls.Load() != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

func TestBodySizeCap(t *testing.T) {
	const limit = 1000
	chunked := func(n int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			for n > 0 {
				k := min(n, 32<<10)
				w.Write(bytes.Repeat([]byte("y"), k))
				w.(http.Flusher).Flush() // no Content-Length
				n -= k
			}
		}
	}
	tests := []struct {
		name       string
		limit      int64
		handler    http.HandlerFunc
		wantReason redline.FetchReason
		wantDetail string
	}{
		{name: "at the cap", handler: serve(200, nil, bytes.Repeat([]byte("x"), limit))},
		// colly's own default cap (10 MiB) would cut this body silently.
		{name: "chunked above colly's default cap", limit: 12 << 20, handler: chunked(12 << 20)},
		{name: "one byte over, with Content-Length", handler: serve(200, nil, bytes.Repeat([]byte("x"), limit+1)),
			wantReason: redline.ReasonTooLarge, wantDetail: "announced 1001 bytes, over the cap of 1000"},
		{name: "chunked at the cap", handler: chunked(limit)},
		{name: "chunked over the cap", handler: chunked(limit + 100), wantReason: redline.ReasonTooLarge, wantDetail: "over the cap of 1000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.limit == 0 {
				tt.limit = limit
			}
			e := setup(t, tt.handler, func(o *crawler.Options) { o.MaxBodySize = tt.limit })
			res, err := e.fetch(t, "/doc", func(r *redline.FetchRequest) { r.Source.Kind = "" })
			if tt.wantReason == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if int64(len(res.Body)) != tt.limit {
					t.Errorf("got %d bytes, want %d", len(res.Body), tt.limit)
				}
				return
			}
			fe := wantReason(t, err, tt.wantReason)
			if !strings.Contains(fe.Detail, tt.wantDetail) {
				t.Errorf("Detail = %q, want it to contain %q", fe.Detail, tt.wantDetail)
			}
		})
	}
}

func TestTruncatedBody(t *testing.T) {
	var calls atomic.Int32
	e := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 1000\r\n\r\n")
		buf.Write(pdfBody()[:100])
		buf.Flush()
	}), func(o *crawler.Options) { o.Retries = 1 })
	_, err := e.fetch(t, "/doc.pdf", func(r *redline.FetchRequest) { r.Source.Kind = redline.KindPDF })
	fe := wantReason(t, err, redline.ReasonTruncated)
	if !strings.Contains(fe.Detail, "before the 1000 bytes announced by Content-Length") {
		t.Errorf("Detail = %q", fe.Detail)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (a truncated body is retried)", n)
	}
}

func TestNoCharsetMangling(t *testing.T) {
	latin1 := []byte("<html><p>R\xe8glement \xa0 \xe9\xe0\xfc \xff\xfe</p></html>")
	tests := []struct {
		name        string
		contentType string
		body        []byte
		kind        redline.SourceKind
		wantType    string
	}{
		{name: "pdf labelled iso-8859-1", contentType: "application/pdf; charset=iso-8859-1", body: pdfBody(), kind: redline.KindPDF, wantType: "application/pdf"},
		{name: "pdf labelled utf-16", contentType: "application/pdf; charset=utf-16", body: pdfBody(), kind: redline.KindPDF, wantType: "application/pdf"},
		{name: "html in iso-8859-1", contentType: "text/html; charset=iso-8859-1", body: latin1, kind: redline.KindHTML, wantType: "text/html"},
		{name: "html in windows-1252", contentType: "text/html; charset=windows-1252", body: latin1, kind: redline.KindHTML, wantType: "text/html"},
		{name: "gzip media type stays compressed", contentType: "application/gzip", body: []byte("\x1f\x8b\x08\x00 not really gzip"), kind: redline.KindRegister, wantType: "application/gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, serve(200, map[string]string{"Content-Type": tt.contentType}, tt.body), nil)
			res, err := e.fetch(t, "/doc", func(r *redline.FetchRequest) { r.Source.Kind = tt.kind })
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if !bytes.Equal(res.Body, tt.body) {
				t.Errorf("body changed:\n got %q\nwant %q", res.Body, tt.body)
			}
			if got := res.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Header Content-Type = %q, want %q", got, tt.contentType)
			}
			if res.ContentType != tt.wantType {
				t.Errorf("ContentType = %q, want %q", res.ContentType, tt.wantType)
			}
		})
	}
}

func TestContentTypeSniffing(t *testing.T) {
	html := []byte("<!DOCTYPE html><html><body>text</body></html>")
	tests := []struct {
		name        string
		contentType string // "" sends no Content-Type
		body        []byte
		kind        redline.SourceKind
		want        string
	}{
		{name: "pdf magic behind text/html", contentType: "text/html", body: pdfBody(), kind: redline.KindPDF, want: "application/pdf"},
		{name: "pdf magic behind octet-stream", contentType: "application/octet-stream", body: pdfBody(), kind: redline.KindPDF, want: "application/pdf"},
		{name: "pdf magic after a preamble", contentType: "application/pdf", body: append([]byte("\r\n\r\n"), pdfBody()...), kind: redline.KindPDF, want: "application/pdf"},
		{name: "no header", body: html, kind: redline.KindHTML, want: "text/html"},
		{name: "header claims pdf without magic", contentType: "application/pdf", body: html, kind: redline.KindHTML, want: "text/html"},
		{name: "xhtml header with charset", contentType: "Application/XHTML+XML; charset=utf-8", body: html, kind: redline.KindXHTML, want: "application/xhtml+xml"},
		{name: "malformed parameter", contentType: "text/html; charset", body: html, kind: redline.KindHTML, want: "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{}
			if tt.contentType != "" {
				header["Content-Type"] = tt.contentType
			}
			e := setup(t, serve(200, header, tt.body), nil)
			res, err := e.fetch(t, "/doc", func(r *redline.FetchRequest) { r.Source.Kind = tt.kind })
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if res.ContentType != tt.want {
				t.Errorf("ContentType = %q, want %q", res.ContentType, tt.want)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	chain := []struct {
		from, to string
		code     int
	}{
		{"/start", "/a", 301}, {"/a", "b", 302}, {"/b", "/c#frag", 303}, {"/c", "/d", 307}, {"/d", "/final", 308},
	}
	for _, hop := range chain {
		mux.HandleFunc(hop.from, func(w http.ResponseWriter, r *http.Request) {
			if hop.from == "/a" {
				http.SetCookie(w, &http.Cookie{Name: "session", Value: "42", Path: "/"})
			}
			w.Header().Set("Location", hop.to)
			w.WriteHeader(hop.code)
		})
	}
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("session"); err != nil || c.Value != "42" {
			http.Error(w, "no session cookie", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "<html>final</html>")
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.org/x", http.StatusFound)
	})
	mux.HandleFunc("/nowhere", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	h := &hits{}
	e := setup(t, h.wrap(mux), func(o *crawler.Options) { o.RespectRobots = true })

	res, err := e.fetch(t, "/start", nil)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if res.URL != e.srv.URL+"/start" || res.FinalURL != e.srv.URL+"/final" || string(res.Body) != "<html>final</html>" {
		t.Errorf("URL %q, FinalURL %q, body %q", res.URL, res.FinalURL, res.Body)
	}
	if n := h.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once for the host", n)
	}

	tests := []struct {
		path       string
		want       redline.FetchReason
		wantDetail string
	}{
		{"/loop", redline.ReasonHTTPStatus, "more than 10 redirects"},
		{"/ftp", redline.ReasonUnsupported, "ftp://example.org/x"},
		{"/nowhere", redline.ReasonHTTPStatus, "HTTP 302 Found from 127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := e.fetch(t, tt.path, nil)
			fe := wantReason(t, err, tt.want)
			if fe.Status != http.StatusFound || !strings.Contains(fe.Detail, tt.wantDetail) {
				t.Errorf("Status %d, Detail %q; want 302 and %q", fe.Status, fe.Detail, tt.wantDetail)
			}
		})
	}
}

func TestMultipleChoices(t *testing.T) {
	tests := []struct {
		name     string
		list     string
		wantPath string // "" for a failure
	}{
		{name: "picks DOC_1",
			list: `<html><body><ul>
<li><a href="/resource/cellar/e0649735.0001.03/DOC_2">1_EN_annexe_proposition_part1_v7.html</a></li>
<li><a href="/resource/cellar/e0649735.0001.03/DOC_10">other</a></li>
<li><a href="/resource/cellar/e0649735.0001.03/DOC_1">1_EN_ACT_part1_v7.html</a></li>
</ul></body></html>`,
			wantPath: "/resource/cellar/e0649735.0001.03/DOC_1"},
		{name: "first link without DOC_1",
			list:     `<html><a name="top"></a><a href="stream-b">b</a><a href="/stream-a">a</a></html>`,
			wantPath: "/resource/celex/stream-b"},
		{name: "no link", list: `<html><p>Multiple choices, none linked</p></html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			e := setup(t, h.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/resource/celex/52021PC0206" {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusMultipleChoices)
					fmt.Fprint(w, tt.list)
					return
				}
				w.Header().Set("Content-Type", "application/xhtml+xml")
				fmt.Fprintf(w, "<html>stream %s</html>", r.URL.Path)
			})), nil)
			res, err := e.fetch(t, "/resource/celex/52021PC0206", func(r *redline.FetchRequest) {
				r.Source.Kind = redline.KindXHTML
				r.Source.Headers = map[string]string{"Accept": "application/xhtml+xml", "Accept-Language": "eng"}
			})
			if tt.wantPath == "" {
				fe := wantReason(t, err, redline.ReasonHTTPStatus)
				if fe.Status != http.StatusMultipleChoices || !strings.Contains(fe.Detail, "without a link") {
					t.Errorf("Status %d, Detail %q", fe.Status, fe.Detail)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if res.FinalURL != e.srv.URL+tt.wantPath || res.Status != 200 {
				t.Errorf("FinalURL = %q (HTTP %d), want %q", res.FinalURL, res.Status, e.srv.URL+tt.wantPath)
			}
			last := h.requests()[len(h.requests())-1]
			if last.Header.Get("Accept-Language") != "eng" {
				t.Errorf("source headers not sent to the chosen stream")
			}
		})
	}
}

// TestCorpus serves real EU texts and checks they come back byte for byte.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	tests := []struct {
		file        string
		contentType string
		kind        redline.SourceKind
		marker      string
		want        redline.FetchReason
	}{
		{file: "com-2021-206-proposal.pdf", contentType: "application/pdf; charset=iso-8859-1", kind: redline.KindPDF},
		{file: "com-2021-206-annexes.pdf", contentType: "text/html; charset=windows-1252", kind: redline.KindPDF},
		// The page writes "Article\u00a05"; the marker uses a plain space.
		{file: "ai-act-2024-1689.eurlex-oj.html", contentType: "text/html; charset=iso-8859-1", kind: redline.KindHTML, marker: "Article 5"},
		{file: "com-2021-206-proposal.pdf", contentType: "text/html", kind: redline.KindHTML, want: redline.ReasonWrongType},
		{file: "ai-act-2024-1689.eurlex-oj.html", contentType: "application/pdf", kind: redline.KindPDF, want: redline.ReasonWrongType},
	}
	for _, tt := range tests {
		t.Run(tt.file+" as "+string(tt.kind), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatalf("read corpus: %v", err)
			}
			e := setup(t, serve(200, map[string]string{"Content-Type": tt.contentType}, body), nil)
			res, err := e.fetch(t, "/"+tt.file, func(r *redline.FetchRequest) {
				r.Source.Kind = tt.kind
				r.Source.Marker = tt.marker
				r.LastGoodSize = int64(len(body))
			})
			if tt.want != "" {
				wantReason(t, err, tt.want)
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if !bytes.Equal(res.Body, body) {
				t.Errorf("body differs from the corpus file: %d bytes, want %d", len(res.Body), len(body))
			}
		})
	}
}

func BenchmarkFetch(b *testing.B) {
	body := bytes.Repeat([]byte("<p class=\"oj-normal\">Article\u00a05 Prohibited AI practices</p>\n"), 20000) // ≈1.2 MB, like the AI Act page
	srv := httptest.NewServer(serve(200, map[string]string{"Content-Type": "text/html; charset=utf-8"}, body))
	defer srv.Close()
	c, err := crawler.New(crawler.Options{UserAgent: testUA, Transport: srv.Client().Transport})
	if err != nil {
		b.Fatal(err)
	}
	req := redline.FetchRequest{Source: redline.Source{ID: "bench", URL: srv.URL + "/doc", Kind: redline.KindHTML, Marker: "Article 5"}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Fetch(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}
