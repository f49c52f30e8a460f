package plaintext

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/tree"
)

// role is what a provision is to the parser.
type role int

const (
	roleOther role = iota
	roleArticle
	roleParagraph // "1." in an article
	rolePoint     // any other labelled provision
	roleSub       // unnumbered subparagraph
	roleAnnex
	rolePart // section or part of an annex
	roleRecital
	roleDivision
)

// meta is the parser's bookkeeping for one provision.
type meta struct {
	role role
	fam  family
	rank int // division rank: PART 0, TITLE 1, CHAPTER 2, SECTION 3, SUBSECTION 4
}

type phase int

const (
	phCover phase = iota
	phMemo
	phPreamble
	phBody
	phFinal
)

var (
	articleRe   = regexp.MustCompile(`^Article ([0-9]{1,3}[a-z]{0,2})$`)
	divisionRe  = regexp.MustCompile(`^(PART|TITLE|CHAPTER|SECTION|SUBSECTION|Part|Title|Chapter|Section|Subsection) ([IVXLC]+|[0-9]{1,3})([a-z]{0,2})$`)
	annexRe     = regexp.MustCompile(`^ANNEX(?: ([IVXLC]+[a-z]{0,2}|[0-9]{1,2}))?$`)
	annexPartRe = regexp.MustCompile(`^(SECTION|Section|PART|Part) ([A-Z]|[0-9]{1,2}|[IVX]+)(?:$|[.:]?\s+(?:[-–—]\s*)?(\S.*)$)`)
	memoNumRe   = regexp.MustCompile(`^([0-9]{1,2}(?:\.[0-9]{1,2})*\.?|[IVX]{1,5}\.)(?:\s+(\S.*))?$`)
	authorityRe = regexp.MustCompile(`^THE (?:EUROPEAN PARLIAMENT AND THE COUNCIL OF THE EUROPEAN UNION|COUNCIL OF THE EUROPEAN UNION|EUROPEAN COMMISSION|EUROPEAN PARLIAMENT)\b`)
	regardRe    = regexp.MustCompile(`^Having regard to\b`)
	whereasRe   = regexp.MustCompile(`^Whereas\s*:?$`)
	adoptedRe   = regexp.MustCompile(`^(?:HAVE|HAS) ADOPTED TH(?:IS|E FOLLOWING)\b`)
	finalRe     = regexp.MustCompile(`^(?:This (?:Regulation|Directive|Decision) (?:shall be binding in its entirety|is addressed to)|Done at [A-Z])`)
	lfsRe       = regexp.MustCompile(`^LEGISLATIVE FINANCIAL STATEMENT$`)
	memoStartRe = regexp.MustCompile(`^EXPLANATORY MEMORANDUM$`)
	titleRe     = regexp.MustCompile(`^(?:Proposal for an?\b|(?:COMMISSION |COUNCIL )?(?:IMPLEMENTING |DELEGATED )?(?:REGULATION|DIRECTIVE|DECISION)\b)`)
	procLineRe  = regexp.MustCompile(`^[0-9]{4}/[0-9]{4} ?\([A-Z]{3}\)$`)
	eeaRe       = regexp.MustCompile(`^\(Text with EEA relevance\)$`)
	// The date line of an act's title, a placeholder in drafts ("of …").
	titleDateRe = regexp.MustCompile(`^of (?:[0-9]{1,2} \p{L}+ [0-9]{4}|\.\.\.)$`)
	bulletRe    = regexp.MustCompile(`^[•▪◦\-–—]\s`)
	refEnd      = regexp.MustCompile(`(?i)\b(?:articles?|paragraphs?|points?|annex(?:es)?|no|p\.|pp\.)$`)
	divRank     = map[string]int{"PART": 0, "TITLE": 1, "CHAPTER": 2, "SECTION": 3, "SUBSECTION": 4}
)

type parser struct {
	lines []line
	i     int
	full  int // length of a full line
	doc   *redline.Document
	b     *tree.Builder
	meta  []meta // parallel to doc.Provisions

	phase      phase
	coverEnd   int // first line after the cover
	memoStart  int // "EXPLANATORY MEMORANDUM", or -1
	legStart   int // first line of the act's title, or -1
	title      string
	coverTitle string
	memoHead   string
	memoN      int
	citN       int
	hasRecital bool
	final      int // the closing formula, or -1

	divs    []int // open divisions, outermost first
	root    int   // current article, annex part or annex; -1 in the preamble
	annex   int   // current annex, or -1
	cursor  int   // provision that received text last, or -1
	pending []int // labelled provisions still waiting for their text, oldest first
	run     []int // labels seen since the last text
	// structural is set after a structure line, heading or label, after
	// which an inline label may start a point even without punctuation.
	structural bool
	// A block of lines that holds several paragraphs is read as several
	// chunks: splitAfter is set when the last chunk ended at such a break,
	// splitBefore when it began at one.
	splitAfter, splitBefore bool
	chunkEnd                int
}

func newParser(doc *redline.Document, pages [][]string) *parser {
	p := &parser{
		lines: flatten(pages), doc: doc, b: tree.NewBuilder(doc),
		memoStart: -1, legStart: -1, final: -1, root: -1, annex: -1, cursor: -1,
	}
	p.full = fullWidth(p.lines)
	p.meta = make([]meta, len(doc.Provisions))
	p.scan()
	return p
}

// scan finds the landmarks that split the document: the act's title
// (walking back from the enacting authority or the first citation), the
// explanatory memorandum and the end of the cover page.
func (p *parser) scan() {
	auth := -1
	for i, l := range p.lines {
		if authorityRe.MatchString(l.text) && strings.HasSuffix(l.text, ",") {
			auth = i
			break
		}
	}
	for i := 0; i < len(p.lines) && auth < 0; i++ {
		if regardRe.MatchString(p.lines[i].text) {
			auth = i
		}
	}
	if auth >= 0 {
		p.legStart = auth
		for j := auth - 1; j >= 0 && j >= auth-12; j-- {
			t := p.lines[j].text
			if titleRe.MatchString(t) || procLineRe.MatchString(t) && j == p.legStart-1 {
				p.legStart = j
			}
			if articleRe.MatchString(t) || annexRe.MatchString(t) || terminal(t) && !capsLine(t) && !eeaRe.MatchString(t) && !titleDateRe.MatchString(t) {
				break
			}
		}
	}
	limit := len(p.lines)
	if p.legStart >= 0 {
		limit = p.legStart
	}
	for i := 0; i < limit; i++ {
		if memoStartRe.MatchString(p.lines[i].text) {
			p.memoStart = i
			break
		}
	}
	// The cover is the first page, cut short by the memorandum or the act;
	// a text without page breaks has a cover only before its title.
	p.coverEnd = limit
	paged := false
	for _, l := range p.lines {
		paged = paged || l.page
	}
	if !paged && p.legStart < 0 {
		p.coverEnd = 0
	}
	for i := 0; i < p.coverEnd; i++ {
		if i > 0 && p.lines[i].page || i == p.memoStart || p.structureAt(i) {
			p.coverEnd = i
			break
		}
	}
}

// structureAt reports whether line i starts an article, a division or an
// annex.
func (p *parser) structureAt(i int) bool {
	t := p.lines[i].text
	return (articleRe.MatchString(t) || divisionRe.MatchString(t)) && (i == 0 || p.boundary(i)) || p.annexAt(i)
}

func (p *parser) parse() {
	for p.i < len(p.lines) {
		start, ph := p.i, p.phase
		switch p.phase {
		case phCover:
			p.stepCover()
		case phMemo:
			p.stepMemo()
		case phPreamble:
			p.stepPreamble()
		case phBody:
			p.stepBody()
		case phFinal:
			p.stepFinal()
		}
		// A step either consumes input or switches phase; this guards
		// against any state that would do neither.
		if p.i == start && p.phase == ph {
			p.i++
		}
	}
}

func (p *parser) add(parent int, pr redline.Provision, m meta) int {
	i := p.b.Add(parent, pr)
	p.meta = append(p.meta, m)
	return i
}

func (p *parser) prov(i int) *redline.Provision { return &p.doc.Provisions[i] }

// ---- cover, memorandum, preamble, final ----

func (p *parser) stepCover() {
	if p.i >= p.coverEnd {
		switch {
		case p.i == p.legStart:
			p.phase = phPreamble
		case p.legStart < 0 && p.structureAt(p.i):
			p.phase = phBody
		default:
			p.phase = phMemo
		}
		return
	}
	t := p.lines[p.i].text
	if p.coverTitle == "" && (titleRe.MatchString(t) || (t == "ANNEXES" || t == "ANNEX") && p.i+1 < p.coverEnd && p.lines[p.i+1].text == "to the") {
		p.coverTitle = p.readTitle(p.coverEnd)
		return
	}
	p.i++
}

// readTitle reads title lines from p.i up to limit, stopping at the
// enacting authority, the EEA note, related documents in braces or the
// memorandum.
func (p *parser) readTitle(limit int) string {
	var parts []string
	for ; p.i < limit && len(parts) < 12; p.i++ {
		t := p.lines[p.i].text
		if authorityRe.MatchString(t) || regardRe.MatchString(t) || strings.HasPrefix(t, "{") || memoStartRe.MatchString(t) {
			break
		}
		if eeaRe.MatchString(t) {
			p.i++
			break
		}
		if procLineRe.MatchString(t) || comRe.MatchString(t) && len(parts) == 0 {
			continue
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

func (p *parser) stepMemo() {
	if p.i == p.legStart {
		p.phase = phPreamble
		return
	}
	if (p.legStart < 0 || p.i > p.legStart) && p.annexAt(p.i) || p.legStart < 0 && p.structureAt(p.i) {
		p.phase = phBody
		return
	}
	if p.lines[p.i].text == "ANNEX" {
		p.i++ // the Council wraps the act in an "ANNEX" to its cover note
		return
	}
	if h, ok := p.memoHeading(); ok {
		p.memoHead = h
		return
	}
	text := p.readMemoParagraph()
	p.memoN++
	p.add(-1, redline.Provision{Path: "memorandum " + strconv.Itoa(p.memoN), Kind: redline.ProvMemorandum, Heading: p.memoHead, Text: text}, meta{})
}

// memoHeading reads a memorandum heading at p.i: a section number ("1.1.",
// "II.") with a short title on its line or the next (wrapped titles go on
// over lines in lower case, and never end like a sentence), or a line in
// capitals.
func (p *parser) memoHeading() (string, bool) {
	t := p.lines[p.i].text
	if m := memoNumRe.FindStringSubmatch(t); m != nil && strings.Contains(t, ".") {
		title := m[2]
		next := p.i + 1
		if title == "" {
			if next >= len(p.lines) || !p.shortHeading(p.lines[next].text) || next == p.legStart {
				return "", false
			}
			title = p.lines[next].text
			next++
		} else if !p.shortHeading(title) {
			return "", false
		}
		for next < len(p.lines) && !p.lines[next].blank && !p.lines[next].page && lowerStartRune(p.lines[next].text) {
			title += " " + p.lines[next].text
			next++
		}
		if terminal(title) {
			return "", false
		}
		for next < len(p.lines) && capsLine(title) && capsLine(p.lines[next].text) && !p.lines[next].page && next != p.legStart && !memoNumRe.MatchString(p.lines[next].text) {
			title += " " + p.lines[next].text
			next++
		}
		p.i = next
		return strings.TrimSuffix(m[1], ".") + ". " + title, true
	}
	if capsLine(t) && !terminal(t) && runeLen(t) < 120 {
		p.i++
		for p.i < len(p.lines) && p.i != p.legStart && capsLine(p.lines[p.i].text) && !terminal(p.lines[p.i].text) && !p.annexAt(p.i) && !memoNumRe.MatchString(p.lines[p.i].text) {
			t += " " + p.lines[p.i].text
			p.i++
		}
		return t, true
	}
	return "", false
}

// shortHeading reports whether s can be a section title: no sentence end,
// shorter than a full line.
func (p *parser) shortHeading(s string) bool {
	return !terminal(s) && runeLen(s) < p.full && !strings.HasSuffix(s, ",")
}

// readMemoParagraph reads one paragraph of the memorandum or financial
// statement; a number alone on its line ("1.") starts the paragraph.
func (p *parser) readMemoParagraph() string {
	parts := []string{p.lines[p.i].text}
	if m := memoNumRe.FindStringSubmatch(parts[0]); m != nil && m[2] == "" && p.i+1 < len(p.lines) && p.i+1 != p.legStart {
		p.i++
		parts[0] += " " + p.lines[p.i].text
	}
	prev := parts[0]
	for p.i++; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		if l.blank && terminal(prev) || p.i == p.legStart || p.hardBreak(prev, l.text, 0, 0) || p.annexAt(p.i) || lfsRe.MatchString(l.text) {
			break
		}
		if m := memoNumRe.FindStringSubmatch(l.text); m != nil && strings.Contains(l.text, ".") && (m[2] == "" || p.shortHeading(m[2]) && terminal(prev)) {
			break
		}
		if capsLine(l.text) && !terminal(l.text) && terminal(prev) && runeLen(l.text) < 120 {
			break
		}
		parts = append(parts, l.text)
		prev = l.text
	}
	return strings.Join(parts, " ")
}

// hardBreak reports whether a paragraph ends between lines prev and next:
// prev ends a sentence, next does not start in lower case, and prev is
// short enough that the first word of next would have fitted on it; or
// next starts with a bullet. The width of a line is the longest line of the
// paragraph so far (indented paragraphs are narrower than the page), once
// it has two lines, else the page's.
func (p *parser) hardBreak(prev, next string, width, lines int) bool {
	if bulletRe.MatchString(next) {
		return true
	}
	if !terminal(prev) || lowerStartRune(next) {
		return false
	}
	if len(p.pending) >= 2 && (upperStart(next) || strings.HasPrefix(next, "‘")) {
		return true
	}
	if lines < 2 {
		width = p.full
	}
	return float64(runeLen(prev)+1+runeLen(firstWord(next))) < 0.92*float64(width)
}

func (p *parser) stepPreamble() {
	l := p.lines[p.i]
	t := l.text
	switch {
	case p.i == p.legStart && p.title == "":
		p.title = p.readTitle(len(p.lines))
		if p.title != "" {
			p.add(-1, redline.Provision{Path: "title", Kind: redline.ProvTitle, Text: p.title}, meta{})
		}
		if p.i == p.legStart {
			p.i++
		}
	case authorityRe.MatchString(t) || whereasRe.MatchString(t) || eeaRe.MatchString(t):
		p.i++
		p.structural = true
	case adoptedRe.MatchString(t):
		p.i++
		p.enterBody()
	case p.bodyStructure(p.i):
		p.enterBody()
	default:
		if lab, rest, ok := p.labelAt(p.i); ok && lab.is(famPNum) {
			p.recital(lab, rest)
			return
		}
		if !p.hasRecital || regardRe.MatchString(t) {
			p.citation()
			return
		}
		if lab, rest, ok := p.labelAt(p.i); ok {
			p.label(lab, rest)
			return
		}
		p.text(p.readChunkFrom(t))
	}
}

// labelAt parses a label at the start of line i. A label alone on its line
// is one unless the line before ends with a reference word ("… laid down
// in Article" / "33."); a label followed by text needs a boundary before it.
func (p *parser) labelAt(i int) (label, string, bool) {
	lab, rest, ok := parseLabel(p.lines[i].text)
	if !ok {
		return label{}, "", false
	}
	if rest == "" {
		return lab, rest, i == 0 || p.lines[i].blank || !refEnd.MatchString(p.lines[i-1].text)
	}
	return lab, rest, p.boundary(i)
}

// enterBody ends the preamble: labels now belong to articles and annexes.
func (p *parser) enterBody() {
	p.phase = phBody
	p.flush()
	p.root, p.cursor = -1, -1
}

// citation reads one citation: lines up to one that ends with a comma or
// semicolon before a line starting with a capital letter.
func (p *parser) citation() {
	parts := []string{p.lines[p.i].text}
	for p.i++; p.i < len(p.lines); p.i++ {
		t := p.lines[p.i].text
		prev := parts[len(parts)-1]
		if strings.HasSuffix(prev, ",") || strings.HasSuffix(prev, ";") || terminal(prev) || whereasRe.MatchString(t) || p.bodyStructure(p.i) {
			break
		}
		if _, _, ok := parseLabel(t); ok {
			break
		}
		parts = append(parts, t)
	}
	p.citN++
	n := strconv.Itoa(p.citN)
	p.add(-1, redline.Provision{Path: "citation " + n, Kind: redline.ProvCitation, Label: n, Text: strings.Join(parts, " ")}, meta{})
	p.structural = true
}

func (p *parser) recital(lab label, rest string) {
	p.flush()
	i := p.add(-1, redline.Provision{Path: "recital " + lab.s, Kind: redline.ProvRecital, Label: lab.s}, meta{role: roleRecital, fam: famPNum})
	p.root, p.hasRecital = i, true
	p.pend(i)
	p.structural = true
	if rest == "" {
		p.i++
		return
	}
	p.assign(i, p.readChunkFrom(rest))
}

func (p *parser) stepFinal() {
	t := p.lines[p.i].text
	if lfsRe.MatchString(t) || p.annexAt(p.i) {
		p.phase = phMemo
		if lfsRe.MatchString(t) {
			p.memoHead = t
			p.i++
		}
		return
	}
	if p.final < 0 {
		p.final = p.add(-1, redline.Provision{Path: "final", Kind: redline.ProvFinal, Text: t}, meta{})
	} else {
		p.prov(p.final).Text += " " + t
	}
	p.i++
}

// ---- enacting terms and annexes ----

// bodyStructure reports whether line i starts an article, a division or an
// annex (used to end the preamble).
func (p *parser) bodyStructure(i int) bool {
	t := p.lines[i].text
	return (articleRe.MatchString(t) || divisionRe.MatchString(t)) && p.boundary(i) || p.annexAt(i)
}

// boundary reports whether a structure line or inline label at i can start
// something: after a blank line, a page break, a sentence end, a heading,
// a label or other structure. Cross-references wrapped to the start of a
// line ("…referred to in" / "Article 5 of …") fail this test.
func (p *parser) boundary(i int) bool {
	if i == 0 || p.lines[i].blank || p.lines[i].page || p.structural && i == p.i {
		return true
	}
	prev := p.lines[i-1].text
	return itemEnd(prev) || capsLine(prev)
}

// annexAt reports whether line i starts an annex: "ANNEX III" (or a lone
// "ANNEX") followed by its title, but not the Council's "ANNEX" that wraps
// the whole act in its cover note.
func (p *parser) annexAt(i int) bool {
	if i >= len(p.lines) || !annexRe.MatchString(p.lines[i].text) {
		return false
	}
	if p.legStart > i && p.legStart-i <= 4 {
		return false
	}
	return i+1 < len(p.lines) && !p.lines[i+1].page
}

func (p *parser) stepBody() {
	t := p.lines[p.i].text
	switch {
	case quoteOpens(t):
		p.text(p.readQuote())
	case finalRe.MatchString(t) && p.boundary(p.i):
		p.flush()
		p.phase = phFinal
	case lfsRe.MatchString(t):
		p.flush()
		p.phase = phMemo
		p.memoHead = t
		p.i++
	case p.annexAt(p.i) && p.boundary(p.i):
		p.startAnnex()
	case articleRe.MatchString(t) && p.boundary(p.i):
		p.startArticle()
	case divisionRe.MatchString(t) && p.annex < 0 && p.boundary(p.i):
		p.startDivision()
	case annexPartRe.MatchString(t) && p.annex >= 0 && p.boundary(p.i):
		p.startAnnexPart()
	default:
		if lab, rest, ok := p.labelAt(p.i); ok && p.root >= 0 {
			p.label(lab, rest)
			return
		}
		p.text(p.readChunkFrom(t))
	}
}

// flush forgets labels that never got their text.
func (p *parser) flush() {
	p.pending, p.run = nil, nil
}

func (p *parser) startArticle() {
	p.flush()
	n := articleRe.FindStringSubmatch(p.lines[p.i].text)[1]
	p.i++
	heading := p.articleHeading()
	parent := -1
	if len(p.divs) > 0 {
		parent = p.divs[len(p.divs)-1]
	}
	i := p.add(parent, redline.Provision{Path: "Article " + n, Kind: redline.ProvArticle, Label: n, Heading: heading}, meta{role: roleArticle})
	p.root, p.cursor, p.annex = i, i, -1
	p.structural = true
}

// articleHeading reads the heading that may follow "Article N": a line that
// is not a label, does not end like a sentence and does not start in lower
// case, plus lower-case continuation lines.
func (p *parser) articleHeading() string {
	if p.i >= len(p.lines) {
		return ""
	}
	t := p.lines[p.i].text
	if _, _, ok := parseLabel(t); ok || terminal(t) || strings.HasSuffix(t, ",") || !upperStart(t) || articleRe.MatchString(t) || divisionRe.MatchString(t) || annexRe.MatchString(t) || finalRe.MatchString(t) || runeLen(t) > 160 {
		return ""
	}
	p.i++
	for p.i < len(p.lines) && !p.lines[p.i].blank && !p.lines[p.i].page && lowerStartRune(p.lines[p.i].text) && !terminal(t) {
		t += " " + p.lines[p.i].text
		p.i++
	}
	return t
}

func (p *parser) startDivision() {
	p.flush()
	m := divisionRe.FindStringSubmatch(p.lines[p.i].text)
	word := strings.ToUpper(m[1])
	rank := divRank[word]
	for len(p.divs) > 0 && p.meta[p.divs[len(p.divs)-1]].rank >= rank {
		p.divs = p.divs[:len(p.divs)-1]
	}
	parent, path := -1, ""
	if len(p.divs) > 0 {
		parent = p.divs[len(p.divs)-1]
		path = p.prov(parent).Path + " "
	}
	lab := m[2] + m[3]
	p.i++
	heading := p.capsHeading()
	i := p.add(parent, redline.Provision{Path: path + capitalised(word) + " " + lab, Kind: redline.ProvDivision, Label: lab, Heading: heading}, meta{role: roleDivision, rank: rank})
	p.divs = append(p.divs, i)
	// No labels hang on a division, but stray text does, as a subparagraph.
	p.root, p.cursor = -1, i
	p.structural = true
}

// capsHeading reads a heading in capitals (joined over lines), or one line
// that reads like a title.
func (p *parser) capsHeading() string {
	var parts []string
	for p.i < len(p.lines) {
		t := p.lines[p.i].text
		if articleRe.MatchString(t) || divisionRe.MatchString(t) || annexRe.MatchString(t) || annexPartRe.MatchString(t) {
			break
		}
		if _, _, ok := parseLabel(t); ok {
			break
		}
		if capsLine(t) || len(parts) > 0 && strings.HasPrefix(t, "referred to in") || len(parts) > 0 && strings.HasPrefix(t, "as referred to in") {
			parts = append(parts, t)
			p.i++
			continue
		}
		if len(parts) == 0 && !terminal(t) && upperStart(t) && runeLen(t) < p.full && !strings.HasSuffix(t, ",") && (isTitleish(t) || p.standsAlone(p.i)) {
			parts = append(parts, t)
			p.i++
			// A long title wraps onto lines that go on in lower case.
			for p.i < len(p.lines) && !p.lines[p.i].blank && !p.lines[p.i].page && lowerStartRune(p.lines[p.i].text) && !terminal(t) {
				t = p.lines[p.i].text
				parts = append(parts, t)
				p.i++
			}
		}
		break
	}
	return strings.Join(parts, " ")
}

// standsAlone reports whether the mixed-case line i reads as a title of its
// own ("Prohibited AI Practices" under "Chapter II", "High-risk AI systems
// referred to in Article 6(2)" under "ANNEX III", as the Council and the
// Official Journal print them) rather than as the first line of a
// paragraph: a blank line or a page break follows it, or it is clearly
// shorter than a full line and the next line does not continue it in
// lower case.
func (p *parser) standsAlone(i int) bool {
	if i+1 >= len(p.lines) {
		return true
	}
	next := p.lines[i+1]
	if next.blank || next.page {
		return true
	}
	return float64(runeLen(p.lines[i].text)) < 0.8*float64(p.full) && !lowerStartRune(next.text)
}

// isTitleish reports whether a mixed-case line starts with a word in
// capitals, like "TECHNICAL DOCUMENTATION referred to in Article 11(1)".
func isTitleish(t string) bool {
	w := firstWord(t)
	return runeLen(w) >= 2 && capsLine(w)
}

func (p *parser) startAnnex() {
	p.flush()
	m := annexRe.FindStringSubmatch(p.lines[p.i].text)
	p.i++
	path := "Annex"
	if m[1] != "" {
		path += " " + m[1]
	}
	heading := p.capsHeading()
	i := p.add(-1, redline.Provision{Path: path, Kind: redline.ProvAnnex, Label: m[1], Heading: heading}, meta{role: roleAnnex})
	p.divs = nil
	p.root, p.cursor, p.annex = i, i, i
	p.structural = true
}

func (p *parser) startAnnexPart() {
	p.flush()
	m := annexPartRe.FindStringSubmatch(p.lines[p.i].text)
	heading := m[3]
	p.i++
	// A part title runs on over a line that does not end a sentence.
	for heading != "" && p.i < len(p.lines) && !p.lines[p.i].blank && !p.lines[p.i].page && !terminal(heading) && runeLen(heading) >= p.full*3/4 {
		if _, _, ok := parseLabel(p.lines[p.i].text); ok {
			break
		}
		heading += " " + p.lines[p.i].text
		p.i++
	}
	if heading == "" {
		heading = p.capsHeading()
	}
	i := p.add(p.annex, redline.Provision{Path: p.prov(p.annex).Path + " " + capitalised(m[1]) + " " + m[2], Kind: redline.ProvAnnexPart, Label: m[2], Heading: heading}, meta{role: rolePart})
	p.root, p.cursor = i, i
	p.structural = true
}

// quoteOpens reports whether a line opens a quotation that it does not
// close: amending provisions quote whole paragraphs and articles, whose
// labels and "Article" lines are not structure of this document. A defined
// term in quotes at the start of a line (‘provider’ means …) is closed on
// the line and opens nothing.
func quoteOpens(t string) bool {
	switch {
	case strings.HasPrefix(t, "“"):
		return !strings.Contains(t[len("“"):], "”")
	case strings.HasPrefix(t, "‘"):
		return !closingSingle.MatchString(t[len("‘"):])
	}
	return false
}

// closingSingle is a closing single quote, not an apostrophe ("State’s").
var closingSingle = regexp.MustCompile(`’(?:[^\p{L}]|$)`)

// quoteCloses reports whether line t closes a quotation opened by a line
// starting with open: it holds the matching closing quote (for ‘, one that
// is not an apostrophe).
func quoteCloses(t, open string) bool {
	if open == "“" {
		return strings.Contains(t, "”")
	}
	return closingSingle.MatchString(t)
}

// readQuote reads a quotation as one chunk of text, at most 400 lines.
func (p *parser) readQuote() string {
	first := p.lines[p.i].text
	open := "‘"
	if strings.HasPrefix(first, "“") {
		open = "“"
	}
	parts := []string{first}
	for p.i++; p.i < len(p.lines) && len(parts) < 400; p.i++ {
		t := p.lines[p.i].text
		parts = append(parts, t)
		if quoteCloses(t, open) {
			p.i++
			break
		}
	}
	p.splitAfter = false
	return strings.Join(parts, " ")
}

// readChunkFrom reads a chunk of text whose first line is at p.i, first
// being that line's text (or what follows its label): the first line plus
// the lines that continue it, up to a blank line, a page break, structure,
// a label, a quotation or a paragraph's end.
func (p *parser) readChunkFrom(first string) string {
	p.splitBefore = p.splitAfter && p.chunkEnd == p.i
	p.splitAfter = false
	parts := []string{first}
	prev := first
	width := 0
	for p.i++; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		width = max(width, runeLen(prev))
		if l.blank || l.page || quoteOpens(l.text) {
			break
		}
		if p.phase == phBody && p.isStructureLine(l.text, prev) {
			break
		}
		if _, rest, ok := parseLabel(l.text); ok && (rest == "" && !refEnd.MatchString(prev) || itemEnd(prev)) {
			break
		}
		if p.hardBreak(prev, l.text, width, len(parts)) {
			p.splitAfter = true
			break
		}
		parts = append(parts, l.text)
		prev = l.text
	}
	p.chunkEnd = p.i
	p.structural = false
	return strings.Join(parts, " ")
}

// isStructureLine reports whether t, after a line prev, starts new structure.
func (p *parser) isStructureLine(t, prev string) bool {
	if !itemEnd(prev) && !capsLine(prev) {
		return false
	}
	return articleRe.MatchString(t) || divisionRe.MatchString(t) || annexRe.MatchString(t) || finalRe.MatchString(t) || lfsRe.MatchString(t) || p.annex >= 0 && annexPartRe.MatchString(t)
}
