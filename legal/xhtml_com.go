package legal

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/redline-watch/redline/legal/internal/norm"
)

// comEmitter walks Commission proposals converted from Word: flat <p>s whose
// class names are Word style names (Titrearticle, ManualConsidrant, Point1,
// NumPar1, ...). Structure comes from the style, nesting from the indent
// digit in it, and the part of the document from the order of the styles.
type comEmitter struct {
	emitter
	mode    comMode
	inAnnex bool
	quoted  bool     // running text is inside quoted wording of an amending act
	indents []indent // open points (and an open numbered paragraph), outermost first
}

// indent is an open list item, placed by itemAt or numParAt.
type indent struct {
	at     int
	counts bool // adds a nesting level for what follows
}

type comMode uint8

const (
	comCover    comMode = iota
	comMemo             // explanatory memorandum or legislative financial statement
	comPreamble         // citations
	comBody             // recitals, articles, annexes
)

// styleRE splits a Word list style into its family and indent digit.
var styleRE = regexp.MustCompile(`^(?:Manual)?(NumPar|Point|Tiret|Text|ListBullet|ListDash|Bullet|ListNumber|Heading)(\d)?`)

// itemAt places a point or running text of indent digit d (Point1, Text1).
// Indents count in quarter steps so that numbered paragraphs fit below the
// points of the same digit: in Word's NumParN styles the digit is the depth
// of the number ("3." NumPar1, "3.1." NumPar2), not an indent, and all of
// them print their text in the column of indent 1. So NumPar1 encloses
// NumPar2, and both enclose the Point1 and Text1 paragraphs that follow.
func itemAt(d int) int { return 4 * d }

// numParAt places a numbered paragraph of numbering depth d (see itemAt).
func numParAt(d int) int { return min(max(d, 1), 3) }

func emitCOM(roots []*html.Node) []block {
	e := &comEmitter{}
	for _, r := range roots {
		e.walk(r)
	}
	e.flush()
	return e.blocks
}

func (e *comEmitter) walk(n *html.Node) {
	if n.Type == html.DocumentNode {
		e.children(n, e.walk)
		return
	}
	if n.Type != html.ElementNode || skipped(n) {
		return
	}
	switch n.Data {
	case "p":
		e.p(n)
		return
	case "table":
		e.table(n, e.mode == comBody, e.walk)
		return
	case "dd":
		if strings.HasPrefix(attr(n, "id"), "footnote") {
			e.footnote(n)
			return
		}
	case "div":
		if hasClass(n, "signature") {
			prev := e.textKind
			e.textKind = bFinal
			e.children(n, e.walk)
			e.textKind = prev
			return
		}
	}
	e.children(n, e.walk)
}

// style returns the Word style of a paragraph: its first class that is not "li".
func style(n *html.Node) string {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f != "li" {
			return f
		}
	}
	return ""
}

func (e *comEmitter) p(n *html.Node) {
	e.flush()
	st := style(n)
	switch {
	case st == "Logo" || st == "Emission" || strings.HasPrefix(st, "CrossReference") || st == "Institutionquiagit":
		if st == "Institutionquiagit" {
			e.setMode(comPreamble)
		}
		return
	case st == "Rfrenceinstitutionnelle" || st == "Rfrenceinterinstitutionnelle":
		t, _ := textOf(n, nil)
		e.emit(block{kind: bIdent, text: t})
		return
	case st == "Statut" || strings.HasPrefix(st, "Typedudocument") || strings.HasPrefix(st, "Titreobjet") ||
		strings.HasPrefix(st, "Accompagnant") || strings.HasPrefix(st, "Typeacteprincipal") || strings.HasPrefix(st, "Objetacteprincipal"):
		e.emitText(bTitle, "", e.raw(n, nil))
		return
	case st == "Exposdesmotifstitre" || st == "Fichefinanciretitre":
		e.setMode(comMemo)
		e.emitText(bMemoHeading, "", e.raw(n, nil))
		return
	case st == "Titrearticle":
		e.setMode(comBody)
		e.inAnnex, e.indents = false, e.indents[:0]
		e.lines(n, bArticle, bHeading)
		return
	case st == "ManualConsidrant" || st == "Considrant":
		e.setMode(comBody)
		e.indents = e.indents[:0]
		label, skip := numLabel(n)
		e.emitText(bRecital, label, e.raw(n, skip))
		return
	case st == "Annexetitre":
		e.setMode(comBody)
		e.inAnnex, e.indents = true, e.indents[:0]
		e.lines(n, bAnnex, bHeading)
		return
	case strings.Contains(st, "Title") && !strings.HasPrefix(st, "Titre"):
		// SectionTitle, ChapterTitle, TitleTitle: "TITLE III" or its heading.
		e.indents = e.indents[:0]
		t, m := textOf(n, nil)
		kind := bHeading
		if divisionRE.MatchString(t) {
			kind = bDivision
		}
		e.emit(block{kind: kind, text: t, markers: m})
		return
	case st == "Applicationdirecte" || st == "Fait" || st == "Institutionquisigne" || st == "Personnequisigne" || st == "Datedadoption":
		e.emitText(bFinal, "", e.raw(n, nil))
		return
	}
	if e.mode == comMemo {
		e.memo(n, st)
		return
	}
	m := styleRE.FindStringSubmatch(st)
	family, digit := "", 0
	if m != nil {
		family = m[1]
		digit, _ = strconv.Atoi(m[2])
	}
	label, skip := numLabel(n)
	raw := e.raw(n, skip)
	quoted := e.mode == comBody && e.inQuote(raw)
	switch {
	case e.mode == comPreamble:
		t, _ := cleanText(raw)
		if strings.HasPrefix(t, "Whereas") {
			e.setMode(comBody)
			e.emitText(bText, "", raw)
			return
		}
		e.emit(block{kind: bCitation})
		e.emitText(bText, "", raw)
	case family == "NumPar" && digit <= 1 && label != "":
		// A numbered paragraph; inside annexes the builder makes it a point,
		// and then the points below it nest one level deeper.
		e.indents = append(e.indents[:0], indent{at: numParAt(digit), counts: e.inAnnex})
		e.level = 0
		e.emitText(bParagraph, label, raw)
	case (family == "Point" || family == "Tiret" || family == "NumPar" || family == "ListDash" || family == "ListBullet" || family == "Bullet") && label != "":
		at := itemAt(digit)
		if family == "NumPar" {
			at = numParAt(digit)
		}
		e.level = e.open(at)
		e.indents = append(e.indents, indent{at: at, counts: true})
		e.emitText(bPoint, label, raw)
		e.level = 0
	default:
		// Running text (Normal, Text1, unknown styles) at its indent; never dropped.
		at := itemAt(digit)
		e.level = e.open(at)
		if m := typedLabelRE.FindStringSubmatch(norm.Text(raw)); m != nil && e.mode == comBody && !quoted {
			// A number typed by hand instead of a list style: "(1) In
			// Article 17, the following paragraph is added:".
			e.indents = append(e.indents, indent{at: at, counts: true})
			e.emitText(bPoint, m[1], m[2])
		} else {
			e.emitText(bText, "", raw)
		}
		e.level = 0
	}
}

// typedLabelRE matches a point label typed at the start of running text.
var typedLabelRE = regexp.MustCompile(`^(\((?:\d{1,3}|[a-z]{1,4})\))\s+(\S.*)$`)

// inQuote reports whether paragraph raw starts inside quoted wording of an
// amending act, and tracks the quotation marks it opens and closes, so that
// a typed label inside a quotation ("‘(a) ...") is left to the amending-act
// logic of the builder.
func (e *comEmitter) inQuote(raw string) bool {
	was := e.quoted
	if strings.ContainsAny(raw, "‘“«„’”»") {
		t := strings.TrimSpace(raw)
		if startsWithQuote(t) {
			e.quoted = true
		}
		if closeRE.MatchString(t) {
			e.quoted = false
		}
	}
	return was
}

// open closes the items at or beyond indent at and returns the nesting
// level of content at that indent.
func (e *comEmitter) open(at int) int {
	for len(e.indents) > 0 && e.indents[len(e.indents)-1].at >= at {
		e.indents = e.indents[:len(e.indents)-1]
	}
	lvl := 0
	for _, i := range e.indents {
		if i.counts {
			lvl++
		}
	}
	return lvl
}

// setMode switches document part; memoranda turn table rows into memo blocks.
func (e *comEmitter) setMode(m comMode) {
	e.mode = m
	e.textKind = 0
	if m == comMemo {
		e.textKind = bMemo
	}
}

// memo emits explanatory-memorandum content: headings and text blocks.
func (e *comEmitter) memo(n *html.Node, st string) {
	label, skip := numLabel(n)
	raw := e.raw(n, skip)
	if strings.HasPrefix(st, "ManualHeading") || strings.HasPrefix(st, "Heading") {
		t, _ := cleanText(raw)
		e.emit(block{kind: bMemoHeading, text: joinText(label, t)})
		return
	}
	if strings.Contains(st, "Bullet") || strings.Contains(st, "Dash") {
		label = ""
	}
	t, m := cleanText(raw)
	e.emit(block{kind: bMemo, text: joinText(label, t), markers: m})
}

// lines splits a paragraph at its <br>s: the first line gets kind first
// ("Article 5"), the others kind rest (its heading).
func (e *comEmitter) lines(n *html.Node, first, rest blockKind) {
	var parts []strings.Builder
	parts = append(parts, strings.Builder{})
	var walk func(*html.Node)
	walk = func(c *html.Node) {
		for ; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && c.Data == "br":
				parts = append(parts, strings.Builder{})
			case c.Type == html.ElementNode && !footnoteCall(c) && !skipped(c):
				walk(c.FirstChild)
			default:
				appendInline(&parts[len(parts)-1], c, nil)
			}
		}
	}
	walk(n.FirstChild)
	kind := first
	if first == bArticle {
		// A heading may sit in its own Titrearticle paragraph after "Article 5".
		if t, _ := cleanText(parts[0].String()); !articleRE.MatchString(stripQuotes(t)) {
			kind = rest
		}
	}
	for i := range parts {
		t, m := cleanText(parts[i].String())
		if t == "" {
			continue
		}
		if kind == rest && first == bAnnex && partRE.MatchString(t) {
			e.emit(block{kind: bSubhead, text: t, markers: m})
			continue
		}
		e.emit(block{kind: kind, text: t, markers: m, real: kind == bArticle && !startsWithQuote(t)})
		kind = rest
	}
}

// numLabel finds the auto-number of a list paragraph (span.num) and returns
// it with the nodes to leave out of the text: the number and, for bullets,
// the span.list-symbol around it.
func numLabel(n *html.Node) (string, map[*html.Node]bool) {
	num := find(n, func(c *html.Node) bool { return c.Type == html.ElementNode && c.Data == "span" && hasClass(c, "num") })
	if num == nil {
		return "", nil
	}
	skip := map[*html.Node]bool{num: true}
	if p := num.Parent; p != nil && p.Type == html.ElementNode && hasClass(p, "list-symbol") {
		skip[p] = true
	}
	return rawText(num), skip
}

// raw collects the inline text of paragraph n without the nodes in skip.
func (e *comEmitter) raw(n *html.Node, skip map[*html.Node]bool) string {
	var sb strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendInline(&sb, c, skip)
	}
	return sb.String()
}

// footnote reads `dd#footnoteN > span.num > a.footnote "(54)" + text`.
func (e *comEmitter) footnote(n *html.Node) {
	e.flush()
	label, skip := numLabel(n)
	if label == "" {
		if a := find(n, isElem("a", "footnote")); a != nil {
			label, skip = rawText(a), map[*html.Node]bool{a: true}
		}
	}
	t, m := textOf(n, skip)
	if label == "" {
		e.emit(block{kind: bText, text: t, markers: m})
		return
	}
	e.emit(block{kind: bFootnote, label: label, text: t, markers: m})
}
