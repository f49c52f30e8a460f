package legal

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// ojEmitter walks Official Journal CONVEX XHTML, the same markup whether it
// comes wrapped in a EUR-Lex page or bare from Cellar.
type ojEmitter struct {
	emitter
	article    string // number of the act's own article being walked ("5", "4a")
	inTitle    bool
	annexTitle bool // the next p.oj-doc-ti is an annex number
	// plain is set for CONVEX markup without ELI containers (OJ C
	// publications such as Parliament positions, bare fragments): there the
	// title and the annexes are known only by their class, wording and order.
	plain     bool
	titleOpen bool // plain: nothing but p.oj-doc-ti seen yet, so it is the title
}

var (
	plainAnnexRE = regexp.MustCompile(`^(?:ANNEX|Annex)(?:\s+(?:[IVXLC]+[a-z]?|\d+))?$`)
	plainFinalRE = regexp.MustCompile(`^(?:This (?:Regulation|Directive|Decision) shall be binding in its entirety|Done at [A-Z])`)
	ojRecitalRE  = regexp.MustCompile(`^rct_(\d+[a-z]*)$`)
	ojCiteRE     = regexp.MustCompile(`^cit_\d+$`)
	ojParaRE     = regexp.MustCompile(`^(\d{3})\.(\d{3})([A-Z]?)$`)
	ojArticleRE  = regexp.MustCompile(`^art_(\d+[a-z]*)$`)
)

// emitOJ walks the act (div.eli-container, one per act and per annex) and
// ignores the EUR-Lex page around it: header, scripts, "ISSN" lines.
func emitOJ(roots []*html.Node) []block {
	e := &ojEmitter{}
	var containers []*html.Node
	for _, r := range roots {
		collect(r, func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "div" && hasClass(n, "eli-container")
		}, &containers)
	}
	if len(containers) == 0 {
		// A bare fragment (or a selector result) without CONVEX containers.
		containers = roots
		e.plain, e.titleOpen = true, true
	}
	for _, r := range roots {
		e.identifiers(r)
	}
	for _, c := range containers {
		e.walk(c)
		e.flush()
	}
	return e.blocks
}

// collect appends the outermost nodes under n (n included) matching ok.
func collect(n *html.Node, ok func(*html.Node) bool, out *[]*html.Node) {
	if ok(n) {
		*out = append(*out, n)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collect(c, ok, out)
	}
}

// identifiers picks the ELI printed at the end of the act.
func (e *ojEmitter) identifiers(root *html.Node) {
	var ps []*html.Node
	collect(root, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "p" && hasClass(n, "oj-normal") && n.FirstChild != nil &&
			n.FirstChild.Type == html.TextNode && strings.HasPrefix(strings.TrimSpace(n.FirstChild.Data), "ELI:")
	}, &ps)
	for _, p := range ps {
		t, _ := textOf(p, nil)
		e.emit(block{kind: bIdent, text: strings.TrimSpace(strings.TrimPrefix(t, "ELI:"))})
	}
}

func (e *ojEmitter) walk(n *html.Node) {
	if n.Type == html.DocumentNode {
		e.children(n, e.walk)
		return
	}
	if n.Type != html.ElementNode || skipped(n) {
		return
	}
	id := attr(n, "id")
	switch n.Data {
	case "table":
		if e.plain && find(n, func(c *html.Node) bool { return classPrefix(c, "oj-hd-") != "" }) != nil {
			// The page header (OJ series, number, date); the ELI container
			// that would leave it out is missing.
			return
		}
		e.table(n, true, e.walk)
		return
	case "p":
		e.p(n)
		return
	case "div":
		switch {
		case hasClass(n, "eli-main-title"):
			e.inTitle = true
			e.children(n, e.walk)
			e.inTitle = false
			return
		case strings.HasPrefix(id, "anx_"):
			e.annexTitle = true
			e.children(n, e.walk)
			e.annexTitle = false
			return
		case ojRecitalRE.MatchString(id):
			e.recital(n, ojRecitalRE.FindStringSubmatch(id)[1])
			return
		case ojCiteRE.MatchString(id):
			e.emit(block{kind: bCitation})
			e.children(n, e.walk)
			return
		case ojArticleRE.MatchString(id):
			prev := e.article
			e.article = ojArticleRE.FindStringSubmatch(id)[1]
			e.children(n, e.walk)
			e.article = prev
			return
		case ojParaRE.MatchString(id) && e.level == 0 && e.ownParagraph(id):
			e.paragraph(n, id)
			return
		case hasClass(n, "oj-final"):
			prev := e.textKind
			e.textKind = bFinal
			e.children(n, e.walk)
			e.textKind = prev
			return
		case hasClass(n, "oj-enumeration-spacing"):
			e.enumeration(n)
			return
		}
	}
	e.children(n, e.walk)
}

// ownParagraph reports whether a "AAA.PPP" div is a paragraph of the article
// being walked; amending articles carry quoted paragraphs of other acts
// ("008.005" inside Article 105) that are not.
func (e *ojEmitter) ownParagraph(id string) bool {
	if e.article == "" {
		return false
	}
	m := ojParaRE.FindStringSubmatch(id)
	n, _ := strconv.Atoi(m[1])
	a, _ := strconv.Atoi(strings.TrimRight(e.article, "abcdefghijklmnopqrstuvwxyz"))
	return n == a
}

func (e *ojEmitter) p(n *html.Node) {
	kind := bText
	switch {
	case hasClass(n, "oj-doc-ti"):
		switch {
		case e.inTitle || e.titleOpen:
			kind = bTitle
		case e.annexTitle:
			kind, e.annexTitle = bAnnex, false
		case e.plain && plainAnnexRE.MatchString(rawText(n)):
			kind, e.textKind = bAnnex, 0
		default:
			kind = bHeading
		}
	case hasClass(n, "oj-ti-section-1"):
		kind = bDivision
	case hasClass(n, "oj-ti-section-2"), hasClass(n, "oj-sti-art"):
		kind = bHeading
	case hasClass(n, "oj-ti-art"):
		t, m := textOf(n, nil)
		real := e.article != "" && n.Parent != nil && attr(n.Parent, "id") == "art_"+e.article
		e.emit(block{kind: bArticle, text: t, markers: m, real: real, level: e.level})
		return
	case classPrefix(n, "oj-ti-grseq") != "":
		kind = bSubhead
	case hasClass(n, "oj-note"):
		e.footnote(n)
		return
	case classPrefix(n, "oj-hd-") != "":
		return
	case e.plain && hasClass(n, "oj-signatory"):
		e.textKind = bFinal
	}
	if kind != bTitle {
		e.titleOpen = false
	}
	if kind == bText {
		if e.plain && e.textKind == 0 && plainFinalRE.MatchString(rawText(n)) {
			// Without div.oj-final the closing formula is known by its wording.
			e.textKind = bFinal
		}
		e.children(n, e.walk)
		return
	}
	e.flush()
	t, m := textOf(n, nil)
	e.emit(block{kind: kind, text: t, markers: m, level: e.level})
}

// recital reads `div#rct_N > table > tr > td "(N)" + td text`.
func (e *ojEmitter) recital(n *html.Node, num string) {
	e.flush()
	t := find(n, isElem("table", ""))
	if t == nil || len(rows(t)) == 0 {
		e.emit(block{kind: bRecital, label: num})
		e.children(n, e.walk)
		return
	}
	var cells []*html.Node
	for c := rows(t)[0].FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
			cells = append(cells, c)
		}
	}
	label := num
	if len(cells) >= 2 && isLabel(rawText(cells[0])) {
		label = rawText(cells[0])
	}
	e.emit(block{kind: bRecital, label: label})
	if len(cells) > 0 {
		e.children(cells[len(cells)-1], e.walk)
	}
}

// paragraph reads a numbered paragraph `div#005.001`; its label is taken
// from the printed number ("1a.") and only falls back on the id.
func (e *ojEmitter) paragraph(n *html.Node, id string) {
	e.flush()
	label := ""
	if p := find(n, isElem("p", "")); p != nil {
		if m := paraNumRE.FindStringSubmatch(rawText(p)); m != nil {
			label = m[1] + m[2]
		}
	}
	if label == "" {
		m := ojParaRE.FindStringSubmatch(id)
		num, _ := strconv.Atoi(m[2])
		label = strconv.Itoa(num) + strings.ToLower(m[3])
	}
	e.emit(block{kind: bParagraph, label: label})
	e.children(n, e.walk)
}

// enumeration reads `div.oj-enumeration-spacing > p "1." + p text`.
func (e *ojEmitter) enumeration(n *html.Node) {
	e.flush()
	var first *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			first = c
			break
		}
	}
	if first == nil || !isLabel(rawText(first)) {
		e.children(n, e.walk)
		return
	}
	e.emit(block{kind: bPoint, label: rawText(first), level: e.level})
	e.level++
	for c := first.NextSibling; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			e.walk(c)
		} else {
			appendInline(&e.inline, c, nil)
		}
	}
	e.flush()
	e.level--
}

// footnote reads `p.oj-note > a#ntrN "(N)" + text`.
func (e *ojEmitter) footnote(n *html.Node) {
	e.flush()
	var mark *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "a" {
			mark = c
			break
		}
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			break
		}
	}
	label := ""
	if mark != nil {
		label = rawText(mark)
	}
	t, m := textOf(n, map[*html.Node]bool{mark: true})
	if label == "" {
		e.emit(block{kind: bText, text: t, markers: m, level: e.level})
		return
	}
	e.emit(block{kind: bFootnote, label: label, text: t, markers: m})
}
