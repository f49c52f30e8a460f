package legal

import (
	"strings"

	"golang.org/x/net/html"
)

// consEmitter walks EUR-Lex consolidated texts (CELEX 0YYYYRNNNN-YYYYMMDD):
// "title-article-norm" headings, "norm"/"no-parag" paragraphs, grid-list
// points and "modref"/"arrow" amendment markers.
type consEmitter struct {
	emitter
	inTitle      bool
	hasMainTitle bool
	hasArtDivs   bool
}

// emitConsolidated walks the act inside div.eli-container when there is one,
// so the page header (disclaimer, "Amended by" table, a second copy of the
// title) stays out; the consolidation reference is kept as an identifier.
func emitConsolidated(roots []*html.Node) []block {
	e := &consEmitter{}
	var containers, refs []*html.Node
	for _, r := range roots {
		collect(r, func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "div" && hasClass(n, "eli-container")
		}, &containers)
		collect(r, isElem("p", "reference"), &refs)
		e.hasMainTitle = e.hasMainTitle || find(r, func(n *html.Node) bool { return n.Type == html.ElementNode && hasClass(n, "eli-main-title") }) != nil
		e.hasArtDivs = e.hasArtDivs || find(r, func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "div" && ojArticleRE.MatchString(attr(n, "id"))
		}) != nil
	}
	for _, r := range refs {
		t, _ := textOf(r, nil)
		e.emit(block{kind: bIdent, text: t})
	}
	if len(containers) == 0 {
		containers = roots
	}
	for _, c := range containers {
		e.walk(c)
		e.flush()
	}
	// Footnotes are pooled after the act, outside its container.
	inside := make(map[*html.Node]bool, len(containers))
	for _, c := range containers {
		inside[c] = true
	}
	for _, r := range roots {
		var notes []*html.Node
		collect(r, isElem("p", "footnote"), &notes)
		for _, n := range notes {
			if !within(n, inside) {
				e.footnote(n)
			}
		}
	}
	return e.blocks
}

// within reports whether n or one of its ancestors is in set.
func within(n *html.Node, set map[*html.Node]bool) bool {
	for ; n != nil; n = n.Parent {
		if set[n] {
			return true
		}
	}
	return false
}

func (e *consEmitter) walk(n *html.Node) {
	if n.Type == html.DocumentNode {
		e.children(n, e.walk)
		return
	}
	if n.Type != html.ElementNode || skipped(n) {
		return
	}
	switch n.Data {
	case "table":
		e.table(n, true, e.walk)
		return
	case "p":
		e.p(n)
		return
	case "div":
		id := attr(n, "id")
		switch {
		case hasClass(n, "eli-main-title"):
			e.inTitle = true
			e.children(n, e.walk)
			e.inTitle = false
			return
		case strings.HasPrefix(id, "fnp_"):
			prev := e.textKind
			e.textKind = bFinal
			e.children(n, e.walk)
			e.textKind = prev
			return
		case hasClass(n, "grid-container"):
			e.point(n)
			return
		case hasClass(n, "norm"):
			if span := noParag(n); span != nil {
				e.paragraph(n, span)
				return
			}
		}
	}
	e.children(n, e.walk)
}

func (e *consEmitter) p(n *html.Node) {
	kind := bText
	switch {
	case hasClass(n, "modref"), hasClass(n, "arrow"):
		e.flush()
		_, markers := textOf(n, nil)
		for _, m := range markers {
			e.emit(block{kind: bMarker, text: m})
		}
		return
	case hasClass(n, "title-doc-first"), hasClass(n, "title-doc-last"):
		if e.hasMainTitle && !e.inTitle {
			return
		}
		kind = bTitle
	case hasClass(n, "title-division-1"):
		kind = bDivision
	case hasClass(n, "title-division-2"), hasClass(n, "stitle-article-norm"), hasClass(n, "title-annex-2"):
		kind = bHeading
	case hasClass(n, "title-article-norm"):
		t, m := textOf(n, nil)
		real := !e.hasArtDivs || (n.Parent != nil && ojArticleRE.MatchString(attr(n.Parent, "id")))
		e.flush()
		e.emit(block{kind: bArticle, text: t, markers: m, real: real, level: e.level})
		return
	case hasClass(n, "title-annex-1"):
		kind = bAnnex
	case classPrefix(n, "title-gr-seq-level-") != "":
		kind = bSubhead
	case hasClass(n, "footnote"):
		e.footnote(n)
		return
	case hasClass(n, "disclaimer"), hasClass(n, "reference"), hasClass(n, "hd-modifiers"), hasClass(n, "title-doc-oj-reference"),
		classPrefix(n, "title-fam-member") != "", classPrefix(n, "hd-toc") != "", classPrefix(n, "toc-") != "":
		return
	}
	if kind == bText {
		e.children(n, e.walk)
		return
	}
	e.flush()
	t, m := textOf(n, nil)
	e.emit(block{kind: kind, text: t, markers: m, level: e.level})
}

// noParag returns the span.no-parag that numbers a div.norm paragraph.
func noParag(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if c.Data == "span" && hasClass(c, "no-parag") {
				return c
			}
			return nil
		}
	}
	return nil
}

// paragraph reads `div.norm > span.no-parag "1." + div.norm.inline-element`.
func (e *consEmitter) paragraph(n, span *html.Node) {
	e.flush()
	e.emit(block{kind: bParagraph, label: rawText(span)})
	for c := span.NextSibling; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isBlock(c) {
			e.flush()
			e.walk(c)
		} else {
			appendInline(&e.inline, c, nil)
		}
	}
	e.flush()
}

// point reads `div.grid-container > div.grid-list-column-1 "(a)" +
// div.grid-list-column-2 body`; bodies nest further grid containers.
func (e *consEmitter) point(n *html.Node) {
	e.flush()
	var label, body *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch {
		case hasClass(c, "grid-list-column-1"):
			label = c
		case hasClass(c, "grid-list-column-2"):
			body = c
		}
	}
	if label == nil || body == nil || !isLabel(rawText(label)) {
		e.children(n, e.walk)
		return
	}
	e.emit(block{kind: bPoint, label: rawText(label), level: e.level})
	e.level++
	e.children(body, e.walk)
	e.level--
}

// footnote reads `p.footnote "(<a id=E0001>1</a>) text"`.
func (e *consEmitter) footnote(n *html.Node) {
	e.flush()
	mark := find(n, isElem("a", ""))
	label := ""
	if mark != nil {
		label = rawText(mark)
	}
	t, m := textOf(n, map[*html.Node]bool{mark: true})
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(t, "(")), ")"))
	if label == "" {
		e.emit(block{kind: bText, text: t, markers: m, level: e.level})
		return
	}
	e.emit(block{kind: bFootnote, label: label, text: t, markers: m})
}
