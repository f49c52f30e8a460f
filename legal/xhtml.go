package legal

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// XHTMLOptions tune ParseXHTML.
type XHTMLOptions struct {
	// Selector is an optional CSS selector (goquery syntax) for the element(s)
	// that hold the legal text; everything outside them is ignored. Empty
	// means the parser finds the text itself.
	Selector string
}

// The XHTML flavours ParseXHTML understands.
const (
	FlavourOJ           = "oj"           // Official Journal CONVEX markup ("oj-" classes)
	FlavourConsolidated = "consolidated" // EUR-Lex consolidated texts ("title-article-norm", "modref")
	FlavourCOM          = "com"          // Word-derived Commission proposals ("Titrearticle", "ManualConsidrant")
)

// ErrNoLegalText is returned (wrapped) when the bytes hold none of the
// supported legal-text markups or no provision could be read from them.
var ErrNoLegalText = errors.New("no legal text found")

// XHTMLFlavour reports which of the supported markups data uses ("oj",
// "consolidated", "com") or "" if none. It only looks at class attributes, so
// it is cheap enough to run on every fetched body.
func XHTMLFlavour(data []byte) string {
	has := classTokens(data)
	switch {
	case has["title-article-norm"] || has["stitle-article-norm"] || has["title-annex-1"]:
		return FlavourConsolidated
	case has["oj-ti-art"] || has["oj-doc-ti"] || has["oj-normal"]:
		return FlavourOJ
	case has["Titrearticle"] || has["ManualConsidrant"] || has["Annexetitre"] || has["Exposdesmotifstitre"]:
		return FlavourCOM
	}
	return ""
}

// classTokens collects the tokens of every class attribute in data.
func classTokens(data []byte) map[string]bool {
	set := map[string]bool{}
	for {
		i := bytes.Index(data, []byte("class="))
		if i < 0 || i+7 > len(data) {
			return set
		}
		data = data[i+6:]
		q := data[0]
		if q != '"' && q != '\'' {
			continue
		}
		end := bytes.IndexByte(data[1:], q)
		if end < 0 {
			return set
		}
		for _, f := range bytes.Fields(data[1 : 1+end]) {
			set[string(f)] = true
		}
		data = data[1+end:]
	}
}

// ParseXHTML parses an HTML/XHTML legal text: Official Journal (CONVEX "oj-"
// classes, EUR-Lex page or Cellar XHTML), consolidated texts (EUR-Lex
// 0YYYYRNNNN-YYYYMMDD), Commission proposals (Word-derived classes). It
// detects which by content and sets Document.Kind/Format. Amending acts also
// get Document.Modifications.
func ParseXHTML(data []byte, opts XHTMLOptions) (*Document, error) {
	flavour := XHTMLFlavour(data)
	if flavour == "" {
		return nil, fmt.Errorf("%w: no oj-ti-art, Titrearticle or title-article-norm element", ErrNoLegalText)
	}
	if flavour == FlavourOJ && opts.Selector == "" && amend.LooksLikeAmendments(data) {
		return amend.ParseXHTML(data)
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	roots := []*html.Node{root}
	if opts.Selector != "" {
		if roots, err = selectRoots(goquery.NewDocumentFromNode(root), opts.Selector); err != nil {
			return nil, err
		}
	}
	var blocks []block
	switch flavour {
	case FlavourOJ:
		blocks = emitOJ(roots)
	case FlavourConsolidated:
		blocks = emitConsolidated(roots)
	default:
		blocks = emitCOM(roots)
	}
	doc := &Document{Kind: redline.DocUnknown}
	b := newBuilder(doc)
	b.build(blocks)
	if len(doc.Provisions) == 0 {
		return nil, fmt.Errorf("%w: %s markup without any title, article, recital or annex", ErrNoLegalText, flavour)
	}
	doc.Identifiers = identifiers(b.idents, doc.Title)
	doc.Modifications = modifications(doc, b.quotes)
	switch {
	case amendingTitleRE.MatchString(doc.Title):
		doc.Kind = redline.DocAmendingAct
	case flavour == FlavourOJ:
		doc.Kind = redline.DocAct
	case flavour == FlavourConsolidated:
		doc.Kind = redline.DocConsolidated
	default:
		doc.Kind = redline.DocProposal
	}
	doc.Format = map[string]string{FlavourOJ: "oj-xhtml", FlavourConsolidated: "consolidated-xhtml", FlavourCOM: "com-xhtml"}[flavour]
	return doc, nil
}

// selectRoots runs a goquery selector; goquery parses with x/net/html too, so
// the selected nodes are ordinary *html.Node trees. goquery treats an invalid
// selector as matching nothing, hence the wording of the error.
func selectRoots(doc *goquery.Document, selector string) ([]*html.Node, error) {
	nodes := doc.Find(selector).Nodes
	if len(nodes) == 0 {
		return nil, fmt.Errorf("selector %q matched no element (or is not valid CSS)", selector)
	}
	return nodes, nil
}

// amendingTitleRE recognises an act (or proposal) whose subject is amending
// other acts: "... OF THE COUNCIL of 8 July 2026 amending Regulations ...".
var amendingTitleRE = regexp.MustCompile(`(?i)\b(?:COUNCIL|COMMISSION|PARLIAMENT)\s+(?:of\s+\d{1,2}\s+\w+\s+\d{4}\s+)?amending\b`)

var (
	actIDRE  = regexp.MustCompile(`(?i)\b(?:REGULATION|DIRECTIVE|DECISION)\s+(\((?:EU|EC|EEC|Euratom)\)\s+(?:No\s+)?\d+/\d+)`)
	procIDRE = regexp.MustCompile(`(\d{4}/\d{4})\s*\((COD|CNS|NLE|APP|INI)\)`)
	comIDRE  = regexp.MustCompile(`\b(COM|SWD|SEC)\s*\((\d{4})\)\s*(\d+)(\s+final)?`)
	consIDRE = regexp.MustCompile(`(\d{5}[A-Z]\d{4})\s*[—–-]\s*[A-Z]{2}\s*[—–-]\s*(\d{2})\.(\d{2})\.(\d{4})`)
)

// identifiers normalises the raw header identifiers and adds the act number
// found in the title, keeping first-seen order without duplicates.
func identifiers(raw []string, title string) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	if m := actIDRE.FindStringSubmatch(title); m != nil {
		add(norm.Text(m[1]))
	}
	for _, r := range raw {
		switch {
		case consIDRE.MatchString(r):
			m := consIDRE.FindStringSubmatch(r)
			add(m[1] + "-" + m[4] + m[3] + m[2])
		case procIDRE.MatchString(r):
			m := procIDRE.FindStringSubmatch(r)
			add(m[1] + "(" + m[2] + ")")
		case comIDRE.MatchString(r):
			m := comIDRE.FindStringSubmatch(r)
			add(m[1] + "(" + m[2] + ") " + m[3] + m[4])
		default:
			add(r)
		}
	}
	return out
}

// emitter holds what all three markup walkers share: the output stream, the
// current point nesting level and the inline text being collected.
type emitter struct {
	blocks   []block
	level    int
	textKind blockKind // kind given to flushed running text (bText, bFinal, bMemo)
	inline   strings.Builder
}

func (e *emitter) emit(b block) { e.blocks = append(e.blocks, b) }

// emitText emits text of the given kind, splitting off markers-only text.
func (e *emitter) emitText(kind blockKind, label, raw string) {
	text, markers := cleanText(raw)
	if text == "" && label == "" {
		for _, m := range markers {
			e.emit(block{kind: bMarker, text: m})
		}
		return
	}
	e.emit(block{kind: kind, label: label, text: text, level: e.level, markers: markers})
}

// flush emits the inline text collected so far as one block of running text.
func (e *emitter) flush() {
	if e.inline.Len() == 0 {
		return
	}
	raw := e.inline.String()
	e.inline.Reset()
	kind := e.textKind
	if kind == 0 {
		kind = bText
	}
	e.emitText(kind, "", raw)
}

// children walks n's children: runs of text and inline elements become one
// block of running text, block elements go to visit.
func (e *emitter) children(n *html.Node, visit func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode || (c.Type == html.ElementNode && !isBlock(c)) {
			appendInline(&e.inline, c, nil)
			continue
		}
		if c.Type == html.ElementNode {
			e.flush()
			visit(c)
		}
	}
	e.flush()
}

// table walks a layout or data table. A row whose last cell is preceded only
// by a label cell ("(a)", "1.", "—") and empty cells is a point; a row with
// one non-empty cell is transparent; any other row is data, "cell | cell".
func (e *emitter) table(t *html.Node, points bool, visit func(*html.Node)) {
	e.flush()
	for _, row := range rows(t) {
		var cells []*html.Node
		for c := row.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
				cells = append(cells, c)
			}
		}
		var full []*html.Node
		for _, c := range cells {
			if hasText(c) {
				full = append(full, c)
			}
		}
		switch {
		case len(full) == 0:
		case len(full) == 1:
			e.children(full[0], visit)
		case points && len(full) == 2 && full[1] == cells[len(cells)-1] && isLabel(rawText(full[0])):
			e.emit(block{kind: bPoint, label: rawText(full[0]), level: e.level})
			e.level++
			e.children(full[1], visit)
			e.level--
		default:
			var parts []string
			for _, c := range full {
				t, _ := textOf(c, nil)
				parts = append(parts, t)
			}
			kind := e.textKind
			if kind == 0 {
				kind = bText
			}
			e.emit(block{kind: kind, text: strings.Join(parts, " | "), level: e.level})
		}
	}
}

// rows returns the rows of t in order, looking through thead/tbody/tfoot but
// not into nested tables.
func rows(t *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "tr":
				out = append(out, c)
			case "thead", "tbody", "tfoot":
				walk(c)
			}
		}
	}
	walk(t)
	return out
}

var blockElems = map[string]bool{
	"p": true, "div": true, "table": true, "tr": true, "td": true, "th": true, "tbody": true, "thead": true,
	"tfoot": true, "ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "blockquote": true, "section": true,
	"article": true, "header": true, "footer": true, "body": true, "html": true, "col": true, "colgroup": true,
	"head": true, "script": true, "style": true, "noscript": true, "title": true, "meta": true, "link": true,
	"caption": true, "figure": true, "nav": true, "main": true, "aside": true, "form": true, "img": true,
}

func isBlock(n *html.Node) bool { return blockElems[n.Data] }

// skipped elements never contribute text: scripts (the per-request Dynatrace
// agent), styles and the document head.
func skipped(n *html.Node) bool {
	switch n.Data {
	case "script", "style", "head", "noscript", "title", "meta", "link", "img", "hr", "col", "colgroup", "template", "iframe", "svg", "object":
		return true
	}
	return false
}

// footnoteCall reports whether n is a footnote call mark in any flavour: OJ
// `a#ntc…`, consolidated `a#src.E…`, proposals `span.FootnoteReference`.
func footnoteCall(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "a":
		id := attr(n, "id")
		return strings.HasPrefix(id, "ntc") || strings.HasPrefix(id, "src.") || hasClass(n, "footnoteRef")
	case "span":
		if hasClass(n, "oj-note-tag") || hasClass(n, "FootnoteReference") {
			return true
		}
		if c := n.FirstChild; c != nil {
			for ; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "a" && hasClass(c, "footnoteRef") {
					return true
				}
			}
		}
	}
	return false
}

// callMark stands in for a removed footnote call until cleanText decides how
// to join the text around it.
const callMark = '\x00'

// appendInline writes the text of n to sb, dropping footnote calls and the
// nodes in skip (which may be nil).
func appendInline(sb *strings.Builder, n *html.Node, skip map[*html.Node]bool) {
	switch n.Type {
	case html.TextNode:
		sb.WriteString(strings.ReplaceAll(n.Data, string(callMark), ""))
		return
	case html.ElementNode:
	default:
		return
	}
	if skip[n] || skipped(n) {
		return
	}
	if footnoteCall(n) {
		sb.WriteByte(callMark)
		return
	}
	if n.Data == "br" {
		sb.WriteByte(' ')
		return
	}
	block := isBlock(n)
	if block {
		sb.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendInline(sb, c, skip)
	}
	if block {
		sb.WriteByte(' ')
	}
}

// textOf returns the normalised text of n's whole subtree except the nodes in
// skip, and any consolidated-text markers in it.
func textOf(n *html.Node, skip map[*html.Node]bool) (string, []string) {
	var sb strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendInline(&sb, c, skip)
	}
	return cleanText(sb.String())
}

// hasText reports whether n holds any visible text or a nested table.
func hasText(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		return strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) != ""
	case html.ElementNode:
		if skipped(n) {
			return false
		}
		if n.Data == "table" {
			return true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasText(c) {
			return true
		}
	}
	return false
}

// rawText is the text of n with white space collapsed but quotes and labels kept.
func rawText(n *html.Node) string {
	var sb strings.Builder
	appendInline(&sb, n, nil)
	return norm.Text(strings.ReplaceAll(sb.String(), string(callMark), ""))
}

var (
	markerRE    = regexp.MustCompile(`[▼►]\s*([A-Z]\d{0,3})\b`)
	emptyCallRE = regexp.MustCompile(`\(\s*\x00\s*\)`)
)

// cleanText normalises raw text, moves consolidated-text markers out of it
// and removes footnote call marks together with the space before them.
func cleanText(raw string) (string, []string) {
	var markers []string
	if strings.ContainsAny(raw, "▼►◄") {
		for _, m := range markerRE.FindAllStringSubmatch(raw, -1) {
			markers = mergeMarkers(markers, []string{m[1]})
		}
		raw = markerRE.ReplaceAllString(raw, " ")
		raw = strings.ReplaceAll(raw, "◄", " ")
	}
	if strings.IndexByte(raw, callMark) >= 0 {
		raw = dropCalls(raw)
	}
	return norm.Text(raw), markers
}

// dropCalls removes call marks: "Committee (1)," becomes "Committee,",
// "Regulation (1) applies" becomes "Regulation applies".
func dropCalls(s string) string {
	s = emptyCallRE.ReplaceAllString(s, string(callMark))
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != callMark {
			b = append(b, s[i])
			continue
		}
		for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
			b = b[:len(b)-1]
		}
		if len(b) >= 2 && b[len(b)-2] == 0xc2 && b[len(b)-1] == 0xa0 { // a trailing no-break space
			b = b[:len(b)-2]
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r' || s[j] == callMark) {
			j++
		}
		rest := s[j:]
		if rest != "" && !strings.ContainsAny(rest[:1], ",.;:)]!?") && !strings.HasPrefix(rest, "’") && !strings.HasPrefix(rest, "”") {
			b = append(b, ' ')
		}
		i = j - 1
	}
	return string(b)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == c {
			return true
		}
	}
	return false
}

// classPrefix returns the first class token of n starting with prefix.
func classPrefix(n *html.Node, prefix string) string {
	for _, f := range strings.Fields(attr(n, "class")) {
		if strings.HasPrefix(f, prefix) {
			return f
		}
	}
	return ""
}

// find returns the first descendant of n (n included) for which ok is true.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func isElem(name, class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == name && (class == "" || hasClass(n, class))
	}
}
