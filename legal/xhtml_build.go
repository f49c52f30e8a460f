package legal

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/tree"
)

// The three XHTML flavours differ only in markup. Each emitter turns its
// markup into this flat stream of blocks, and one builder turns the stream
// into the provision tree, so path rules live in exactly one place.
type blockKind uint8

const (
	bTitle       blockKind = iota + 1 // one line of the document title
	bIdent                            // a document identifier found in the header
	bCitation                         // a citation ("Having regard to ..."); text may follow as bText
	bRecital                          // label "(12)"; text may follow as bText
	bDivision                         // "CHAPTER II", "TITLE III", "SECTION 1"
	bHeading                          // heading of the last division, article, annex or annex part
	bArticle                          // "Article 5"
	bParagraph                        // numbered paragraph; label "1." and/or text
	bPoint                            // label "(a)" at nesting level; text may follow one level deeper
	bText                             // a block of running text at nesting level
	bAnnex                            // "ANNEX III"
	bSubhead                          // a sub-heading inside an annex ("Section A — ...", "1. Introduction")
	bFinal                            // closing formula or signature line
	bFootnote                         // footnote with label
	bMemoHeading                      // heading inside an explanatory memorandum or financial statement
	bMemo                             // text block of a memorandum or financial statement
	bMarker                           // consolidated-text marker ("M1", "B")
)

type block struct {
	kind    blockKind
	label   string   // label as printed: "(a)", "1.", "‘(ba)", "12"
	text    string   // normalised text
	level   int      // point nesting depth inside the current container
	markers []string // inline consolidated-text markers (►M1 … ◄)
	real    bool     // bArticle: certainly the act's own article, never quoted text
}

// context says which part of a document the builder is in.
type context uint8

const (
	ctxFront    context = iota // title, citations, recitals
	ctxEnacting                // directly under a division heading
	ctxArticle                 // inside an article
	ctxAnnex                   // inside an annex
	ctxFinal                   // closing formula and signatures
	ctxNote                    // footnotes
	ctxMemo                    // explanatory memorandum, financial statement
)

// nodeInfo is builder bookkeeping for one provision.
type nodeInfo struct {
	texts     int    // own text (counts 1) plus subparagraphs
	kids      int    // number of children
	owner     int    // provision that owns following points (a subparagraph), or -1 for itself
	lastPoint string // label of the last point child, to repair repeated auto-numbers
	indents   int    // number of indent children
}

// qunit is one block of quoted text inside an amending instruction.
type qunit struct {
	kind  blockKind
	label string
	text  string
	level int
}

// quote is a finished quotation: the instruction that introduced it and the
// subparagraph that holds its text.
type quote struct {
	instr int
	sub   int
	units []qunit
}

type builder struct {
	doc  *Document
	t    *tree.Builder
	info []nodeInfo

	title     []string
	titleDone bool
	idents    []string

	ctx       context
	base      int // container of level-0 content
	divs      []int
	divRanks  []int
	article   int
	para      int
	annex     int
	part      int
	headPoint int
	points    []int
	titled    int // provision whose heading may follow, or -1
	final     int
	citeN     int
	recitalN  int // number of the last recital, to recognise the next one
	memoN     int
	memoHead  string
	pending   []string // markers waiting for the next provision

	paraNum    int // last numbered paragraph of the current article
	paraSuffix string

	lastText    string
	lastTextIdx int
	open        *quote // quotation being collected
	quoteTarget int
	quotes      []quote
}

func newBuilder(doc *Document) *builder {
	return &builder{
		doc: doc, t: tree.NewBuilder(doc),
		base: -1, article: -1, para: -1, annex: -1, part: -1, headPoint: -1,
		titled: -1, final: -1, lastTextIdx: -1,
	}
}

var (
	articleRE      = regexp.MustCompile(`^(?i:article)\s+(\d+(?:[a-z]{1,3})?(?:\s(?:bis|ter|quater|quinquies|sexies))?)\b\s*(.*)$`)
	divisionRE     = regexp.MustCompile(`^(?i)(part|title|chapter|section|sub-section|subsection)\s+([IVXLC]+|\d+|[A-Z])\b\.?\s*(.*)$`)
	annexRE        = regexp.MustCompile(`^(?i:annex(?:e)?)\b\s*([IVXLC]+[a-z]?|\d+)?\b\.?\s*(.*)$`)
	partRE         = regexp.MustCompile(`^(Section|SECTION|Part|PART)\s+([A-Z]|\d+|[IVX]+)\s*(?:[.:–—-]\s*(.*))?$`)
	headNumRE      = regexp.MustCompile(`^(\d{1,2})\.\s+(\S.*)$`)
	paraNumRE      = regexp.MustCompile(`^(\d{1,3})([a-z]{0,3})\.\s+(\S.*)$`)
	annexNumRE     = regexp.MustCompile(`^(\d{1,3})\.\s+(\S.*)$`)
	recitalLabelRE = regexp.MustCompile(`^\((\d{1,3})\)$`)
	citationRE     = regexp.MustCompile(`^(?:Having regard to|After (?:transmission|consulting|having consulted)|Acting in accordance with|In cooperation with)\b`)
	formulaRE      = regexp.MustCompile(`^(?:THE EUROPEAN PARLIAMENT AND THE COUNCIL OF THE EUROPEAN UNION|THE COUNCIL OF THE EUROPEAN UNION|THE EUROPEAN PARLIAMENT|THE EUROPEAN COMMISSION),?$|^Whereas:?$|^HA(?:S|VE) ADOPTED TH(?:IS|E PRESENT) [A-Z ]+:?$`)
	punctRE        = regexp.MustCompile(`^[\s;.,:’”»"'_]+$`) // also "__________", the rule above a footnote
	instrRE        = regexp.MustCompile(`(?i)replaced by the following|\b(?:is|are|be) (?:inserted|added)\b`)
	closeRE        = regexp.MustCompile(`[’”»]\s*[;.,:"”’]*$`)
	labelRE        = regexp.MustCompile(`^\(?\s*(\d{1,3}(?:\.\d{1,3})*\s?[a-z]{0,3}(?:\s?(?:bis|ter|quater))?|[a-z]{1,4}(?:\s?(?:bis|ter|quater))?|[A-Z])\s*[.)]?\s*\)?\.?$`)
	dashRE         = regexp.MustCompile(`^[—–\-•·]$`)
)

var divisionRank = map[string]int{"part": 0, "title": 1, "chapter": 2, "section": 3, "sub-section": 4, "subsection": 4}

// build runs the whole stream and finishes the document.
func (b *builder) build(blocks []block) {
	for i := range blocks {
		b.process(&blocks[i])
	}
	if b.open != nil {
		b.closeQuote()
	}
	b.flushTitle()
}

func (b *builder) add(parent int, p redline.Provision, markers []string) int {
	p.Markers = mergeMarkers(mergeMarkers(nil, b.pending), markers)
	b.pending = nil
	idx := b.t.Add(parent, p)
	b.info = append(b.info, nodeInfo{owner: -1})
	if parent >= 0 {
		b.info[parent].kids++
	}
	return idx
}

func (b *builder) process(bl *block) {
	if b.open != nil {
		b.quoteBlock(bl)
		return
	}
	switch bl.kind {
	case bMarker:
		b.pending = mergeMarkers(b.pending, []string{bl.text})
		return
	case bIdent:
		b.idents = append(b.idents, bl.text)
		return
	case bTitle:
		if !b.titleDone && bl.text != "" {
			b.title = append(b.title, bl.text)
		}
		return
	}
	b.flushTitle()
	if bl.kind == bHeading {
		b.heading(bl)
		return
	}
	b.titled = -1
	if b.startsQuote(bl) {
		b.startQuote(bl)
		return
	}
	switch bl.kind {
	case bCitation:
		b.citeN++
		n := strconv.Itoa(b.citeN)
		b.enter(ctxFront, b.add(-1, redline.Provision{Path: "citation " + n, Kind: redline.ProvCitation, Label: n}, bl.markers))
		b.textAt(0, bl.text, nil)
	case bRecital:
		b.recital(cleanLabel(bl.label), bl.text, bl.markers)
	case bDivision:
		b.division(bl)
	case bArticle:
		b.articleStart(bl)
	case bParagraph:
		b.paragraph(bl)
	case bPoint:
		if bl.level == 0 && b.nextRecital(bl.label) {
			b.recital(cleanLabel(bl.label), bl.text, bl.markers)
			return
		}
		b.point(bl)
	case bText:
		b.text(bl)
	case bAnnex:
		b.annexStart(bl)
	case bSubhead:
		b.subhead(bl)
	case bFinal:
		if b.final < 0 {
			b.final = b.add(-1, redline.Provision{Path: "final", Kind: redline.ProvFinal}, nil)
		}
		b.enter(ctxFinal, b.final)
		p := &b.doc.Provisions[b.final]
		p.Text = joinText(p.Text, bl.text)
		p.Markers = mergeMarkers(p.Markers, bl.markers)
		b.info[b.final].texts = 1
	case bFootnote:
		lbl := cleanLabel(bl.label)
		b.enter(ctxNote, b.add(-1, redline.Provision{Path: "footnote " + lbl, Kind: redline.ProvFootnote, Label: lbl}, nil))
		b.textAt(0, bl.text, bl.markers)
	case bMemoHeading:
		b.memoHead = bl.text
	case bMemo:
		if bl.text == "" {
			return
		}
		b.memoN++
		idx := b.add(-1, redline.Provision{Path: "memorandum " + strconv.Itoa(b.memoN), Kind: redline.ProvMemorandum, Heading: b.memoHead, Text: bl.text}, bl.markers)
		b.info[idx].texts = 1
		b.enter(ctxMemo, idx)
	}
}

// recital opens recital lbl with its first text, if any.
func (b *builder) recital(lbl, text string, markers []string) {
	if n, err := strconv.Atoi(lbl); err == nil {
		b.recitalN = n
	}
	b.enter(ctxFront, b.add(-1, redline.Provision{Path: "recital " + lbl, Kind: redline.ProvRecital, Label: lbl}, markers))
	b.textAt(0, text, nil)
}

// nextRecital reports whether a point labelled "(N)" is in fact a recital:
// the markup that marks recitals (div#rct_N) is missing in OJ texts without
// ELI containers, where the preamble holds the same label-and-text tables.
// Only the next number in sequence counts, so a point inside a recital does
// not, nor a "1." paragraph of a legislative resolution before the act.
func (b *builder) nextRecital(label string) bool {
	if b.ctx != ctxFront || b.base < 0 {
		return false
	}
	m := recitalLabelRE.FindStringSubmatch(strings.TrimSpace(label))
	if m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[1])
	switch b.doc.Provisions[b.base].Kind {
	case redline.ProvTitle, redline.ProvCitation:
		return b.recitalN == 0
	case redline.ProvRecital:
		return n == b.recitalN+1
	}
	return false
}

// newCitation reports whether front-matter text opens a citation that the
// markup does not mark (OJ texts without ELI containers): "Having regard
// to ..." after the title or after a citation that already has its text.
func (b *builder) newCitation(text string) bool {
	if b.ctx != ctxFront || !citationRE.MatchString(text) {
		return false
	}
	if b.base < 0 {
		return true
	}
	switch b.doc.Provisions[b.base].Kind {
	case redline.ProvTitle:
		return true
	case redline.ProvCitation:
		return b.info[b.base].texts > 0
	}
	return false
}

// enter makes idx the container of level-0 content.
func (b *builder) enter(ctx context, idx int) {
	b.ctx = ctx
	b.base = idx
	b.points = b.points[:0]
	if ctx != ctxArticle {
		b.article, b.para = -1, -1
	}
	if ctx != ctxAnnex {
		b.annex, b.part, b.headPoint = -1, -1, -1
	}
	if ctx != ctxArticle && ctx != ctxEnacting {
		b.divs, b.divRanks = b.divs[:0], b.divRanks[:0]
	}
}

func (b *builder) flushTitle() {
	if b.titleDone || len(b.title) == 0 {
		return
	}
	b.titleDone = true
	text := joinText("", b.title...)
	b.doc.Title = text
	idx := b.add(-1, redline.Provision{Path: "title", Kind: redline.ProvTitle, Text: text}, nil)
	b.info[idx].texts = 1
	b.enter(ctxFront, idx)
}

func (b *builder) heading(bl *block) {
	if b.titled < 0 {
		b.text(&block{kind: bText, text: bl.text, markers: bl.markers})
		return
	}
	p := &b.doc.Provisions[b.titled]
	p.Heading = joinText(p.Heading, bl.text)
	p.Markers = mergeMarkers(p.Markers, bl.markers)
}

func (b *builder) division(bl *block) {
	m := divisionRE.FindStringSubmatch(bl.text)
	if m == nil {
		b.text(&block{kind: bText, text: bl.text, markers: bl.markers})
		return
	}
	word := strings.ToLower(m[1])
	rank := divisionRank[word]
	for len(b.divs) > 0 && b.divRanks[len(b.divRanks)-1] >= rank {
		b.divs, b.divRanks = b.divs[:len(b.divs)-1], b.divRanks[:len(b.divRanks)-1]
	}
	parent, path := -1, ""
	if len(b.divs) > 0 {
		parent = b.divs[len(b.divs)-1]
		path = b.doc.Provisions[parent].Path + " "
	}
	word = strings.ToUpper(word[:1]) + word[1:]
	idx := b.add(parent, redline.Provision{Path: path + word + " " + m[2], Kind: redline.ProvDivision, Label: m[2], Heading: m[3]}, bl.markers)
	b.enter(ctxEnacting, idx)
	b.divs, b.divRanks = append(b.divs, idx), append(b.divRanks, rank)
	if m[3] == "" {
		b.titled = idx
	}
}

func (b *builder) articleStart(bl *block) {
	m := articleRE.FindStringSubmatch(bl.text)
	if m == nil {
		b.text(&block{kind: bText, text: bl.text, markers: bl.markers})
		return
	}
	lbl := strings.ReplaceAll(m[1], " ", "")
	parent := -1
	if len(b.divs) > 0 && b.ctx != ctxAnnex {
		parent = b.divs[len(b.divs)-1]
	}
	idx := b.add(parent, redline.Provision{Path: "Article " + lbl, Kind: redline.ProvArticle, Label: lbl, Heading: m[2]}, bl.markers)
	b.enter(ctxArticle, idx)
	b.article, b.para = idx, -1
	b.paraNum, b.paraSuffix = 0, ""
	if m[2] == "" {
		b.titled = idx
	}
}

func (b *builder) paragraph(bl *block) {
	if b.ctx == ctxAnnex || b.headPoint >= 0 {
		b.point(&block{kind: bPoint, label: bl.label, text: bl.text, level: 0, markers: bl.markers})
		return
	}
	lbl := cleanLabel(bl.label)
	text := bl.text
	if m := paraNumRE.FindStringSubmatch(text); m != nil && (lbl == "" || lbl == m[1]+m[2]) {
		lbl, text = m[1]+m[2], m[3]
	}
	if b.article < 0 || lbl == "" {
		b.text(&block{kind: bText, text: bl.text, level: 0, markers: bl.markers})
		return
	}
	b.openParagraph(lbl, text, bl.markers)
}

func (b *builder) openParagraph(lbl, text string, markers []string) {
	art := &b.doc.Provisions[b.article]
	idx := b.add(b.article, redline.Provision{Path: art.Path + "(" + lbl + ")", Kind: redline.ProvParagraph, Label: lbl}, markers)
	b.ctx, b.base, b.para = ctxArticle, idx, idx
	b.points = b.points[:0]
	b.paraNum, b.paraSuffix = splitParaLabel(lbl)
	b.addText(idx, text, nil)
}

// nextParagraph reports whether text opens the next numbered paragraph of the
// current article: "2. ..." after paragraph 1, "1a. ..." after paragraph 1.
// Requiring the sequence keeps quoted or cross-referencing text out.
func (b *builder) nextParagraph(text string) (string, string, bool) {
	if b.article < 0 || b.ctx != ctxArticle {
		return "", "", false
	}
	m := paraNumRE.FindStringSubmatch(text)
	if m == nil {
		return "", "", false
	}
	n, _ := strconv.Atoi(m[1])
	ok := (b.paraNum == 0 && n == 1 && m[2] == "") ||
		(b.paraNum > 0 && ((n == b.paraNum+1 && m[2] == "") || (n == b.paraNum && m[2] > b.paraSuffix)))
	return m[1] + m[2], m[3], ok
}

func splitParaLabel(lbl string) (int, string) {
	i := 0
	for i < len(lbl) && lbl[i] >= '0' && lbl[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(lbl[:i])
	return n, lbl[i:]
}

func (b *builder) container(level int) int {
	if level <= 0 || len(b.points) == 0 {
		return b.base
	}
	if level > len(b.points) {
		level = len(b.points)
	}
	return b.points[level-1]
}

func (b *builder) point(bl *block) {
	level := bl.level
	if level < 0 {
		level = 0
	}
	if level > len(b.points) {
		level = len(b.points)
	}
	b.points = b.points[:level]
	cont := b.container(level)
	if cont < 0 {
		b.text(&block{kind: bText, text: joinText(bl.label, bl.text), markers: bl.markers})
		return
	}
	raw := strings.TrimSpace(stripQuotes(bl.label))
	parent := cont
	if o := b.info[cont].owner; o >= 0 && !strings.Contains(raw[:len(raw)-1], ".") {
		// Decimal points ("3.3.") stay with their heading point.
		parent = o
	}
	var p redline.Provision
	if dashRE.MatchString(raw) {
		b.info[parent].indents++
		p = redline.Provision{Path: b.doc.Provisions[parent].Path + " indent " + strconv.Itoa(b.info[parent].indents), Kind: redline.ProvPoint}
	} else {
		lbl := cleanLabel(raw)
		if prev := b.info[parent].lastPoint; prev != "" && prev == lbl {
			// Word-generated proposals sometimes repeat an auto-number
			// ("(a) (a) (b)"): a label equal to its predecessor's is taken
			// as the predecessor's successor.
			lbl = successor(prev)
		}
		b.info[parent].lastPoint = lbl
		p = redline.Provision{Path: b.pointPath(parent, lbl), Kind: redline.ProvPoint, Label: lbl}
	}
	idx := b.add(parent, p, bl.markers)
	b.points = append(b.points, idx)
	if bl.text != "" {
		b.addText(idx, bl.text, nil)
	}
}

// pointPath follows the path conventions: "Article 5(1)(a)", "Article 3
// point (1)", "Annex III point 1(a)", "Annex VII point 3.1".
func (b *builder) pointPath(parent int, lbl string) string {
	p := b.doc.Provisions[parent]
	switch p.Kind {
	case redline.ProvPoint, redline.ProvParagraph, redline.ProvSubparagraph:
		if strings.Contains(lbl, ".") {
			// "3.1" under heading point "3" is self-qualifying.
			q := parent
			for q >= 0 && (b.doc.Provisions[q].Kind == redline.ProvPoint || b.doc.Provisions[q].Kind == redline.ProvSubparagraph) {
				q = b.doc.Provisions[q].Parent
			}
			if q >= 0 {
				return b.doc.Provisions[q].Path + " point " + lbl
			}
		}
		return p.Path + "(" + lbl + ")"
	case redline.ProvAnnex, redline.ProvAnnexPart:
		if lbl != "" && lbl[0] >= '0' && lbl[0] <= '9' {
			return p.Path + " point " + lbl
		}
	}
	return p.Path + " point (" + lbl + ")"
}

func (b *builder) text(bl *block) {
	text := bl.text
	if text == "" || punctRE.MatchString(text) {
		return
	}
	if bl.level == 0 && (b.ctx == ctxFront || b.base < 0) && formulaRE.MatchString(text) {
		// Fixed enacting formulas carry no legal content and no provision kind fits them.
		return
	}
	if bl.level == 0 && b.newCitation(text) {
		b.process(&block{kind: bCitation, text: text, markers: bl.markers})
		return
	}
	if bl.level == 0 || len(b.points) == 0 {
		if lbl, rest, ok := b.nextParagraph(text); ok && b.headPoint < 0 {
			b.openParagraph(lbl, rest, mergeMarkers(nil, bl.markers))
			return
		}
		if b.ctx == ctxAnnex && len(text) < 250 {
			if m := partRE.FindStringSubmatch(text); m != nil {
				b.subhead(bl)
				return
			}
		}
		if b.ctx == ctxAnnex && b.headPoint < 0 {
			if m := annexNumRE.FindStringSubmatch(text); m != nil {
				b.point(&block{kind: bPoint, label: m[1], text: m[2], markers: bl.markers})
				return
			}
		}
	}
	b.textAt(bl.level, text, bl.markers)
}

func (b *builder) textAt(level int, text string, markers []string) {
	if text == "" {
		return
	}
	if level > len(b.points) {
		level = len(b.points)
	}
	b.points = b.points[:level]
	b.addText(b.container(level), text, markers)
}

// addText gives target its own text if it has none yet, otherwise adds a
// subparagraph child. It returns the provision that received the text.
func (b *builder) addText(target int, text string, markers []string) int {
	if text == "" {
		return target
	}
	if target < 0 {
		if !b.titleDone {
			b.title = append(b.title, text)
			b.flushTitle()
			return b.base
		}
		target = b.doc.Top(len(b.doc.Provisions) - 1)
	}
	p := &b.doc.Provisions[target]
	in := &b.info[target]
	own := p.Kind != redline.ProvAnnex && p.Kind != redline.ProvAnnexPart && p.Kind != redline.ProvDivision
	if own && p.Text == "" && in.texts == 0 && in.kids == 0 {
		p.Text = stripLabel(text, p.Label)
		p.Markers = mergeMarkers(mergeMarkers(p.Markers, b.pending), markers)
		b.pending = nil
		in.texts = 1
		b.noteText(target, p.Text)
		return target
	}
	n := in.texts + 1
	in.texts = n
	sub := b.add(target, redline.Provision{
		Path:  p.Path + " subparagraph " + strconv.Itoa(n),
		Kind:  redline.ProvSubparagraph,
		Label: strconv.Itoa(n),
		Text:  text,
	}, markers)
	if n >= 2 {
		// Points after a later subparagraph belong to it, not to the first one.
		b.info[target].owner = sub
	}
	b.noteText(sub, text)
	return sub
}

func (b *builder) noteText(idx int, text string) {
	b.lastText, b.lastTextIdx = text, idx
}

func (b *builder) annexStart(bl *block) {
	m := annexRE.FindStringSubmatch(bl.text)
	if m == nil {
		if t := b.lastHeadless(); t >= 0 && t == b.annex {
			// Consolidated texts may set the annex title in the same style
			// as "ANNEX X" (a second p.title-annex-1).
			b.doc.Provisions[t].Heading = bl.text
			return
		}
		b.text(&block{kind: bText, text: bl.text, markers: bl.markers})
		return
	}
	path := "Annex"
	if m[1] != "" {
		path += " " + m[1]
	}
	idx := b.add(-1, redline.Provision{Path: path, Kind: redline.ProvAnnex, Label: m[1], Heading: m[2]}, bl.markers)
	b.enter(ctxAnnex, idx)
	b.annex, b.part, b.headPoint = idx, -1, -1
	b.titled = idx
}

func (b *builder) subhead(bl *block) {
	if b.ctx != ctxAnnex || b.annex < 0 {
		b.text(&block{kind: bText, text: bl.text, markers: bl.markers})
		return
	}
	if m := partRE.FindStringSubmatch(bl.text); m != nil {
		word := strings.ToUpper(m[1][:1]) + strings.ToLower(m[1][1:])
		idx := b.add(b.annex, redline.Provision{
			Path: b.doc.Provisions[b.annex].Path + " " + word + " " + m[2], Kind: redline.ProvAnnexPart, Label: m[2], Heading: m[3],
		}, bl.markers)
		b.base, b.part, b.headPoint = idx, idx, -1
		b.points = b.points[:0]
		if m[3] == "" {
			b.titled = idx
		}
		return
	}
	if m := headNumRE.FindStringSubmatch(bl.text); m != nil {
		parent := b.annex
		if b.part >= 0 {
			parent = b.part
		}
		idx := b.add(parent, redline.Provision{
			Path: b.doc.Provisions[parent].Path + " point " + m[1], Kind: redline.ProvPoint, Label: m[1], Heading: m[2],
		}, bl.markers)
		b.base, b.headPoint = idx, idx
		b.points = b.points[:0]
		return
	}
	if t := b.lastHeadless(); t >= 0 {
		p := &b.doc.Provisions[t]
		p.Heading = bl.text
		return
	}
	b.textAt(0, bl.text, bl.markers)
}

// lastHeadless returns the current annex part or annex if it still has no
// heading and no content, so a following sub-heading can name it.
func (b *builder) lastHeadless() int {
	for _, i := range []int{b.part, b.annex} {
		if i >= 0 && b.doc.Provisions[i].Heading == "" && b.info[i].kids == 0 {
			return i
		}
	}
	return -1
}

// startsQuote reports whether bl opens quoted wording of an amending
// instruction ("... the following points are inserted:" then "‘(ba) ...").
func (b *builder) startsQuote(bl *block) bool {
	if bl.kind == bArticle && bl.real {
		return false
	}
	switch bl.kind {
	case bText, bPoint, bParagraph, bArticle, bSubhead, bDivision, bAnnex:
	default:
		return false
	}
	lead := bl.text
	if bl.kind == bPoint || (bl.kind == bParagraph && bl.label != "") {
		lead = bl.label
	}
	if !startsWithQuote(lead) || b.lastTextIdx < 0 {
		return false
	}
	last := strings.TrimSpace(b.lastText)
	return strings.HasSuffix(last, ":") && instrRE.MatchString(last)
}

func (b *builder) startQuote(bl *block) {
	target := b.lastTextIdx
	if b.doc.Provisions[target].Kind == redline.ProvSubparagraph {
		target = b.doc.Provisions[target].Parent
	}
	b.open = &quote{instr: b.lastTextIdx}
	b.quoteTarget = target
	b.quoteBlock(bl)
}

func (b *builder) quoteBlock(bl *block) {
	q := b.open
	switch bl.kind {
	case bMarker, bIdent, bTitle, bMemoHeading:
		return
	case bAnnex, bFinal, bMemo, bRecital, bCitation:
		// A quotation never spans these; close it to stay safe on bad input.
		b.closeQuote()
		b.process(bl)
		return
	case bArticle:
		if bl.real {
			b.closeQuote()
			b.process(bl)
			return
		}
	}
	u := qunit{kind: bl.kind, label: bl.label, text: bl.text, level: bl.level}
	if u.text != "" || u.label != "" {
		q.units = append(q.units, u)
	}
	end := u.text
	if end == "" {
		end = u.label
	}
	if closeRE.MatchString(end) {
		b.closeQuote()
	}
}

func (b *builder) closeQuote() {
	q := b.open
	b.open = nil
	parts := make([]string, 0, len(q.units))
	for _, u := range q.units {
		if punctRE.MatchString(u.text) && u.label == "" {
			// Glue "’;" to the wording it closes; drop a footnote rule.
			switch t := strings.TrimSpace(u.text); {
			case strings.Trim(t, "_") == "":
			case len(parts) > 0:
				parts[len(parts)-1] += t
			default:
				parts = append(parts, t)
			}
			continue
		}
		parts = append(parts, strings.TrimSpace(u.label+" "+u.text))
	}
	text := strings.Join(parts, " ")
	if text == "" {
		return
	}
	b.points = b.points[:0]
	if b.quoteTarget != b.base {
		// Keep the point stack pointing at the instruction's own point.
		for q := b.quoteTarget; q >= 0 && q != b.base; q = b.doc.Provisions[q].Parent {
			if b.doc.Provisions[q].Kind == redline.ProvPoint {
				b.points = append([]int{q}, b.points...)
			}
		}
	}
	in := &b.info[b.quoteTarget]
	in.texts++
	p := b.doc.Provisions[b.quoteTarget]
	sub := b.add(b.quoteTarget, redline.Provision{
		Path: p.Path + " subparagraph " + strconv.Itoa(in.texts), Kind: redline.ProvSubparagraph,
		Label: strconv.Itoa(in.texts), Text: text,
	}, nil)
	q.sub = sub
	b.quotes = append(b.quotes, *q)
	b.lastText, b.lastTextIdx = "", -1
}

// punctSpace removes the space that joining blocks leaves before
// punctuation, but not before an ellipsis ("(OJ ...)").
var punctSpace = strings.NewReplacer(" ...", " ...", " ;", ";", " ,", ",", " .", ".", " :", ":")

func startsWithQuote(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "‘") || strings.HasPrefix(s, "“") || strings.HasPrefix(s, "«") || strings.HasPrefix(s, "„")
}

func stripQuotes(s string) string {
	return strings.Trim(strings.TrimSpace(s), "‘’“”«»„'\" ")
}

// cleanLabel turns a printed label ("(a)", "1.", "‘(ba)", "3.1.", "b bis)")
// into its bare form ("a", "1", "ba", "3.1", "bbis").
func cleanLabel(s string) string {
	s = stripQuotes(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "."))
	s = strings.TrimPrefix(s, "(")
	s = strings.TrimSuffix(s, ")")
	s = strings.TrimSpace(strings.TrimSuffix(s, "."))
	return strings.ReplaceAll(s, " ", "")
}

// isLabel reports whether s looks like a point or paragraph label.
func isLabel(s string) bool {
	s = stripQuotes(s)
	return s != "" && (labelRE.MatchString(s) || dashRE.MatchString(s))
}

// stripLabel removes a label that the markup repeated at the start of the text.
func stripLabel(text, lbl string) string {
	if lbl == "" {
		return text
	}
	for _, pre := range []string{"(" + lbl + ") ", lbl + ". ", lbl + ") "} {
		if strings.HasPrefix(text, pre) {
			return strings.TrimSpace(text[len(pre):])
		}
	}
	return text
}

var romans = []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"}

// successor returns the label that follows lbl in its numbering scheme.
func successor(lbl string) string {
	if n, err := strconv.Atoi(lbl); err == nil {
		return strconv.Itoa(n + 1)
	}
	for i, r := range romans[:len(romans)-1] {
		if r == lbl && len(lbl) > 1 {
			return romans[i+1]
		}
	}
	if len(lbl) == 1 && lbl[0] >= 'a' && lbl[0] < 'z' {
		return string(lbl[0] + 1)
	}
	return lbl + "'"
}

func joinText(a string, more ...string) string {
	for _, m := range more {
		switch {
		case m == "":
		case a == "":
			a = m
		default:
			a += " " + m
		}
	}
	return a
}

// maxMarkers bounds the markers kept per provision; real texts carry one to
// three, and a bound keeps hostile input from making merging quadratic.
const maxMarkers = 64

func mergeMarkers(dst, src []string) []string {
	for _, m := range src {
		if len(dst) >= maxMarkers {
			break
		}
		dup := false
		for _, d := range dst {
			if d == m {
				dup = true
				break
			}
		}
		if !dup && m != "" {
			dst = append(dst, m)
		}
	}
	return dst
}
